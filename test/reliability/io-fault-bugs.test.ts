import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../engine/helpers.js';
import { disableFault, enableFault, fiuTools, forkUnderFiu, type Fault } from './fiu.js';
import { exited, firstMessage, sleep } from './helpers.js';

/**
 * Engine calls that a failing disk must turn into a typed error (a CacheError
 * with a code), each under one fault held on for the whole call. The random
 * schedule of io-faults.test.ts finds these now and then; here each is certain.
 */
const fiu = fiuTools();

/**
 * A held `write()` fault can also hit the eventfd write a libuv worker thread makes to wake the loop, and
 * libuv aborts the process on that (docs/reliability.md): an artefact of the injection, not of the code
 * under test. Such a probe is run again, up to three times; any other outcome counts at once.
 */
async function outcomeUnder(action: 'spill' | 'read' | 'open', fault: Fault): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await probeOnce(action, fault);
    } catch (error) {
      if (attempt >= 3 || !/SIGABRT/.test((error as Error).message)) throw error;
    }
  }
}

async function probeOnce(action: 'spill' | 'read' | 'open', fault: Fault): Promise<string> {
  const base = tempDir();
  const child = forkUnderFiu('fault-probe.ts', [join(base, 'cache'), action]);
  try {
    await firstMessage(child);
    child.send({ armed: join(base, 'armed'), done: join(base, 'done') });
    enableFault(child.pid!, fault);
    try {
      mkdirSync(join(base, 'armed'));
      for (let waited = 0; !existsSync(join(base, 'done')); waited += 10) {
        if (waited > 30_000 || child.exitCode !== null || child.signalCode !== null)
          throw new Error(`probe ${action} did not finish (${child.exitCode ?? child.signalCode ?? 'hung'})`);
        await sleep(10);
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) disableFault(child.pid!, fault);
    }
    child.send({ report: true });
    const outcome = await firstMessage<string>(child);
    await exited(child);
    return outcome;
  } finally {
    child.kill('SIGKILL');
  }
}

describe.skipIf(!fiu.available)(
  `engine calls on a failing disk give typed errors${fiu.available ? '' : ` (skipped: ${fiu.reason})`}`,
  () => {
    it('a spill file write that fails with EIO raises a CacheError, not a raw fs error', async () => {
      expect(await outcomeUnder('spill', { point: 'posix/io/rw/write', errno: 'EIO', probability: 1 })).toMatch(
        /^typed /,
      );
    });

    it('opening a cache whose header read fails with EIO raises a CacheError, not a raw fs error', async () => {
      expect(await outcomeUnder('open', { point: 'posix/io/rw/pread', errno: 'EIO', probability: 1 })).toMatch(
        /^typed /,
      );
    });

    it('a spill file read whose open fails with EIO raises a CacheError, not a raw fs error', async () => {
      expect(await outcomeUnder('read', { point: 'posix/io/oc/open', errno: 'EIO', probability: 1 })).toMatch(
        /^typed /,
      );
    });

    it('a spill file write that fails with ENOSPC raises a CacheError (the typed case next to the EIO one)', async () => {
      expect(await outcomeUnder('spill', { point: 'posix/io/rw/write', errno: 'ENOSPC', probability: 1 })).toMatch(
        /^typed CacheDirectoryError CACHE_DIRECTORY/,
      );
    });
  },
);
