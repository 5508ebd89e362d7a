import { CommanderError, type Command } from 'commander';
import { CachebenchError } from '../shared/cachebench-error.js';
import { painter } from '../shared/colour.js';

/** A bad command-line argument: reported as one line plus the usage, exit code 2. */
export class UsageError extends CachebenchError<'USAGE'> {
  constructor(message: string) {
    super('USAGE', message);
  }
}

// Errors whose cause is what the user typed: a bad backend spec, scenario or parameter.
const ARGUMENT_ERROR_CODES = new Set(['USAGE', 'BACKEND_SPEC', 'SCENARIO', 'INJECTED_DELAY']);

/** Reports an argument error through commander (one line, usage, exit 2); rethrows anything else. */
export function failUsage(command: Command, error: unknown): never {
  if (error instanceof CachebenchError && ARGUMENT_ERROR_CODES.has(error.code)) {
    command.error(`error: ${error.message}`, { exitCode: 2, code: 'cachebench.usage' });
  }
  throw error;
}

/**
 * A problem with where output goes, not with how the command was typed
 * (`--out /proc/nope`): one line, exit 2, and no usage after it.
 */
export function failOneLine(message: string): never {
  process.stderr.write(`${painter(process.stderr)('red', 'error:')} ${message}\n`);
  throw new CommanderError(2, 'cachebench.output', message);
}

/** Commander prints this after its own one-line errors: the usage, and where to find the rest. */
export function usageHint(command: Command): string {
  const path: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) path.unshift(c.name());
  return `usage: ${path.join(' ')} ${command.usage()}\n(run "${path.join(' ')} --help" for every option)`;
}
