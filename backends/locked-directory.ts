import { rmSync } from 'node:fs';
import type { Provisioned } from './backend.js';

/**
 * Provisions a store kept in one directory that only one process may open
 * (LevelDB, RocksDB): `createAndClose` creates the database there and closes
 * it again, releasing its lock for the run's one worker; teardown removes it.
 * The spec is the settings themselves.
 */
export async function provisionLockedDirectory<S extends { location: string }>(
  settings: S,
  createAndClose: (settings: S) => Promise<void>,
): Promise<Provisioned> {
  await createAndClose(settings);
  return {
    spec: { ...settings },
    storagePath: settings.location,
    teardown: async () => rmSync(settings.location, { recursive: true, force: true }),
  };
}
