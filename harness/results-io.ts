import { readFile, writeFile } from 'node:fs/promises';
import { prepareFileLocation } from './output-location.js';
import { RESULTS_SCHEMA, RESULTS_VERSION, type ResultsFile } from './results.js';
import { CachebenchError } from '../shared/cachebench-error.js';

export class ResultsFileError extends CachebenchError<'RESULTS_FILE'> {
  constructor(readonly path: string, problem: string) {
    super('RESULTS_FILE', `results file ${path}: ${problem}`);
  }
}

export async function writeResults(path: string, results: ResultsFile): Promise<void> {
  await prepareFileLocation(path);
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}

/** Reads and validates a results file; errors name the file and the problem. */
export async function loadResults(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ResultsFileError(path, `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // JSON.parse's message may span lines (it quotes the text); the CLI prints one.
    throw new ResultsFileError(path, `not JSON (${(error as Error).message.replace(/\s*\n\s*/g, ' ')})`);
  }
  return validateResults(value, path);
}

/** Checks the shape reports rely on; extra fields are allowed (later versions may add optional ones). */
export function validateResults(value: unknown, path = '<results>'): ResultsFile {
  const fail = (problem: string): never => {
    throw new ResultsFileError(path, problem);
  };
  if (!isRecord(value)) return fail('expected a JSON object');
  if (value.schema !== RESULTS_SCHEMA) fail(`not a cachebench results file ("schema" is ${JSON.stringify(value.schema)}, expected "${RESULTS_SCHEMA}")`);
  if (typeof value.version !== 'number' || !Number.isInteger(value.version)) fail('"version" must be an integer');
  if ((value.version as number) > RESULTS_VERSION) fail(`version ${value.version} is newer than this cachebench reads (${RESULTS_VERSION}); upgrade cachebench`);
  if ((value.version as number) < 1) fail(`version ${value.version} is not a known version`);
  if (typeof value.createdAt !== 'string') fail('"createdAt" must be a string');
  if (!isRecord(value.environment)) fail('"environment" must be an object');
  const env = value.environment as Record<string, unknown>;
  for (const field of ['node', 'platform', 'cpuModel', 'sqlite']) if (typeof env[field] !== 'string') fail(`"environment.${field}" must be a string`);
  if (typeof env.cores !== 'number') fail('"environment.cores" must be a number');
  if (!isRecord(value.scenario) || typeof (value.scenario as Record<string, unknown>).name !== 'string') fail('"scenario.name" must be a string');
  const parameters = (value.scenario as Record<string, unknown>).parameters;
  if (parameters !== undefined && !isRecord(parameters)) fail('"scenario.parameters" must be an object (of the --param overrides)');
  if (!isRecord(value.run)) fail('"run" must be an object');
  const run = value.run as Record<string, unknown>;
  if (typeof run.procs !== 'number' || typeof run.seed !== 'number') fail('"run.procs" and "run.seed" must be numbers');
  if (run.loadModel !== 'closed' && run.loadModel !== 'open') fail('"run.loadModel" must be "closed" or "open"');
  // Optional: files written before timeouts were timed do not have it (answer-counts.ts reads both).
  if (run.timeoutsTimed !== undefined && typeof run.timeoutsTimed !== 'boolean') fail('"run.timeoutsTimed" must be true or false');
  if (!Array.isArray(value.backends)) fail('"backends" must be an array');
  (value.backends as unknown[]).forEach((backend, i) => validateBackend(backend, `backends[${i}]`, fail));
  return value as unknown as ResultsFile;
}

const STATUSES = ['completed', 'partial', 'errored', 'unavailable'];
const PERCENTILES = ['p50', 'p90', 'p99', 'p999', 'max', 'min', 'mean'];

function validateBackend(backend: unknown, where: string, fail: (problem: string) => never): void {
  if (!isRecord(backend)) fail(`"${where}" must be an object`);
  const b = backend as Record<string, unknown>;
  if (typeof b.label !== 'string' || typeof b.name !== 'string') fail(`"${where}.label" and ".name" must be strings`);
  if (!STATUSES.includes(b.status as string)) fail(`"${where}.status" must be one of ${STATUSES.join(', ')}`);
  if (typeof b.wallSeconds !== 'number') fail(`"${where}.wallSeconds" must be a number`);
  // Optional: files written before the second barrier do not have it.
  if (b.measureStartSeconds !== undefined && typeof b.measureStartSeconds !== 'number') fail(`"${where}.measureStartSeconds" must be a number`);
  if (!isRecord(b.actions)) fail(`"${where}.actions" must be an object`);
  for (const [action, result] of Object.entries(b.actions as Record<string, unknown>)) {
    const at = `${where}.actions.${action}`;
    if (!isRecord(result)) fail(`"${at}" must be an object`);
    const r = result as Record<string, unknown>;
    for (const field of ['count', 'misses', 'timeouts', 'errors', 'totalNs', 'throughput']) {
      if (typeof r[field] !== 'number') fail(`"${at}.${field}" must be a number`);
    }
    if (!Array.isArray(r.errorMessages)) fail(`"${at}.errorMessages" must be an array`);
    if (typeof r.histogram !== 'string') fail(`"${at}.histogram" must be an encoded histogram string`);
    if (!isRecord(r.percentiles)) fail(`"${at}.percentiles" must be an object`);
    for (const p of PERCENTILES) if (typeof (r.percentiles as Record<string, unknown>)[p] !== 'number') fail(`"${at}.percentiles.${p}" must be a number`);
  }
  if (!Array.isArray(b.intervals)) fail(`"${where}.intervals" must be an array`);
  if (b.injectedDelays !== undefined) {
    if (!isRecord(b.injectedDelays)) fail(`"${where}.injectedDelays" must be an object`);
    for (const [method, delay] of Object.entries(b.injectedDelays as Record<string, unknown>)) {
      const d = delay as Record<string, unknown>;
      if (!isRecord(delay) || typeof d.ns !== 'number' || !(d.ns > 0) || typeof d.share !== 'number' || !(d.share > 0 && d.share <= 1)) {
        fail(`"${where}.injectedDelays.${method}" must be { ns: a positive number, share: a fraction in (0, 1] }`);
      }
    }
  }
  if (b.hostNoise !== undefined) {
    const noise = b.hostNoise as Record<string, unknown>;
    if (!isRecord(noise)) fail(`"${where}.hostNoise" must be an object`);
    if (typeof noise.thresholdCores !== 'number') fail(`"${where}.hostNoise.thresholdCores" must be a number`);
    for (const field of ['samples', 'noisyIntervals', 'tracked']) if (!Array.isArray(noise[field])) fail(`"${where}.hostNoise.${field}" must be an array`);
    (noise.samples as unknown[]).forEach((sample, i) => {
      const s = sample as Record<string, unknown>;
      if (!isRecord(s) || typeof s.start !== 'number' || typeof s.seconds !== 'number') fail(`"${where}.hostNoise.samples[${i}]" must be an object with numbers start and seconds`);
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
