import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forkModule } from '../../harness/fork-module.js';
import { tempDir } from './helpers.js';

describe('setStream of chunks that are not bytes', () => {
  it('rejects with InvalidValueError, stores nothing, and the process lives on (a real child process)', async () => {
    const dir = tempDir();
    const child = forkModule(new URL('./fixtures/set-stream-non-bytes.ts', import.meta.url), [dir], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    let report: unknown;
    child.on('message', (message) => (report = message));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).not.toMatch(/ERR_INVALID_ARG_TYPE/);
    expect(code).toBe(0);
    expect(report).toEqual({
      outcomes: [
        { code: 'INVALID_VALUE', name: 'InvalidValueError' },
        { code: 'INVALID_VALUE', name: 'InvalidValueError' },
      ],
      after: { kept: 'old value', fresh: null },
    });
    // No spill file left behind by either attempt.
    expect((readdirSync(dir, { recursive: true }) as string[]).filter((name) => name.endsWith('.val'))).toEqual([]);
  }, 30_000);
});
