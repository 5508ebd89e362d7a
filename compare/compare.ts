import { fnv1a32 } from '../shared/fnv1a32.js';
import type { ResultsFile } from '../results/results.js';
import { bootstrapRatioOfMedians, median } from './bootstrap.js';
import { checkInputs, type SideSources } from './check-inputs.js';
import { failureRows } from './failures.js';
import { pairBySeed } from './pair-runs.js';
import { pairedFigures, pairsNeededTwoSided } from './paired-row.js';
import { detectableOrNone, rowDetectable } from './row-detectable.js';
import { mannWhitneyU, minimumTwoSidedP, runsNeededPerSide } from './mann-whitney.js';
import { seededRandom } from '../shared/rng.js';
import {
  COMPARE_SCHEMA,
  COMPARE_VERSION,
  type CompareMode,
  type ComparisonReport,
  type ComparisonRow,
} from './report.js';
import { singleRunRow, SingleRunSides } from './single-run.js';
import {
  ALL_ACTIONS,
  regressionOf,
  STATISTICS,
  statisticsInOrder,
  totalThroughput,
  type StatisticDefinition,
  type StatisticName,
} from './statistic.js';

export interface CompareOptions {
  /** Backend label to divide every statistic by, run by run, to cancel machine speed. @default none */
  reference?: string;
  /** Significance level of the rank test; intervals are at 1 − alpha. @default 0.05 */
  alpha?: number;
  /** Seed of the bootstrap, so reports are reproducible. @default 1 */
  seed?: number;
  /** Bootstrap resamples per cell. @default 2000 */
  resamples?: number;
  /** Statistics to report. @default all of STATISTICS */
  statistics?: StatisticName[];
  /** Names of the input files, for error messages. @default "base run 1", … */
  sources?: Partial<SideSources>;
  /**
   * With too few runs a side for the rank test to reach alpha, judge latency
   * anyway on within-run intervals of the merged histograms. Those ignore
   * run-to-run noise, so identical code can be called slower and fail a gate;
   * without this, such rows are "not judged". @default false
   */
  judgeWithinRun?: boolean;
  /**
   * `auto`: when base and head runs pair one to one by seed (interleaved runs replaying the same
   * operations) and there are enough pairs for the signed-rank test, judge the pairs; `off`: always
   * judge the two sides as independent samples. @default 'auto'
   */
  pairing?: 'auto' | 'off';
}

type ResolvedOptions = Required<Omit<CompareOptions, 'reference' | 'sources'>> & { reference: string | undefined };

/**
 * Compares two sides (each one results file or several repeated runs) per
 * backend × action × statistic. See docs/compare.md for the method.
 */
