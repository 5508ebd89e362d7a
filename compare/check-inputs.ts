import type { ResultsFile } from '../results/results.js';
import { resultsVersionProblem } from '../results/results-version.js';
import { CompareInputError } from './errors.js';
import { stableJson } from './stable-json.js';

export { stableJson };

/**
 * Checks that two sets of results files are like for like before any number
 * is compared: same schema version, same scenario and parameters, same run
 * shape, the same backends (all completed) with the same actions. Each file
 * was already validated on its own by the results loader; the version is
 * asked again through the same check (results/results-version.ts) for files
 * handed to `compare()` directly, and the rest are the cross-file checks only
 * compare needs.
 */
export interface SideSources {
  base: readonly string[];
  head: readonly string[];
}

/** Backend label → sorted action names, the cells compare will fill. */
export type Layout = Map<string, string[]>;

export function checkInputs(
  base: readonly ResultsFile[],
  head: readonly ResultsFile[],
  sources: SideSources,
  reference?: string,
): Layout {
  if (base.length === 0)
    throw new CompareInputError('BASE has no results files; pass a results file or a folder of repeated runs');
  if (head.length === 0)
    throw new CompareInputError('HEAD has no results files; pass a results file or a folder of repeated runs');
  const all = [
    ...base.map((file, i) => ({ file, source: sources.base[i] ?? `base run ${i + 1}` })),
    ...head.map((file, i) => ({ file, source: sources.head[i] ?? `head run ${i + 1}` })),
  ];
  const first = all[0];
  for (const { file, source } of all) {
    const versionProblem = resultsVersionProblem(file.schema, file.version);
    if (versionProblem) throw new CompareInputError(`${source}: ${versionProblem}`);
    checkSameScenario(first.file, first.source, file, source);
    checkSameRunShape(first.file, first.source, file, source);
  }
  const layout = layoutOf(first.file, first.source);
  for (const { file, source } of all.slice(1)) {
    const other = layoutOf(file, source);
    for (const [label, actions] of layout) {
      const otherActions = other.get(label);
      if (!otherActions)
        throw new CompareInputError(
          `${source}: backend "${label}" is missing (present in ${first.source}); run both sides with the same --backends`,
        );
      if (otherActions.join(',') !== actions.join(',')) {
        throw new CompareInputError(
          `${source}: backend "${label}" timed actions ${otherActions.join(',')} but ${first.source} timed ${actions.join(',')}`,
        );
      }
    }
    for (const label of other.keys()) {
      if (!layout.has(label))
        throw new CompareInputError(
          `${source}: backend "${label}" is not in ${first.source}; run both sides with the same --backends`,
        );
    }
  }
  if (reference !== undefined) checkReference(layout, reference);
  return layout;
}

function checkSameScenario(a: ResultsFile, aSource: string, b: ResultsFile, bSource: string): void {
  if (a.scenario.name !== b.scenario.name) {
    throw new CompareInputError(
      `scenarios differ: ${aSource} ran "${a.scenario.name}", ${bSource} ran "${b.scenario.name}"; compare runs of the same scenario`,
    );
  }
  const aParams = stableJson(a.scenario.parameters);
  const bParams = stableJson(b.scenario.parameters);
  if (aParams !== bParams) {
    throw new CompareInputError(
      `scenario "${a.scenario.name}" parameters differ: ${aSource} ${aParams} vs ${bSource} ${bParams}; run both sides with the same options`,
    );
  }
}

// The seed may differ between repeats (that is the point of repeating); the
// load shape may not, since it changes every latency figure.
const RUN_FIELDS = ['procs', 'ops', 'durationSeconds', 'warmupOps', 'rate', 'loadModel'] as const;

function checkSameRunShape(a: ResultsFile, aSource: string, b: ResultsFile, bSource: string): void {
  for (const field of RUN_FIELDS) {
    if (a.run[field] !== b.run[field]) {
      throw new CompareInputError(
        `run parameter ${field} differs: ${aSource} ${String(a.run[field])} vs ${bSource} ${String(b.run[field])}; run both sides with the same options`,
      );
    }
  }
  // CPU placement changes every client/server hand-off cost (docs/measurement.md),
  // so pinned and unpinned runs are not like for like either.
  const aPin = a.run.measurement?.pin ?? null;
  const bPin = b.run.measurement?.pin ?? null;
  if (aPin !== bPin) {
    throw new CompareInputError(
      `CPU placement differs: ${aSource} --pin ${aPin ?? '(none)'} vs ${bSource} --pin ${bPin ?? '(none)'}; run both sides with the same --pin`,
    );
  }
}

function layoutOf(file: ResultsFile, source: string): Layout {
  const layout: Layout = new Map();
  for (const backend of file.backends) {
    // A partial run timed its operations but some failed: it is compared, and its errors are judged (failures.ts).
    if (backend.status !== 'completed' && backend.status !== 'partial') {
      const why = backend.message ? `: ${backend.message}` : '';
      throw new CompareInputError(
        `${source}: backend "${backend.label}" is ${backend.status}${why}; only completed (or partial) runs can be compared`,
      );
    }
    if (layout.has(backend.label))
      throw new CompareInputError(`${source}: backend label "${backend.label}" appears twice`);
    layout.set(backend.label, Object.keys(backend.actions).sort());
  }
  return layout;
}

function checkReference(layout: Layout, reference: string): void {
  const referenceActions = layout.get(reference);
  if (!referenceActions) {
    throw new CompareInputError(
      `reference backend "${reference}" is not in the results (backends: ${[...layout.keys()].join(', ')}); add it to --backends or drop --reference`,
    );
  }
  for (const [label, actions] of layout) {
    const missing = actions.filter((a) => !referenceActions.includes(a));
    if (missing.length > 0) {
      throw new CompareInputError(
        `reference backend "${reference}" did not time ${missing.join(',')}, which "${label}" did; choose a reference that runs every action`,
      );
    }
  }
}
