/**
 * `cachebench merge`: results of several runs of one configuration become one
 * results file whose histograms are the sums of the runs' histograms, so the
 * merged percentiles are exact percentiles of all samples — never averages of
 * per-run percentiles. Runs of different configurations are refused. Runs
 * through load agents merge each host's part the same way when every run
 * split its workers over the same agents alike.
 */
import type { ActionResult, BackendResult, BackendStatus, IntervalSample, ResultsFile } from './results.js';
import type { ClockOffset, HostPart } from './host-part.js';
import { decodeHistogram, encodeHistogram, percentilesOf, type Histogram } from './histogram.js';
import { summarizeNoise } from './noise-summary.js';
import { MergeError } from './merge-error.js';
import { PER_RUN_KEY, runRecords } from './run-values.js';

/** How many distinct error messages a merged action keeps, like the harness. */
const MAX_ERROR_MESSAGES = 5;

/** Status severity: the merged backend reports the worst of its runs. */
const STATUS_RANK: Record<BackendStatus, number> = { completed: 0, partial: 1, errored: 2, unavailable: 3 };

export function mergeResults(files: readonly ResultsFile[]): ResultsFile {
  if (files.length === 0) throw new MergeError('NO_INPUT', 'merge needs at least one results file');
  checkSameConfiguration(files);
  const [first] = files;
  const backends = first.backends.map((b) =>
    mergeBackend(files.map((f) => f.backends.find((x) => x.label === b.label) as BackendResult)),
  );
  return {
    ...first,
    createdAt: new Date().toISOString(),
    environment: {
      ...first.environment,
      extra: {
        ...first.environment.extra,
        mergedFrom: files.map((f) => ({
          createdAt: f.createdAt,
          hostname: f.environment.hostname ?? null,
          gitRevision: f.environment.gitRevision ?? null,
          seed: f.run.seed,
        })),
        // Each run's medians, p99s and throughputs: the summed histograms cannot tell runs apart, the summary's spread needs them.
        [PER_RUN_KEY]: files.flatMap(runRecords),
      },
    },
    backends,
  };
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function mismatch(what: string, a: unknown, b: unknown, index: number): never {
  const [field, first, other] = firstDifference(what, a, b);
  throw new MergeError(
    'MERGE_MISMATCH',
    `cannot merge: file ${index + 1} has ${field} = ${short(other)} but file 1 has ${short(first)}; merge only runs of the same configuration, or pass the files to \`cachebench report\` to compare them side by side`,
  );
}

/** The first field (dotted path) where two values differ, so the message names it instead of dumping both. */
function firstDifference(path: string, a: unknown, b: unknown): [string, unknown, unknown] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (stable(a[key]) !== stable(b[key])) return firstDifference(`${path}.${key}`, a[key], b[key]);
    }
  }
  return [path, a, b];
}

function short(value: unknown): string {
  const text = value === undefined ? 'nothing' : stable(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Whether the files are runs of one configuration, which `merge` would take. */
export function sameConfiguration(files: readonly ResultsFile[]): boolean {
  try {
    checkSameConfiguration(files);
    return true;
  } catch (error) {
    if (error instanceof MergeError) return false;
    throw error;
  }
}

function checkSameConfiguration(files: readonly ResultsFile[]): void {
  const [first] = files;
  // The same run twice would be counted twice: refuse identical files (two real runs always differ in their histograms and times).
  const seen = new Map<string, number>();
  files.forEach((f, i) => {
    const key = stable(f);
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new MergeError(
        'MERGE_DUPLICATE',
        `cannot merge: file ${i + 1} is the same run as file ${earlier + 1} (created ${f.createdAt}, seed ${f.run.seed}); merging it would count its operations twice`,
      );
    seen.set(key, i);
  });
  files.forEach((f, i) => {
    if (f.schema !== first.schema || f.version !== first.version)
      mismatch('schema', `${first.schema} v${first.version}`, `${f.schema} v${f.version}`, i);
    if (f.scenario.name !== first.scenario.name) mismatch('scenario.name', first.scenario.name, f.scenario.name, i);
    if (stable(f.scenario.parameters) !== stable(first.scenario.parameters))
      mismatch('scenario.parameters', first.scenario.parameters, f.scenario.parameters, i);
    // The seed may differ: repeating a configuration with new keys is the point of merging.
    const { seed: _a, ...runA } = first.run;
    const { seed: _b, ...runB } = f.run;
    if (stable(runA) !== stable(runB)) mismatch('run', runA, runB, i);
    const labelsA = first.backends.map((b) => b.label).sort();
    const labelsB = f.backends.map((b) => b.label).sort();
    if (stable(labelsA) !== stable(labelsB)) mismatch('the set of backends', labelsA, labelsB, i);
    for (const b of f.backends) {
      const a = first.backends.find((x) => x.label === b.label) as BackendResult;
      if (stable(a.description?.settings ?? null) !== stable(b.description?.settings ?? null)) {
        mismatch(`backend ${b.label} settings`, a.description?.settings, b.description?.settings, i);
      }
    }
  });
}

function addHistograms(encoded: readonly string[], where: string): Histogram {
  const [head, ...rest] = encoded.map((e, i) => decodeHistogram(e, `${where} (file ${i + 1})`));
  // A decoded histogram's range is what its run saw; a later run's slower samples must widen it, not be refused.
  head.autoResize = true;
  for (const h of rest) head.add(h);
  return head;
}

function mergeAction(runs: readonly ActionResult[], wallSeconds: number, where: string): ActionResult {
  const total = addHistograms(
    runs.map((r) => r.histogram),
    where,
  );
  const sum = (pick: (r: ActionResult) => number): number => runs.reduce((t, r) => t + pick(r), 0);
  const count = sum((r) => r.count);
  const merged: ActionResult = {
    count,
    misses: sum((r) => r.misses),
    timeouts: sum((r) => r.timeouts),
    errors: sum((r) => r.errors),
    errorMessages: [...new Set(runs.flatMap((r) => r.errorMessages))].slice(0, MAX_ERROR_MESSAGES),
    percentiles: percentilesOf(total),
    totalNs: sum((r) => r.totalNs),
    // Runs were back to back: the merged rate is all operations over all measured time.
    throughput: wallSeconds > 0 ? count / wallSeconds : 0,
    histogram: encodeHistogram(total),
  };
  const services = runs.map((r) => r.serviceTime);
  if (services.every((s) => s !== undefined)) {
    const service = addHistograms(
      services.map((s) => s!.histogram),
      `${where} service time`,
    );
    merged.serviceTime = { percentiles: percentilesOf(service), histogram: encodeHistogram(service) };
  }
  return merged;
}

function mergeBackend(runs: readonly BackendResult[]): BackendResult {
  const [first] = runs;
  const wallSeconds = runs.reduce((t, r) => t + r.wallSeconds, 0);
  const actions: Record<string, ActionResult> = {};
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.actions)))];
  for (const action of names) {
    const present = runs.filter((r) => r.actions[action]).map((r) => r.actions[action]);
    actions[action] = mergeAction(present, wallSeconds, `${first.label} ${action}`);
  }
  const worst = runs.reduce((w, r) => (STATUS_RANK[r.status] > STATUS_RANK[w.status] ? r : w), first);
  const messages = [...new Set(runs.map((r, i) => (r.message ? `run ${i + 1}: ${r.message}` : '')).filter(Boolean))];
  const merged: BackendResult = {
    ...first,
    status: worst.status,
    wallSeconds,
    actions,
    intervals: concatIntervals(runs),
  };
  if (messages.length > 0) merged.message = messages.join('; ');
  else delete merged.message;
  const metrics = mergeMetrics(runs);
  if (metrics) merged.metrics = metrics;
  const noise = mergeNoise(runs);
  if (noise) merged.hostNoise = noise;
  else delete merged.hostNoise;
  const hosts = mergeHostParts(runs);
  if (hosts) merged.hosts = hosts;
  else delete merged.hosts;
  return merged;
}

