import type { Core } from './core.js';
import { closedError } from './errors.js';

/**
 * What a Cache holds in place of its Core once closed: any use throws
 * CacheStateError. Every method reaches the database through its Core, so
 * none can forget the check and none pays for it while the cache is open
 * (a raw "database connection is not open" TypeError came out of the
 * methods that prepared a statement outside the error mapping).
 */
export const CLOSED_CORE: Core = new Proxy({} as Core, {
  get(): never {
    throw closedError();
  },
});
