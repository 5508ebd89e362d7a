import type { Core } from './core.js';

/** fn's result, SQLite's errors as typed ones (a module function: Cache's prototype holds only its API). */
export function mapped<T>(core: Core, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw core.mapError(error);
  }
}
