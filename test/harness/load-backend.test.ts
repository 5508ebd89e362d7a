import { describe, expect, it } from 'vitest';
import { loadBackendFactory, parseBackendChoices } from '../../harness/load-backend.js';
import { fixture } from './helpers.js';

describe('parseBackendChoices', () => {
  it('reads registry names with options', () => {
    const choices = parseBackendChoices('memory');
    expect(choices).toEqual([{ ref: { kind: 'registry', name: 'memory' }, options: {}, label: 'memory' }]);
  });

  it('reads module paths, relative or with module:, with options', () => {
    const [relative, prefixed] = parseBackendChoices('./my-backend.ts:a=1,b=2;module:/abs/b.js', '/home/u');
    expect(relative).toEqual({
      ref: { kind: 'module', path: '/home/u/my-backend.ts' },
      options: { a: '1', b: '2' },
      label: './my-backend.ts:a=1,b=2',
    });
    expect(prefixed!.ref).toEqual({ kind: 'module', path: '/abs/b.js' });
    const [, withComma] = parseBackendChoices('memory,./x.ts:a=1,b=2', '/w');
    expect(withComma!.options).toEqual({ a: '1', b: '2' });
  });

  it('rejects unknown names, empty lists and duplicates', () => {
    expect(() => parseBackendChoices('nosuch')).toThrow(/unknown backend "nosuch"; known backends: .*memory/);
    expect(() => parseBackendChoices(' ')).toThrow(/--backends is empty/);
    expect(() => parseBackendChoices('memory,memory')).toThrow(/listed twice/);
  });

  it('loads a module factory and checks its shape', async () => {
    const [choice] = parseBackendChoices(fixture('faulty'));
    const factory = await loadBackendFactory(choice!.ref);
    expect(factory.name).toBe('faulty');
    await expect(loadBackendFactory({ kind: 'module', path: fixture('base-backend') })).rejects.toThrow(
      /default export must be a BackendFactory/,
    );
  });
});
