#!/usr/bin/env node
/**
 * The `cachebench` command line: the program, its commands (register-commands.ts) and the one-line handling of
 * every error that reaches the top.
 */
import { CommanderError } from 'commander';
import { SCENARIOS } from '../scenarios/registry.js';
import { painter } from '../shared/colour.js';
import { silenceClosedPipes } from './closed-pipe.js';
import { mistypedCommand } from './mistyped-command.js';
import { registerCommands } from './register-commands.js';
import { createProgram, finishProgram } from './program.js';

// Every command, not one by one: `cachebench <command> | head` ends quietly (see closed-pipe.ts).
silenceClosedPipes();
const program = createProgram();
registerCommands(program);
finishProgram(program);

const mistyped = mistypedCommand(program, process.argv.slice(2), SCENARIOS.keys());
if (mistyped !== undefined) {
  process.stderr.write(`${mistyped.replace(/^error:/, painter(process.stderr)('red', 'error:'))}\n`);
  process.exit(2);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version exit 0; every argument error exits 2 (commander already printed it).
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  process.stderr.write(
    `${painter(process.stderr)('red', 'error:')} ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
