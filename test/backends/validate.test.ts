import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../backends/registry.js';

describe('BackendFactory.validate', () => {
  it.each([...BACKENDS.keys()])('%s: validate rejects an unknown option naming it and accepts none', (name) => {
    const factory = BACKENDS.get(name)!;
    expect(factory.validate).toBeTypeOf('function');
    expect(() => factory.validate!({ no_such_option: '1' })).toThrow(new RegExp(`backend ${name}: .*no_such_option`));
    expect(() => factory.validate!({})).not.toThrow();
  });

  it.each([...BACKENDS.keys()].filter((n) => n !== 'memory' && n !== 'redis' && n !== 'memcached'))(
    '%s: provision rejects what validate rejects',
    async (name) => {
      const factory = BACKENDS.get(name)!;
      const directory = mkdtempSync(join(tmpdir(), 'cachebench-validate-'));
      try {
        await expect(factory.provision({ no_such_option: '1' }, { directory })).rejects.toThrow(/no_such_option/);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  );
});
