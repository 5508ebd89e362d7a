import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnCli, type CliExit } from '../cli/spawn-cli.js';

/** When to stop the CLI and how: SIGKILL to the CLI alone (a crash), or SIGINT to its process group (Ctrl-C). */
export interface StopWhen {
  when: () => boolean;
  how: 'kill' | 'interrupt';
}

/**
 * Runs `cachebench` in `cwd` as a real process. With `stop`, the condition is
 * polled and, once true, the CLI is killed, or (as a shell runs a job in its
 * own process group) SIGINT goes to the CLI and its workers, as Ctrl-C does.
 */
export function cli(args: string[], cwd: string, stop?: StopWhen): Promise<CliExit> {
  const { child, exit } = spawnCli(args, { cwd, detached: stop?.how === 'interrupt' });
  if (!stop) return exit;
  let sent = false;
  const timer = setInterval(() => {
    if (sent || !stop.when()) return;
    sent = true;
    if (stop.how === 'kill') child.kill('SIGKILL');
    else process.kill(-child.pid!, 'SIGINT');
  }, 20);
  return exit.finally(() => clearInterval(timer));
}

/** The run files a sweep has written so far. */
export const runFiles = (out: string): string[] =>
  existsSync(join(out, 'runs')) ? readdirSync(join(out, 'runs')).filter((f) => f.endsWith('.json')) : [];
