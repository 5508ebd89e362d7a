import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadResults } from '../../results/results-io.js';
import { redisServerBinary } from '../helpers/servers.js';
import { spawnCli } from './spawn-cli.js';

/**
 * The private redis-server dies in the middle of a duration run. The run must
 * not hang or crash: it finishes, writes the results file, marks redis
 * `partial` with the failed operations counted and the connection error as
 * the message, still runs memory, and exits 1.
 */
const redis = redisServerBinary();
const dir = mkdtempSync(join(tmpdir(), 'cachebench-redis-killed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pids of the children of `parent` whose command name starts with `name` (from /proc). */
function childrenNamed(parent: number, name: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name sits in parentheses and may contain spaces; the fields after it are plain.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && comm.startsWith(name)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** The port a running redis-server listens on: it rewrites its command line to `redis-server HOST:PORT`. */
function portOf(pid: number): number | undefined {
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+/g, ' ');
  const port = /:(\d+)\b/.exec(cmdline)?.[1] ?? /--port (\d+)/.exec(cmdline)?.[1];
  return port === undefined ? undefined : Number(port);
}

/** total_commands_processed from `INFO stats`, or -1 when the server does not answer. */
function commandsProcessed(port: number): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (n: number): void => {
      socket.destroy();
      resolve(n);
    };
    socket.setTimeout(2_000, () => done(-1));
    socket.once('error', () => done(-1));
    socket.once('connect', () => socket.write('INFO stats\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const match = /total_commands_processed:(\d+)/.exec(reply);
      if (match) done(Number(match[1]));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!redis.available)(
  `a private redis-server killed during a run${redis.available ? '' : ` (skipped: ${redis.reason})`}`,
  () => {
    it('finishes, writes the results, marks redis partial with the failures counted, still runs memory, exits 1', async () => {
      const out = join(dir, 'killed.json');
      // Without -q the parent logs each backend's status to stderr; --no-report keeps the run to the measurements.
      const cli = spawnCli(
        ['run', 'talk', '-b', 'redis,memory', '-p', '2', '-d', '4', '-w', '0', '--no-report', '-o', out],
        { cwd: dir },
      );
      let killed: number | undefined;
      let exited = false;
      void cli.exit.then(() => (exited = true));
      // No timing guess: wait until the run's own redis-server has served well past the preload and the
      // first measured operations, then kill it by its pid.
      while (!exited && killed === undefined) {
        const [pid] = childrenNamed(cli.child.pid!, 'redis-server');
        const port = pid === undefined ? undefined : portOf(pid);
        if (pid !== undefined && port !== undefined && (await commandsProcessed(port)) > 1_000) {
          process.kill(pid, 'SIGKILL');
          killed = pid;
        }
        await sleep(50);
      }
      const { code, stdout, stderr } = await cli.exit;
      expect(killed, `the run ended before its redis-server served 1,000 commands\n${stderr}`).toBeDefined();
      expect(code, stderr).toBe(1);

      const results = await loadResults(out);
      const [redisResult, memoryResult] = results.backends;
      expect(redisResult!.label).toBe('redis');
      // The server the test killed is the run's own private one.
      expect(redisResult!.description?.instance?.server_pid).toBe(killed);
      expect(redisResult!.status).toBe('partial');
      const actions = Object.values(redisResult!.actions);
      const failed = actions.reduce((n, a) => n + a.errors, 0);
      // `count` is the operations recorded in the histogram; failed ones are counted apart in `errors`.
      const succeeded = actions.reduce((n, a) => n + a.count, 0);
      expect(failed).toBeGreaterThan(0);
      expect(succeeded).toBeGreaterThan(0);
      // The message counts the failures and carries the client's one-line connection error.
      expect(redisResult!.message).toMatch(
        new RegExp(`^${failed} of \\d+ operations failed: .*connection lost or refused`),
      );
      expect(actions.flatMap((a) => a.errorMessages).join('\n')).toMatch(/is the server still running\?/);

      expect(memoryResult!.label).toBe('memory');
      expect(memoryResult!.status).toBe('completed');
      expect(Object.values(memoryResult!.actions).reduce((n, a) => n + a.count, 0)).toBeGreaterThan(0);

      // The terminal says it too: redis partial with its message under its table, memory's table printed.
      expect(stderr).toMatch(/ {2}redis: partial — \d+ of \d+ operations failed/);
      expect(stdout).toMatch(/status partial: \d+ of \d+ operations failed: .*connection lost or refused/);
      expect(stdout).toContain('Timings for memory');
      expect(stdout).toContain(`results: ${out}`);
    }, 120_000);
  },
);
