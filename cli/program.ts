import { readFileSync } from 'node:fs';
import { Command } from 'commander';
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

// cli/ sits one level below package.json from sources, two from dist/.
function packageVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cachebench' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return 'unknown';
}
