import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { registerCommands } from '../../cli/register-commands.js';
import { createProgram } from '../../cli/program.js';

/**
 * Command lines in the docs must use flags the command has: a renamed option
 * (`--backend` for run's `--backends`) otherwise lives on in examples. Every
 * `cachebench <command> …` on a line is checked against that command's own
 * options, read from its definition, so a new or renamed option needs no edit here.
 */
const program = createProgram();
registerCommands(program);

function longOptions(command: Command): Set<string> {
  return new Set([...command.options.map((o) => o.long!), '--help']);
}

/** The command a `cachebench …` invocation names (plain `cachebench` is run), with its sub-command for baseline. */
function commandOf(words: readonly string[]): Command {
  const top = program.commands.find((c) => c.name() === words[0]);
  if (!top) return program.commands.find((c) => c.name() === 'run')!;
  const sub = top.commands.find((c) => c.name() === words[1]);
  return sub ?? top;
}

interface Misuse {
  file: string;
  line: number;
  command: string;
  flag: string;
}

/**
 * Pages whose code blocks also hold lines of bare options (`--backends sqlite:…`,
 * `--fail-on '…'`), with the command those options belong to.
 */
const BARE_OPTIONS: Record<string, string> = { 'docs/backends.md': 'run', 'docs/compare.md': 'compare', text: 'run' };

function misusedFlags(text: string, file = 'text'): { misuses: Misuse[]; checked: number } {
  const misuses: Misuse[] = [];
  let checked = 0;
  let fenced = false;
  text.split('\n').forEach((line, index) => {
    if (line.startsWith('```')) fenced = !fenced;
    const bare = BARE_OPTIONS[file];
    const source = bare && fenced && line.trimStart().startsWith('--') ? `cachebench ${bare} ${line}` : line;
    // Each `cachebench` on the line starts an invocation that runs to the next one (or a shell comment).
    for (const part of source
      .replace(/\s#\s.*$/, '')
      .split(/\bcachebench\b/)
      .slice(1)) {
      const command = commandOf(part.trim().split(/\s+/));
      const options = longOptions(command);
      // Prose ends the invocation: a closing backtick, "then", "; " or a dash.
      const invocation = part.split(/`|\bthen\b|;\s|—/)[0]!;
      for (const flag of invocation.match(/(?<![\w-])--[a-z][a-z-]*/g) ?? []) {
        checked++;
        if (!options.has(flag)) misuses.push({ file, line: index + 1, command: command.name(), flag });
      }
    }
  });
  return { misuses, checked };
}

const read = (file: string): string => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const DOCS = [
  'README.md',
  ...readdirSync(new URL('../../docs/', import.meta.url))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('command lines in the docs use the options their command has', () => {
  it.each(DOCS)('%s', (file) => {
    expect(misusedFlags(read(file), file).misuses).toEqual([]);
  });

  it('checks the examples (not vacuously)', () => {
    expect(DOCS.reduce((n, file) => n + misusedFlags(read(file)).checked, 0)).toBeGreaterThan(40);
  });

  it("catches another command's flag, in a command line and in a code block of run options", () => {
    const text = [
      'npx cachebench run talk --backend sqlite --procs 1',
      'cachebench sweep talk --backend fanout   # sweep has --backend',
      '```',
      '--backend sqlite:mmap_size=0',
      '```',
    ].join('\n');
    expect(misusedFlags(text).misuses).toEqual([
      { file: 'text', line: 1, command: 'run', flag: '--backend' },
      { file: 'text', line: 4, command: 'run', flag: '--backend' },
    ]);
  });
});
