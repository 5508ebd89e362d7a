import { forkModule } from '../../harness/fork-module.js';

const CHILD = new URL('./fixtures/recipes-child.ts', import.meta.url);

/** Forks `count` children of one mode that start together; resolves with their results (rejects on any failure). */
export async function runChildren(
  count: number,
  mode: string,
  directory: string,
  args: (string | number)[] = [],
  leadMs = 2500,
): Promise<unknown[]> {
  const startAt = Date.now() + leadMs; // far enough ahead for the tsx children to load
  const runs = Array.from(
    { length: count },
    () =>
      new Promise<unknown>((resolve, reject) => {
        const child = forkModule(CHILD, [mode, directory, String(startAt), ...args.map(String)], {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        let message: { ok: boolean; result?: unknown; error?: string } | undefined;
        child.on('message', (m) => (message = m as typeof message));
        child.on('error', reject);
        child.on('exit', (code) =>
          message?.ok ? resolve(message.result) : reject(new Error(message?.error ?? `child exited with ${code}`)),
        );
      }),
  );
  return Promise.all(runs);
}
