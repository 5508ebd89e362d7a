/**
 * `cachebench/results`: the results file `cachebench run` writes
 * (`--json`), for tools that read it. `loadResults` reads and validates
 * one (a `ResultsFileError`, code `RESULTS_FILE`, names the file and the
 * problem); `validateResults` does the same for a parsed value. Latencies are
 * integer nanoseconds; `schema` and `version` say which layout a file has.
 * The JSON Schema of the layout is `cachebench/results.schema.json`.
 */
export type {
  Action,
  ActionResult,
  BackendResult,
  BackendStatus,
  CallFloor,
  CallFloors,
  Environment,
  FilesystemInfo,
  HostNoise,
  IntervalSample,
  MeasurementParameters,
  NoiseSample,
  Percentiles,
  Placement,
  RecordedDescription,
  RecordedDurability,
  ResultsFile,
  RunParameters,
} from '../results/results.js';
export type { ClockOffset, HostPart } from '../results/host-part.js';
export { RESULTS_SCHEMA, RESULTS_VERSION } from '../results/results.js';
export { loadResults, ResultsFileError, validateResults } from '../results/results-io.js';
