/**
 * Every sub-command of `cachebench`, in the order `--help` lists them. Each lives in cli/commands/ and exports
 * `register(program)`; add one by importing it here. The command line and the tests that read the commands'
 * definitions both build their program through this list, so a new command cannot be left out of either.
 */
import type { Command } from 'commander';
import { register as registerAgent } from './commands/agent.js';
import { register as registerBackends } from './commands/backends.js';
import { register as registerBaseline } from './commands/baseline.js';
import { register as registerCalibrate } from './commands/calibrate.js';
import { register as registerCompare } from './commands/compare.js';
import { register as registerMerge } from './commands/merge.js';
import { register as registerReport } from './commands/report.js';
import { register as registerRun } from './commands/run.js';
import { register as registerScenarios } from './commands/scenarios.js';
import { register as registerSweep } from './commands/sweep.js';

const COMMANDS = [
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
];

export function registerCommands(program: Command): void {
  for (const register of COMMANDS) register(program);
}