export function compare(
  base: readonly ResultsFile[],
  head: readonly ResultsFile[],
  options: CompareOptions = {},
): ComparisonReport {
  const resolved: ResolvedOptions = {
    reference: options.reference,
    alpha: options.alpha ?? 0.05,
    seed: options.seed ?? 1,
    resamples: options.resamples ?? 2000,
    statistics: options.statistics ?? STATISTICS.map((s) => s.name),
    judgeWithinRun: options.judgeWithinRun ?? false,
    pairing: options.pairing ?? 'auto',
  };
  if (!(resolved.alpha > 0 && resolved.alpha < 0.5))
    throw new RangeError(`alpha ${resolved.alpha} must be between 0 and 0.5`);
  const layout = checkInputs(
    base,
    head,
    { base: options.sources?.base ?? [], head: options.sources?.head ?? [] },
    resolved.reference,
  );
  const statistics = statisticsInOrder(resolved.statistics);

  const smallestP = minimumTwoSidedP(base.length, head.length);
  const repeated = base.length >= 2 && head.length >= 2 && smallestP <= resolved.alpha;
  const pairedHead = resolved.pairing === 'auto' ? pairBySeed(base, head) : undefined;
  const paired = pairedHead !== undefined && base.length >= pairsNeededTwoSided(resolved.alpha);
  // Paired mode reads head in the order of its base partners.
  if (paired) head = pairedHead;
  // Too few runs: the rows are reported but not judged, unless the user accepted within-run judgement (no crying wolf).
  const mode: CompareMode = paired
    ? 'paired-runs'
    : repeated
      ? 'repeated-runs'
      : resolved.judgeWithinRun
        ? 'single-run'
        : 'too-few-runs';
  const notes = modeNotes(mode, base.length, head.length, smallestP, resolved.alpha);
  if (pairedHead !== undefined && !paired) {
    notes.push(
      `runs pair by seed, but ${base.length} pairs are too few for the signed-rank test (it needs ≥ ${pairsNeededTwoSided(resolved.alpha)} at α = ${resolved.alpha}); compared as independent runs`,
    );
  }
  const singleRun = mode === 'single-run' ? new SingleRunSides(base, head) : undefined;

  const rows: ComparisonRow[] = [];
  try {
    for (const [label, actions] of layout) {
      if (label === resolved.reference) continue; // always exactly 1 after normalising
      // Latency per action; throughput once per backend (action "all"), see ALL_ACTIONS.
      const cells: [string, StatisticDefinition][] = [
        ...actions.flatMap((action) =>
          statistics.filter((s) => s.kind === 'latency').map((s): [string, StatisticDefinition] => [action, s]),
        ),
        ...statistics.filter((s) => s.kind === 'rate').map((s): [string, StatisticDefinition] => [ALL_ACTIONS, s]),
      ];
      for (const [action, statistic] of cells) {
        rows.push(
          singleRun
            ? singleRunRow(singleRun, label, action, statistic, resolved, actions)
            : withDetectable(
                repeatedRow(base, head, label, action, statistic, resolved, actions, mode),
                mode,
                resolved,
              ),
        );
      }
    }
  } finally {
    singleRun?.release();
  }
  return {
    schema: COMPARE_SCHEMA,
    version: COMPARE_VERSION,
    scenario: base[0].scenario.name,
    mode,
    reference: resolved.reference ?? null,
    baseRuns: base.length,
    headRuns: head.length,
    alpha: resolved.alpha,
    confidence: 1 - resolved.alpha,
    seed: resolved.seed,
    resamples: resolved.resamples,
    notes,
    rows,
    failures: failureRows(base, head, layout, resolved.alpha).filter((f) => f.backend !== resolved.reference),
  };
}

function modeNotes(mode: CompareMode, nBase: number, nHead: number, smallestP: number, alpha: number): string[] {
  if (mode === 'repeated-runs') return [];
  if (mode === 'paired-runs')
    return [
      `${nBase} pairs of runs matched by seed: each pair's log ratio head/base is the evidence, so a slow phase of the machine that hit both members of a pair cancels`,
    ];
  const needed = runsNeededPerSide(alpha);
  const advice = `each side with \`cachebench run --repeat ${Math.max(5, needed)}\` for a proper test`;
  const why =
    nBase === 1 && nHead === 1
      ? 'one run each: significance across runs cannot be judged'
      : `${nBase} base and ${nHead} head runs: the rank test cannot reach p < ${alpha} (smallest possible p = ${smallestP.toFixed(3)})`;
  if (mode === 'too-few-runs') {
    return [
      `${why}. Latency and throughput rows are not judged (need ≥ ${needed} runs a side): a --fail-on gate that names them exits 2 (not judged) rather than pass, unless a rise in failed operations fails it. Run ${advice}, or accept within-run judgement with --judge-within-run.`,
    ];
  }
  return [
    `${why}. --judge-within-run: verdicts use within-run order-statistic intervals of the merged histograms, which ignore run-to-run noise, so unchanged code can be called slower; throughput is not judged; run ${advice}.`,
  ];
}

