import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkModule } from '../../harness/fork-module.js';

/** The CLI's entry, for tests that fork it themselves. */
export const SWEEP_MAIN = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

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
export function cli(args: string[], cwd: string, stop?: StopWhen): Promise<Exit> {
  return new Promise((resolve) => {
    const child = forkModule(SWEEP_MAIN, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], cwd, detached: stop?.how === 'interrupt' });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let sent = false;
    const timer = stop
      ? setInterval(() => {
        if (sent || !stop.when()) return;
        sent = true;
        if (stop.how === 'kill') child.kill('SIGKILL');
        else process.kill(-child.pid!, 'SIGINT');
      }, 20)
      : undefined;
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The run files a sweep has written so far. */
export const runFiles = (out: string): string[] => (existsSync(join(out, 'runs')) ? readdirSync(join(out, 'runs')).filter((f) => f.endsWith('.json')) : []);
