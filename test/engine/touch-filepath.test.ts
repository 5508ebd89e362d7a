import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../engine/index.js';
import { openCache } from './helpers.js';

describe('touch with a NaN expire', () => {
  it('is InvalidOptionError whether the key is live or missing', () => {
    const cache = openCache();
    cache.set('live', 1);
    expect(() => cache.touch('missing', NaN)).toThrow(InvalidOptionError);
    expect(() => cache.touch('live', NaN)).toThrow(InvalidOptionError);
    expect(() => cache.touch('missing', '5' as never)).toThrow(InvalidOptionError);
    expect(cache.touch('live', 10)).toBe(true);
  });
});

describe('filePath of a key whose spill file is gone', () => {
  it('answers undefined, as get() misses, instead of a dead path', () => {
    const cache = openCache();
    cache.set('big', Buffer.alloc(100_000, 1));
    const path = cache.filePath('big');
    expect(path).toBeDefined();
    rmSync(path!);
    expect(cache.get('big')).toBeUndefined();
    expect(cache.filePath('big')).toBeUndefined();
  });
});
