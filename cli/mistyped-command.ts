import type { Command } from 'commander';
import { closest } from '../shared/did-you-mean.js';

/**
 * `cachebench reprot a.json`: `run` is the default command, so commander
 * would take `reprot` for run's scenario and complain about run's arguments.
 * A first word that is no command, no known scenario and no file, but is
 * close to a command's name, is a mistyped command: this returns the one-line
 * message for it, or undefined when the word is not one.
 */
export function mistypedCommand(
  program: Command,
  args: readonly string[],
  scenarios: Iterable<string>,
): string | undefined {
  const word = args[0];
  if (word === undefined || word.startsWith('-') || /[./\\]/.test(word)) return undefined;
  const commands = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (commands.includes(word) || [...scenarios].includes(word)) return undefined;
  const suggestion = closest(word, commands);
  return suggestion === undefined
    ? undefined
    : `error: unknown command '${word}'; did you mean '${suggestion}'? (run "cachebench --help" for the commands)`;
}
