/** Cross-process recipes on a Cache or FanoutCache, after diskcache's recipes.py. */
export { Averager } from './averager.js';
export { barrier, type BarrierOptions, type LockLike } from './barrier.js';
export { Lock, RLock } from './lock.js';
export { memoizeStampede, type StampedeOptions } from './memoize-stampede.js';
export { memoizeStampedeAsync, type StampedeAsyncOptions } from './memoize-stampede-async.js';
export type { AcquireOptions } from './polling-lock.js';
export type { RecipeCache, RecipeOptions } from './recipe-cache.js';
export { BoundedSemaphore } from './semaphore.js';
export { throttle, type ThrottleOptions } from './throttle.js';
