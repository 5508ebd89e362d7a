import { readFileSync, writeFileSync } from 'node:fs';
import type { ResultsFile } from '../results/results.js';
import { checkInputs } from './check-inputs.js';
import { CompareInputError } from './errors.js';

/**
 * The baseline kept in the repository (default bench/baseline.json): the
 * repeated runs of the base side, each a results file with its bulky parts
 * removed (per-second intervals, open-loop service-time histograms). The
 * latency histograms and per-run statistics stay, so `baseline check` runs
 * exactly the comparison `compare` would run against the original files.
 */
export const BASELINE_SCHEMA = 'cachebench/baseline';
export const BASELINE_VERSION = 1;
export const DEFAULT_BASELINE_FILE = 'bench/baseline.json';

export interface BaselineFile {
  schema: typeof BASELINE_SCHEMA;
  version: typeof BASELINE_VERSION;
  savedAt: string;
  runs: ResultsFile[];
}

/** Validates one embedded run as the harness validates a results file. */
export type ValidateResults = (value: unknown, source: string) => ResultsFile;

export function makeBaseline(runs: readonly ResultsFile[], now: Date): BaselineFile {
  // The runs must be comparable with each other, or every later check fails.
  checkInputs(runs, runs.slice(0, 1), { base: [], head: [] });
  return {
    schema: BASELINE_SCHEMA,
    version: BASELINE_VERSION,
    savedAt: now.toISOString(),
    runs: runs.map(compactRun),
  };
}

function compactRun(run: ResultsFile): ResultsFile {
  return {
    ...run,
    backends: run.backends.map((backend) => ({
      ...backend,
      intervals: [],
      actions: Object.fromEntries(
        Object.entries(backend.actions).map(([action, { serviceTime: _dropped, ...rest }]) => [action, rest]),
      ),
    })),
  };
}

export function writeBaseline(path: string, baseline: BaselineFile): void {
  writeFileSync(path, `${JSON.stringify(baseline)}\n`);
}

export function readBaseline(path: string, validate: ValidateResults): BaselineFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CompareInputError(
      `baseline ${path} does not exist; create it with \`cachebench baseline save <results…> --file ${path}\``,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CompareInputError(`baseline ${path} is not valid JSON (${(error as Error).message}); save it again`);
  }
  const candidate = value as Partial<BaselineFile> | null;
  if (candidate?.schema !== BASELINE_SCHEMA || candidate.version !== BASELINE_VERSION) {
    throw new CompareInputError(
      `${path} is not a ${BASELINE_SCHEMA} version ${BASELINE_VERSION} file (schema ${String(candidate?.schema)}, version ${String(candidate?.version)}); save it again with this cachebench`,
    );
  }
  if (!Array.isArray(candidate.runs) || candidate.runs.length === 0)
    throw new CompareInputError(`baseline ${path} holds no runs; save it again`);
  return { ...candidate, runs: candidate.runs.map((run, i) => validate(run, `${path} run ${i + 1}`)) } as BaselineFile;
}
