import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forkModule } from '../../harness/fork-module.js';
import { Cache } from '../../engine/index.js';
import { tempDir } from './helpers.js';

const CHILD = new URL('./fixtures/memoize-async-child.ts', import.meta.url);

/** Forks `count` children that call the memoized function at one instant; resolves with what each got. */
function runChildren(count: number, mode: string, directory: string, holdMs: number): Promise<string[]> {
  const startAt = Date.now() + 2500; // far enough ahead for the tsx children to load
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<string>((resolve, reject) => {
          const child = forkModule(CHILD, [mode, directory, String(startAt), String(holdMs)], {
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          });
          let message: { ok: boolean; result?: string; error?: string } | undefined;
          child.on('message', (m) => (message = m as typeof message));
          child.on('error', reject);
          child.on('exit', (code) =>
            message?.ok ? resolve(message.result!) : reject(new Error(message?.error ?? `child exited with ${code}`)),
          );
        }),
    ),
  );
}

function calls(directory: string): number {
  const state = new Cache(`${directory}-state`);
  try {
    return state.get('calls', { default: 0 }) as number;
  } finally {
    state.close();
  }
}

describe('async memoizers across processes', () => {
  for (const mode of ['async', 'fanout', 'stampede']) {
    it(`${mode}: 4 processes missing at once run the computation once and all get its value`, async () => {
      const directory = join(tempDir(), 'cache');
      const results = await runChildren(4, mode, directory, 400);
      expect(calls(directory)).toBe(1);
      expect(new Set(results).size).toBe(1);
      expect(results[0]).toMatch(/^report 7 computed by \d+$/);
    }, 30_000);
  }
});
