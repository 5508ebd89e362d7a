/**
 * The sweep summary: one row per combination with the objective of each
 * repeat and its median, medians of the per-run figures the plots need, the
 * ranking by objective and the recommendation(s). Percentiles are taken from
 * each run's own histogram and only their median across repeats is shown —
 * percentiles of different runs are never averaged.
 */
import { median } from '../compare/bootstrap.js';
import { answerCounts, timeoutsTimed } from '../results/answer-counts.js';
import type { Environment, ResultsFile } from '../results/results.js';
import { SweepError } from './errors.js';
import { evaluateObjective, objectiveActions, type Objective } from './objective.js';
import { planFactories, type Combination, type SweepPlan, type SweepSizes } from './plan.js';
import { confirmationFor } from './confirm.js';
import { durabilityOf, durabilityWarning } from './durability.js';
import { recommend, type Recommendation } from './recommend.js';

export const SUMMARY_SCHEMA = 'cachebench/sweep-summary';

export interface ActionFigures {
  /** Medians over the completed repeats. */
  p50: number;
  p99: number;
  throughput: number;
  /** misses / answered operations; timeouts are misses too (results/answer-counts.ts). */
  missRate: number;
  /** timeouts / answered operations (a subset of missRate, but for incr). */
  timeoutRate: number;
  errors: number;
}

export interface CombinationSummary extends Combination {
  /** Completed repeats / planned repeats. */
  completed: number;
  planned: number;
  /** Status messages of runs that did not complete (unavailable runs are in `unavailable` instead). */
  problems: string[];
  /** Why this backend could not run here (no server, a process limit), when it could not; its runs were skipped. */
  unavailable: string | null;
  objective: { values: number[]; median: number | null };
  actions: Record<string, ActionFigures>;
}

export interface SweepRecommendation extends Recommendation {
  /** Set when the recommended configuration keeps fewer writes safe than the defaults (see durability.ts); `--apply` refuses it without --allow-lower-durability. */
  durability: string | null;
}

export interface SweepSummary {
  schema: typeof SUMMARY_SCHEMA;
  version: 1;
  createdAt: string;
  scenario: string;
  backend: string;
  objective: { text: string; kind: Objective['kind'] };
  axes: { name: string; kind: string; values: string[] }[];
  repeat: number;
  seed: number;
  sizes: SweepSizes;
  fingerprint: string;
  /** Sorted by objective, best first; combinations without a completed run last. */
  combinations: CombinationSummary[];
  /** One per context: process count and scenario-parameter values (latency of different workloads is not comparable). */
  recommendations: SweepRecommendation[];
  /** The one `--apply` uses: at the highest process count, where settings matter most (the last parameter value there). */
  recommended: SweepRecommendation;
  /** Backends (at a process count) that could not run here: reported and skipped, not fatal. */
  unavailable: { backend: string; procs: number; message: string }[];
  environment: Environment | null;
}