/** Which share of a run a host part is: the same agent running the same workers in every run can be merged. */
const shareOf = (p: HostPart): string => `${p.agent} ${p.firstWorker}+${p.procs}`;

/**
 * Runs through agents: each host's parts merged across runs as the backend's
 * own figures are, when every run split its workers over the same agents the
 * same way. Otherwise (a run without agents, other agents, another split) no
 * host's figures add up to one part, and `hosts` is left out.
 */
function mergeHostParts(runs: readonly BackendResult[]): HostPart[] | undefined {
  const [first] = runs;
  if (!first.hosts || first.hosts.length === 0) return undefined;
  const shares = first.hosts.map(shareOf).join(',');
  if (!runs.every((r) => r.hosts && r.hosts.map(shareOf).join(',') === shares)) return undefined;
  return first.hosts.map((part, i) => {
    const parts = runs.map((r) => r.hosts![i]!);
    return { ...part, clock: widestClock(parts.map((p) => p.clock)), result: mergeBackend(parts.map((p) => p.result)) };
  });
}

/** The clock of the run that was furthest from the coordinator's, offset plus half its round trip: the least flattering run. */
function widestClock(clocks: readonly ClockOffset[]): ClockOffset {
  const reach = (c: ClockOffset): number => Math.abs(c.offsetNs) + c.rttNs / 2;
  return clocks.reduce((widest, c) => (reach(c) > reach(widest) ? c : widest));
}

/**
 * Every run's noise samples back to back, like the intervals, judged again:
 * a merged file must not show only the first run's quiet (or noise).
 */
function mergeNoise(runs: readonly BackendResult[]): BackendResult['hostNoise'] {
  if (runs.some((r) => !r.hostNoise)) return undefined;
  const samples = [];
  let offset = 0;
  for (const r of runs) {
    for (const s of r.hostNoise!.samples) samples.push({ ...s, start: s.start + offset });
    offset += r.wallSeconds;
  }
  const threshold = Math.min(...runs.map((r) => r.hostNoise!.thresholdCores));
  return summarizeNoise(
    samples,
    threshold,
    runs.flatMap((r) => r.hostNoise!.tracked),
  );
}

/** The runs' one-second series placed back to back, each shifted by the wall time of the runs before it. */
function concatIntervals(runs: readonly BackendResult[]): IntervalSample[] {
  const out: IntervalSample[] = [];
  let offset = 0;
  for (const r of runs) {
    for (const i of r.intervals) out.push({ ...i, start: i.start + offset });
    offset += r.wallSeconds;
  }
  return out;
}

/**
 * Scenario metrics are free-form and may be ratios, which cannot be summed:
 * numbers become the mean over runs, other values are kept when all runs agree
 * and listed per run otherwise.
 */
function mergeMetrics(runs: readonly BackendResult[]): BackendResult['metrics'] {
  if (runs.every((r) => !r.metrics)) return undefined;
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics ?? {})))];
  const out: NonNullable<BackendResult['metrics']> = {};
  for (const key of keys) {
    const values = runs.map((r) => r.metrics?.[key]);
    if (values.every((v) => typeof v === 'number'))
      out[key] = (values as number[]).reduce((a, b) => a + b, 0) / values.length;
    else if (new Set(values.map((v) => String(v))).size === 1 && values[0] !== undefined) out[key] = values[0];
    else out[key] = values.map((v) => String(v)).join(' | ');
  }
  return out;
}
