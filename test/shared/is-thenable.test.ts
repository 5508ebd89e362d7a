import { describe, expect, it } from 'vitest';
import { isThenable } from '../../shared/is-thenable.js';

describe('isThenable', () => {
  it('is true for promises and any object or function with a then method', () => {
    expect(isThenable(Promise.resolve(1))).toBe(true);
    expect(isThenable({ then: () => undefined })).toBe(true);
    expect(isThenable(Object.assign(() => undefined, { then: () => undefined }))).toBe(true);
  });

  it('is false for what a synchronous store answers', () => {
    for (const value of [undefined, null, 0, 'text', true, new Uint8Array(2), { then: 1 }, []])
      expect(isThenable(value)).toBe(false);
  });
});
