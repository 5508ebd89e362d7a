import { Command } from 'commander';
import { packageVersion } from '../shared/package-info.js';
import { usageHint } from './usage-error.js';

/**
 * The root command. Settings made here before sub-commands are added are
 * inherited by them: errors come back to main.ts as exceptions, which maps
 * every argument error to exit code 2.
 */
export function createProgram(): Command {
  return new Command('cachebench')
    .description('How fast, and how predictably, does a cache answer get and set under real multi-process load?')
    .version(packageVersion())
    .exitOverride()
    .showHelpAfterError('(run "cachebench --help" for the commands)');
}

/** After every command is registered: each prints its own usage after an argument error. */
export function finishProgram(program: Command): Command {
  for (const command of program.commands) command.showHelpAfterError(usageHint(command));
  return program;
}
