import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../shared/did-you-mean.js';

describe('did-you-mean (shared/did-you-mean.ts)', () => {
  it('measures Levenshtein distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests a name the typo starts, one a slip away, and one that differs only in case, _ or -', () => {
    const options = ['max_entries', 'cull_frequency', 'mmap_size', 'no_sync'];
    expect(closest('cull_freq', options)).toBe('cull_frequency');
    expect(closest('mmap', options)).toBe('mmap_size');
    expect(closest('max_entrys', options)).toBe('max_entries');
    expect(closest('nosync', options)).toBe('no_sync');
    expect(closest('MAX-ENTRIES', options)).toBe('max_entries');
  });

  it('suggests nothing unrelated', () => {
    expect(closest('colour', ['max_entries', 'no_sync'])).toBeUndefined();
    expect(closest('ab', ['abcdef'])).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });
});
