#!/usr/bin/env node
/**
 * The `cachebench` command line. Each sub-command lives in cli/commands/ and
 * exports `register(program)`; add one by importing it and adding it to the list.
 */
import { CommanderError } from 'commander';
import { register as registerAgent } from './commands/agent.js';
import { SCENARIOS } from '../scenarios/registry.js';
import { painter } from '../shared/colour.js';
import { register as registerBackends } from './commands/backends.js';
import { register as registerBaseline } from './commands/baseline.js';
import { register as registerCalibrate } from './commands/calibrate.js';
import { register as registerCompare } from './commands/compare.js';
import { register as registerMerge } from './commands/merge.js';
import { register as registerReport } from './commands/report.js';
import { register as registerRun } from './commands/run.js';
import { register as registerScenarios } from './commands/scenarios.js';
import { register as registerSweep } from './commands/sweep.js';
import { silenceClosedPipes } from './closed-pipe.js';
import { mistypedCommand } from './mistyped-command.js';
import { createProgram, finishProgram } from './program.js';

// Every command, not one by one: `cachebench <command> | head` ends quietly (see closed-pipe.ts).
silenceClosedPipes();
const program = createProgram();
for (const register of [
  registerRun,
  registerScenarios,
  registerBackends,
  registerCompare,
  registerBaseline,
  registerCalibrate,
  registerReport,
  registerMerge,
  registerSweep,
  registerAgent,
])
  register(program);
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
