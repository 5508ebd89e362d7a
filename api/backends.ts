/**
 * `cachebench/backends`: what a module backend is written against.
 *
 * A module backend is a file whose default export is a `BackendFactory`; run it
 * with `cachebench run -b ./my-store.js`. The factory validates its
 * `name:key=value` options in `provision` (in the parent, once per run) and
 * `create`s one `Backend` per worker process from the provisioned spec.
 * Throw `BackendTimeoutError` for an operation the store gave up on (timed and
 * counted as a miss), `BackendUnavailableError` from `provision` when the
 * store cannot run here (the run skips it), and `BackendSpecError` for a bad
 * option. The option helpers name the option in their errors and suggest the
 * closest known name for a typo. A store in another language runs its own
 * worker process: `defineForeignBackend` declares its command and capabilities
 * (docs/worker-protocol.md).
 */
export type {
  Backend,
  BackendDescription,
  BackendFactory,
  BackendOptions,
  BackendSpec,
  Capability,
  CreateContext,
  Durability,
  MaybePromise,
  OptionDoc,
  ProvisionContext,
  Provisioned,
  Value,
} from '../backends/backend.js';
export { BackendConnectionError, BackendTimeoutError, BackendUnavailableError } from '../backends/backend.js';
export { BackendSpecError } from '../backends/spec.js';
export {
  checkExpire,
  choiceOption,
  integerOption,
  rejectUnknownOptions,
  secondsOption,
  sizeOption,
} from '../backends/options.js';
export {
  defineForeignBackend,
  type ForeignBackendFactory,
  type ForeignWorkerDeclaration,
} from '../backends/foreign/foreign-factory.js';
