import { describe, expectTypeOf, it } from 'vitest';
import type { BackendDescription, Durability } from '../../backends/backend.js';
import type { RecordedDescription, RecordedDurability } from '../../results/results.js';

/**
 * results/ imports nothing but shared/, so it spells out what a backend's
 * description looks like once written. These checks (run by the typecheck)
 * keep the two from drifting apart.
 */
describe('the recorded backend description', () => {
  it('takes every description a backend gives, and names the same durabilities', () => {
    expectTypeOf<BackendDescription>().toExtend<RecordedDescription>();
    expectTypeOf<RecordedDurability>().toEqualTypeOf<Durability>();
  });
});
