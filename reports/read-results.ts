/**
 * Loading results files for `report` and `merge`: the JSON is checked for the
 * fields reports read, so a wrong or truncated file fails with one line naming
 * the file, the problem and the fix instead of a TypeError deep in a plot.
 */
import { readFile } from 'node:fs/promises';
import { RESULTS_SCHEMA, RESULTS_VERSION, type ResultsFile } from '../harness/results.js';
import { ReportError } from './errors.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(where: string, problem: string): never {
  throw new ReportError('RESULTS_INVALID', `${where}: ${problem}; pass a results file written by \`cachebench run\``);
}

/** Checks the shape reports rely on and returns the value typed. */
export function validateResults(data: unknown, where: string): ResultsFile {
  if (!isObject(data)) invalid(where, 'not a JSON object');
  if (data.schema !== RESULTS_SCHEMA) invalid(where, `schema is ${JSON.stringify(data.schema)}, expected "${RESULTS_SCHEMA}"`);
  if (data.version !== RESULTS_VERSION) {
    throw new ReportError(
      'RESULTS_INVALID',
      `${where}: results version ${JSON.stringify(data.version)} is not supported (this cachebench reads version ${RESULTS_VERSION}); report it with the cachebench version that wrote it`,
    );
  }
  for (const key of ['environment', 'scenario', 'run'] as const) if (!isObject(data[key])) invalid(where, `"${key}" is missing`);
  if (!Array.isArray(data.backends)) invalid(where, '"backends" is not a list');
  data.backends.forEach((b: unknown, i: number) => {
    if (!isObject(b) || typeof b.label !== 'string') invalid(where, `backends[${i}] has no label`);
    const at = `backend ${b.label}`;
    if (!isObject(b.actions)) invalid(where, `${at} has no "actions"`);
    if (!Array.isArray(b.intervals)) invalid(where, `${at} has no "intervals" list`);
    for (const [action, r] of Object.entries(b.actions)) {
      if (!isObject(r) || typeof r.count !== 'number' || typeof r.histogram !== 'string' || !isObject(r.percentiles)) {
        invalid(where, `${at} action ${action} lacks count, percentiles or histogram`);
      }
    }
  });
  return data as unknown as ResultsFile;
}

export async function readResultsFile(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReportError('RESULTS_UNREADABLE', `${path}: cannot read the results file (${code ?? String(error)}); check the path`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReportError('RESULTS_UNREADABLE', `${path}: not valid JSON (${(error as Error).message}); the file may be truncated — rerun \`cachebench run\``);
  }
  return validateResults(data, path);
}
