import { describe, expect, it } from 'vitest';
import { InvalidOptionError, parseSetting } from '../../engine/index.js';
import { applyParameters } from '../../scenarios/parameters.js';
import { getScenario } from '../../scenarios/registry.js';
import { ScenarioError } from '../../scenarios/scenario.js';
import { errorDetail, SweepError } from '../../sweep/errors.js';

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('errors carry their problem as a field, so nothing re-words them by regex', () => {
  it("an engine option error: detail without the engine's own option name", () => {
    const error = thrown(() => parseSetting('mmap_size', 'lots'));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).message).toBe(
      `option ${(error as InvalidOptionError).option}: ${(error as InvalidOptionError).detail}`,
    );
    expect(errorDetail(error)).not.toMatch(/^option /);
  });

  it('a --param error: detail without the --param prefix', () => {
    const error = thrown(() => applyParameters(getScenario('talk'), { keys: '0' }));
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).detail).toBe('expected an integer ≥ 1');
    expect(errorDetail(error)).toBe('expected an integer ≥ 1');
  });

  it('falls back to the whole message when an error has no detail', () => {
    expect(errorDetail(new Error('plain'))).toBe('plain');
    expect(errorDetail(new SweepError('GRID', 'grid axis x: bad', 'bad'))).toBe('bad');
  });
});