/** `confirmations`: results of the confirmation round by run id (see confirm.ts); without them the grid's repeats are judged with a multiple-comparison correction. */
export function summarizeSweep(
  plan: SweepPlan,
  results: ReadonlyMap<string, ResultsFile>,
  objective: Objective,
  confirmations: ReadonlyMap<string, ResultsFile> = new Map(),
): SweepSummary {
  // One unavailable run stands for every run of that backend at that process count (run-sweep.ts skips the rest).
  const unavailable = new Map<string, { backend: string; procs: number; message: string }>();
  for (const run of plan.runs) {
    const c = plan.combinations[run.combination]!;
    const b = results.get(run.id)?.backends[0];
    if (b?.status === 'unavailable')
      unavailable.set(`${c.backendName}\u0000${c.procs}`, {
        backend: c.backendName,
        procs: c.procs,
        message: b.message ?? 'unavailable',
      });
  }
  const rows: CombinationSummary[] = plan.combinations.map((c) => {
    const files = plan.runs
      .filter((r) => r.combination === c.index)
      .map((r) => results.get(r.id))
      .filter((f): f is ResultsFile => f !== undefined);
    const backends = files.map((f) => f.backends[0]).filter((b) => b !== undefined);
    // Files kept beside their backends: each run's counts are read in its file's meaning (timeoutsTimed).
    const completedFiles = files.filter((f) => f.backends[0]?.status === 'completed');
    const completed = completedFiles.map((f) => f.backends[0]!);
    const problems = backends
      .filter((b) => b.status !== 'completed' && b.status !== 'unavailable')
      .map((b) => `${b.status}${b.message ? `: ${b.message}` : ''}`);
    const missing = unavailable.get(`${c.backendName}\u0000${c.procs}`);
    const values = completed.map((b) => evaluateObjective(objective, b)).filter((v): v is number => v !== undefined);
    const actionNames = [...new Set(completed.flatMap((b) => Object.keys(b.actions)))];
    const actions: Record<string, ActionFigures> = {};
    for (const name of actionNames) {
      const per = completed.flatMap((b, i) => {
        const a = b.actions[name];
        // Rates in one meaning whether or not the run timed its timeouts (a resumed sweep may hold older runs).
        return a !== undefined && a.count > 0
          ? [{ a, counts: answerCounts(name, a, timeoutsTimed(completedFiles[i]!.run)) }]
          : [];
      });
      if (per.length === 0) continue;
      actions[name] = {
        p50: median(per.map(({ a }) => a.percentiles.p50)),
        p99: median(per.map(({ a }) => a.percentiles.p99)),
        throughput: median(per.map(({ a }) => a.throughput)),
        missRate: median(per.map(({ counts }) => counts.missRate)),
        timeoutRate: median(per.map(({ counts }) => counts.timeoutRate)),
        errors: per.reduce((s, { a }) => s + a.errors, 0),
      };
    }
    return {
      ...c,
      completed: values.length,
      planned: plan.repeat,
      problems,
      unavailable: completed.length === 0 && missing ? missing.message : null,
      objective: { values, median: values.length ? median(values) : null },
      actions,
    };
  });
  const sign = objective.kind === 'latency' ? 1 : -1;
  rows.sort(
    (a, b) =>
      (a.objective.median === null ? 1 : 0) - (b.objective.median === null ? 1 : 0) ||
      sign * ((a.objective.median ?? 0) - (b.objective.median ?? 0)) ||
      a.index - b.index,
  );

  // Contexts (workloads) in order of process count, then grid order: the last is the one --apply uses.
  const contexts = [
    ...new Set([...plan.combinations].sort((a, b) => a.procs - b.procs || a.index - b.index).map((c) => c.context)),
  ];
  const recommendations = contexts
    .filter((context) => rows.some((r) => r.context === context && r.objective.values.length > 0))
    .map((context) => {
      const candidates = rows
        .filter((r) => r.context === context)
        .map((r) => ({ index: r.index, label: r.label, values: r.objective.values, isDefault: r.isDefault }));
      const picked = recommend(candidates, objective.kind, { seed: plan.seed }, context);
      const confirmation =
        picked.reference && picked.best.index !== picked.reference.index
          ? confirmationFor(picked.best.index, picked.reference.index, confirmations, objective)
          : undefined;
      const judged = confirmation
        ? recommend(candidates, objective.kind, { seed: plan.seed, confirmation }, context)
        : picked;
      if (candidates.length === 1) {
        // No axis with two or more values applies to this backend (filebased in a synchronous sweep, or
        // every axis given one value to fix it): one configuration, nothing to choose.
        return {
          ...judged,
          durability: null,
          verdict: `only one configuration was measured here (no grid axis with two or more values applies to ${plan.combinations[candidates[0]!.index]!.backendName}); nothing to recommend`,
        };
      }
      const reference = judged.reference ? plan.combinations[judged.reference.index] : undefined;
      const factory = planFactories(plan).find((f) => f.name === reference?.backendName) ?? plan.factory;
      const durability = reference
        ? durabilityWarning(
            durabilityOf(plan.combinations[judged.recommended.index]!, plan.grid, factory),
            durabilityOf(reference, plan.grid, factory),
          )
        : undefined;
      return { ...judged, durability: durability ?? null };
    });
  if (recommendations.length === 0) throw new SweepError('NO_RESULT', noResultMessage(plan, results, objective));
  const first = plan.runs.map((r) => results.get(r.id)).find((f) => f !== undefined);
  return {
    schema: SUMMARY_SCHEMA,
    version: 1,
    createdAt: new Date().toISOString(),
    scenario: plan.scenario.name,
    backend: planFactories(plan)
      .map((f) => f.name)
      .join(','),
    objective: { text: objective.text, kind: objective.kind },
    // With several backends the backend is an axis too (first), so heat-maps and labels show it.
    axes: [
      ...(planFactories(plan).length > 1
        ? [{ name: 'backend', kind: 'backends', values: planFactories(plan).map((f) => f.name) }]
        : []),
      ...plan.grid.map((a) => ({ name: a.name, kind: a.kind, values: a.values.map((v) => v.text) })),
    ],
    repeat: plan.repeat,
    seed: plan.seed,
    sizes: plan.sizes,
    fingerprint: plan.fingerprint,
    combinations: rows,
    recommendations,
    recommended: recommendations[recommendations.length - 1]!,
    unavailable: [...unavailable.values()],
    environment: first?.environment ?? null,
  };
}

/** Why nothing could be ranked: no run completed (and how they ended), or runs completed without what the objective reads. */
function noResultMessage(plan: SweepPlan, results: ReadonlyMap<string, ResultsFile>, objective: Objective): string {
  const backends = plan.runs.map((r) => results.get(r.id)?.backends[0]).filter((b) => b !== undefined);
  const completed = backends.filter((b) => b.status === 'completed');
  if (completed.length === 0) {
    const counts = new Map<string, number>();
    for (const b of backends) counts.set(b.status, (counts.get(b.status) ?? 0) + 1);
    const how = [...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'none ran';
    const first = backends.find((b) => b.message)?.message;
    return `no run of the sweep completed (${how})${first ? `; the first says: ${first}` : ''}; see runs/*.json in the sweep folder`;
  }
  const measured = [
    ...new Set(
      completed.flatMap((b) =>
        Object.entries(b.actions)
          .filter(([, a]) => a.count > 0)
          .map(([name]) => name),
      ),
    ),
  ];
  const needs = objectiveActions(objective);
  return `${completed.length} run(s) completed, but none recorded ${needs.length ? needs.join(' and ') : 'an operation'} for --objective ${objective.text} (they measured ${measured.join(', ') || 'nothing'}); re-run the same command with an --objective over those actions to re-summarise`;
}
