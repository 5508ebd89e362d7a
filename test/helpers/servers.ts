import { findExecutable } from '../../backends/servers/spawn-server.js';

/**
 * Decides whether a test file that needs a real server binary can run.
 *
 * Locally a missing binary is a visible skip that says how to enable the
 * tests. Under CI (`CI=true`) it is a failure: CI installs the servers, so a
 * missing one means the tests would silently stop covering anything.
 */
export interface ServerAvailability {
  available: boolean;
  /** Absolute path of the binary when available. */
  binary?: string;
  /** Why the tests skip, for `describe.skipIf(...)` titles and the console. */
  reason: string;
}

export function serverBinary(binary: string, install: string): ServerAvailability {
  const path = findExecutable(binary);
  if (path) return { available: true, binary: path, reason: '' };
  const reason = `${binary} is not on PATH; install it to run these tests: ${install}`;
  if (process.env.CI === 'true') {
    throw new Error(`${reason} (CI=true: a missing server fails instead of skipping)`);
  }
  console.warn(`SKIPPED: ${reason}`);
  return { available: false, reason };
}

/** redis-server, installed on Debian/Ubuntu with `apt-get install redis-server`. */
export function redisServerBinary(): ServerAvailability {
  return serverBinary('redis-server', 'apt-get install redis-server');
}

/** memcached, installed on Debian/Ubuntu with `apt-get install memcached`. */
export function memcachedBinary(): ServerAvailability {
  return serverBinary('memcached', 'apt-get install memcached');
}
