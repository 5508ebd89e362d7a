import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { forkModule } from '../../harness/fork-module.js';

/**
 * Seed of every random choice in this folder (kill moments, op mixes). Fixed
 * so a failure repeats; RELIABILITY_SEED=<n> explores other schedules.
 */
export const SEED = Number(process.env.RELIABILITY_SEED ?? 20_240_611);

/**
 * Multiplies the model-based tests' run counts (RELIABILITY_MODEL_SCALE=12
 * gives over 10,000 command sequences; npm run soak sets it).
 */
export const MODEL_SCALE = Number(process.env.RELIABILITY_MODEL_SCALE ?? 1);

export const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Open file descriptors of this process. */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Resolves with the exit code (or signal) once the child is gone. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Resolves with the child's first IPC message; rejects if it exits first or takes longer than `ms`. */
export function firstMessage<T = unknown>(child: ChildProcess, ms = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child ${child.pid} sent nothing within ${ms} ms`)), ms);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as T);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`child ${child.pid} exited (${code ?? signal}) before its first message`));
    });
  });
}

/** Forks a fixture with an IPC channel, inheriting stderr so a child's crash is visible. */
export function forkFixture(name: string, args: string[]): ChildProcess {
  return forkModule(fixture(name), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}
