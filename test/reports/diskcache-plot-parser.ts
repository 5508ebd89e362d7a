/**
 * python-diskcache's tests/plot.py `parse_data` and `parse_timing`, rewritten
 * in TypeScript with the same rules, so a test can check that the talk's own
 * plotting script would read our tables.txt. The rules, as plot.py applies them:
 * - a line starting with eight nine-character `=` blocks (one space apart) opens a table,
 *   if the next line is `Timings for NAME` (otherwise the line is skipped);
 * - then, at fixed offsets: exactly 79 dashes; the header; a block rule; the rows
 *   `get`, `set`, `delete` (assertions fail otherwise); one more line; a block rule;
 * - header and rows are cut into seven nine-character cells and an eighth of 8–9
 *   characters, one space apart, each stripped; a row maps header names to cells;
 * - a latency ends in `ms`, `us` or `s` and its number must parse as a Python float.
 * The parser is checked on a table written by the original benchmark_core.py
 * (fixtures/diskcache-tables.txt) before it is used on ours.
 */
const BLOCKS = /^={9}(?: ={9}){7}/;
const DASHES = /^-{79}$/;
const TITLE = /^Timings for (.*)$/;
const ROW = /^(.{9}) (.{9}) (.{9}) (.{9}) (.{9}) (.{9}) (.{9}) (.{8,9})/;

export type PlotRow = Record<string, string>;
export type PlotData = Map<string, { get: PlotRow; set: PlotRow; delete: PlotRow }>;

export class PlotParseError extends Error {}

function check(condition: boolean, what: string, line: number): void {
  if (!condition) throw new PlotParseError(`plot.py would fail: ${what} (line ${line + 1})`);
}

function parseRow(line: string | undefined, at: number): string[] {
  const match = ROW.exec(line ?? '');
  // plot.py calls .groups() on the match, which fails when there is none.
  check(match !== null, 'row does not split into diskcache columns', at);
  return match!.slice(1).map((cell) => cell.trim());
}

/** plot.py's parse_data on a file's text (its `readlines()`; a line's trailing newline never matters to these patterns). */
export function parsePlotData(text: string): PlotData {
  const lines = text.split('\n');
  const data: PlotData = new Map();
  let index = 0;
  while (index < lines.length) {
    if (!BLOCKS.test(lines[index]!)) {
      index++;
      continue;
    }
    const title = TITLE.exec(lines[index + 1] ?? '');
    if (!title) {
      index++;
      continue;
    }
    check(DASHES.test(lines[index + 2] ?? ''), 'no line of exactly 79 dashes under the title', index + 2);
    const cols = parseRow(lines[index + 3], index + 3);
    check(BLOCKS.test(lines[index + 4] ?? ''), 'no block rule under the header', index + 4);
    const rows = (['get', 'set', 'delete'] as const).map((action, i) => {
      const row = parseRow(lines[index + 5 + i], index + 5 + i);
      check(row[0] === action, `row ${i + 1} is "${row[0]}", not "${action}"`, index + 5 + i);
      return Object.fromEntries(cols.map((col, c) => [col, row[c]!])) as PlotRow;
    });
    check(BLOCKS.test(lines[index + 9] ?? ''), 'no block rule after the Total line', index + 9);
    data.set(title[1]!, { get: rows[0]!, set: rows[1]!, delete: rows[2]! });
    index += 10;
  }
  return data;
}

/** Python's float() on a string: surrounding whitespace allowed, nothing else. */
function pythonFloat(text: string): number {
  if (!/^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(text))
    throw new PlotParseError(`plot.py would fail: float(${JSON.stringify(text)})`);
  return Number(text);
}

/** plot.py's parse_timing: microseconds, or 0 above `limit` seconds (its default 0.005). */
export function parsePlotTiming(timing: string, limit = 0.005): number {
  let seconds: number;
  if (timing.endsWith('ms')) seconds = pythonFloat(timing.slice(0, -2)) * 1e-3;
  else if (timing.endsWith('us')) seconds = pythonFloat(timing.slice(0, -2)) * 1e-6;
  else if (timing.endsWith('s')) seconds = pythonFloat(timing.slice(0, -1));
  else throw new PlotParseError(`plot.py would fail: ${JSON.stringify(timing)} has no unit`);
  return seconds > limit ? 0 : seconds * 1e6;
}
