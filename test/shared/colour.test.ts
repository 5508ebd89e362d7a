import { describe, expect, it } from 'vitest';
import { colourEnabled, painter } from '../../shared/colour.js';

const terminal = { isTTY: true, hasColors: () => true };
const pipe = {};

describe('colour', () => {
  it('colours a terminal with colours, not a pipe', () => {
    expect(colourEnabled(terminal, {})).toBe(true);
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(colourEnabled({ isTTY: true, hasColors: () => false }, {})).toBe(false);
  });

  it('NO_COLOR turns it off, FORCE_COLOR on (0 or false off)', () => {
    expect(colourEnabled(terminal, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(terminal, { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled(terminal, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled(pipe, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });

  it('paints with the ANSI codes, or leaves the text alone', () => {
    expect(painter(terminal, {})('red', 'error:')).toBe('\x1b[31merror:\x1b[39m');
    expect(painter(terminal, {})('bold', 'x')).toBe('\x1b[1mx\x1b[22m');
    expect(painter(pipe, {})('red', 'error:')).toBe('error:');
  });
});
