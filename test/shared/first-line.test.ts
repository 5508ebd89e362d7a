import { describe, expect, it } from 'vitest';
import { firstLine } from '../../shared/first-line.js';

describe('firstLine', () => {
  it('keeps the text before the first newline, and a one-line text whole', () => {
    expect(firstLine('disk full\n    at write (x.js:1)\n')).toBe('disk full');
    expect(firstLine('one line')).toBe('one line');
    expect(firstLine('\nstarts empty')).toBe('');
  });
});
