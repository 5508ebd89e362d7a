import { describe, expect, it } from 'vitest';
import { rejectUnknownOptions, sizeOption } from '../../backends/options.js';
import { parseSetting } from '../../engine/index.js';

describe('backend size options read the one byte-size table', () => {
  it('take 64M as the engine settings do (binary M)', () => {
    expect(sizeOption('sqlite-raw', 'mmap_size', '64M', 0)).toBe(64 * 2 ** 20);
    expect(sizeOption('lmdb', 'map_size', '1g', 0)).toBe(2 ** 30);
    expect(sizeOption('sqlite-raw', 'mmap_size', '64M', 0)).toBe(parseSetting('sqlite_mmap_size', '64M')[1]);
  });

  it('still refuse a text that is not a size, naming the option and an example', () => {
    expect(() => sizeOption('lmdb', 'map_size', '-5', 0)).toThrow(
      'backend lmdb: option map_size="-5" must be a size such as 0, 67108864 or 64MiB',
    );
    expect(() => sizeOption('lmdb', 'map_size', '64X', 0)).toThrow(/must be a size/);
  });

  it('suggest a known option for a misspelt one', () => {
    const known: Record<string, { description: string; default?: string }> = {
      max_entries: { description: '', default: '300' },
      cull_frequency: { description: '', default: '3' },
    };
    expect(() => rejectUnknownOptions('filebased', { MAX_ENTRIES: '1' }, known)).toThrow('did you mean "max_entries"?');
  });
});