/** Per-run values of one statistic, divided by the reference's same statistic in the same run. `actions`: what ALL_ACTIONS sums. */
function perRunValues(
  files: readonly ResultsFile[],
  label: string,
  action: string,
  statistic: StatisticDefinition,
  reference: string | undefined,
  actions: readonly string[],
): number[] {
  const read = (backend: string, file: ResultsFile): number => {
    const results = file.backends.find((b) => b.label === backend)!.actions;
    return action === ALL_ACTIONS ? totalThroughput(results, actions) : statistic.read(results[action]);
  };
  return files.map((file) => (reference === undefined ? read(label, file) : read(label, file) / read(reference, file)));
}

function repeatedRow(
  base: readonly ResultsFile[],
  head: readonly ResultsFile[],
  label: string,
  action: string,
  statistic: StatisticDefinition,
  options: ResolvedOptions,
  actions: readonly string[],
  /** `too-few-runs`: the row carries the figures and the verdict "not judged". */
  mode: CompareMode,
): ComparisonRow {
  const baseValues = perRunValues(base, label, action, statistic, options.reference, actions);
  const headValues = perRunValues(head, label, action, statistic, options.reference, actions);
  const baseMedian = median(baseValues);
  const headMedian = median(headValues);
  const row = {
    backend: label,
    action,
    statistic: statistic.name,
    kind: statistic.kind,
    base: { runs: base.length, value: baseMedian, values: baseValues },
    head: { runs: head.length, value: headMedian, values: headValues },
  };
  if (![...baseValues, ...headValues].every((v) => Number.isFinite(v) && v > 0)) {
    return {
      ...row,
      ratio: Number.NaN,
      ci: null,
      pValue: null,
      verdict: 'not judged',
      regression: 0,
      gateRegression: 0,
      note: 'a run recorded no operations (or a zero reference)',
    };
  }
  const ratio = headMedian / baseMedian;
  // Each cell gets its own stream, so adding a backend does not move the other rows' intervals.
  const random = seededRandom(cellSeed(options.seed, label, action, statistic.name));
  if (mode === 'paired-runs') {
    const figures = pairedFigures(baseValues, headValues, statistic.kind, {
      alpha: options.alpha,
      resamples: options.resamples,
      random,
    });
    return { ...row, ...figures, detectable: detectableOrNone(figures.detectable), gateRegression: figures.regression };
  }
  if (mode !== 'repeated-runs') {
    return {
      ...row,
      ratio,
      ci: null,
      pValue: null,
      verdict: 'not judged',
      regression: regressionOf(statistic.kind, ratio),
      gateRegression: 0,
      note: `need ≥ ${runsNeededPerSide(options.alpha)} runs a side`,
    };
  }
  const test = mannWhitneyU(headValues, baseValues);
  const ci = bootstrapRatioOfMedians(baseValues, headValues, {
    resamples: options.resamples,
    confidence: 1 - options.alpha,
    random,
  });
  // U at its null mean has no direction (with ties a two-sided p there need not be 1).
  const center = (headValues.length * baseValues.length) / 2;
  const verdict =
    test.p >= options.alpha || test.u === center
      ? 'no significant change'
      : test.u > center === (statistic.kind === 'latency')
        ? 'slower'
        : 'faster';
  const regression = regressionOf(statistic.kind, ratio);
  return { ...row, ratio, ci, pValue: test.p, verdict, regression, gateRegression: regression };
}

/** Adds what the row could have caught, from its own per-run noise (row-detectable.ts); paired rows have it already. */
function withDetectable(row: ComparisonRow, mode: CompareMode, options: ResolvedOptions): ComparisonRow {
  if (row.detectable !== undefined) return row;
  const detectable = rowDetectable(
    row,
    mode,
    options.alpha,
    cellSeed(options.seed, row.backend, row.action, `${row.statistic}\u0000detectable`),
  );
  return detectable === undefined ? row : { ...row, detectable: detectableOrNone(detectable) };
}

/** A per-cell seed offset: the engine's FNV-1a 32 of the cell's name (UTF-8), so each cell has its own stream. */
export function cellSeed(seed: number, label: string, action: string, statistic: string): number {
  return (seed ^ fnv1a32(Buffer.from(`${label}\u0000${action}\u0000${statistic}`, 'utf8'))) >>> 0;
}
