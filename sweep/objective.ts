/**
 * The user's objective: `get.p99`, `set.p50`, `throughput`, `get.throughput`
 * or a weighted mix `0.7*get.p99+0.3*set.p99`. Statistics are read with
 * compare's definitions, so `p99` means the same thing in both tools.
 * Terms of a mix must all be latencies (lower is better) or all rates.
 */
import type { BackendResult } from '../results/results.js';
import { STATISTIC_NAMES_HELP, statisticByName, type StatisticDefinition } from '../compare/statistic.js';
import { SweepError } from './errors.js';

export interface ObjectiveTerm {
  weight: number;
  /** null: every action together (only for throughput). */
  action: string | null;
  statistic: StatisticDefinition;
}

export interface Objective {
  /** Normalised text, e.g. `0.7*get.p99+0.3*set.p99`. */
  text: string;
  /** `latency`: lower is better (ns). `rate`: higher is better (ops/s). */
  kind: 'latency' | 'rate';
  terms: ObjectiveTerm[];
}

const TERM = /^(?:(\d*\.?\d+(?:e[-+]?\d+)?)\s*\*\s*)?([A-Za-z][\w-]*)(?:\.(\S+))?$/i;

export function parseObjective(text: string): Objective {
  const fail = (problem: string): never => {
    throw new SweepError(
      'OBJECTIVE',
      `--objective ${text}: ${problem}; e.g. get.p99, throughput or 0.7*get.p99+0.3*set.p99 (statistics: ${STATISTIC_NAMES_HELP})`,
    );
  };
  const terms: ObjectiveTerm[] = [];
  for (const part of text.split('+').map((p) => p.trim())) {
    const match = TERM.exec(part);
    if (!match) return fail(`cannot read "${part}"`);
    const weight = match[1] === undefined ? 1 : Number(match[1]);
    if (!(weight > 0)) fail(`weight ${match[1]} must be > 0`);
    const [action, statName] = match[3] === undefined ? [null, match[2]!] : [match[2]!, match[3]];
    const statistic = statisticByName(statName) ?? fail(`unknown statistic "${statName}"`);
    if (action === null && statistic.kind === 'latency') fail(`name the action of ${statName}, e.g. get.${statName}`);
    terms.push({ weight, action, statistic });
  }
  const kinds = new Set(terms.map((t) => t.statistic.kind));
  if (kinds.size > 1) fail('mixes latencies (lower is better) with throughput (higher is better); weigh one kind only');
  const normalised = terms
    .map((t) => `${t.weight === 1 ? '' : `${t.weight}*`}${t.action === null ? '' : `${t.action}.`}${t.statistic.name}`)
    .join('+');
  return { text: normalised, kind: terms[0]!.statistic.kind, terms };
}

/** The actions the objective's terms name (throughput over all actions names none). */
export function objectiveActions(objective: Objective): string[] {
  return [...new Set(objective.terms.flatMap((t) => (t.action === null ? [] : [t.action])))];
}

/**
 * Refuses an objective naming an action the workload never times (ycsb-e has
 * no get), before any run: otherwise every run completes and none can be ranked.
 * `where` names the workload, e.g. `scenario ycsb-e` or `scenario talk at mix.delete=0`.
 */
export function checkObjectiveActions(objective: Objective, timed: readonly string[], where: string): void {
  const missing = objectiveActions(objective).filter((a) => !timed.includes(a));
  if (missing.length === 0) return;
  const list = timed.length === 0 ? 'none' : timed.join(', ');
  throw new SweepError(
    'OBJECTIVE',
    `--objective ${objective.text}: ${where} has no ${missing.join(' or ')} action; its actions are ${list}`,
  );
}

/** The objective's value for one run of one backend; undefined when an action it needs recorded nothing. */
export function evaluateObjective(objective: Objective, backend: BackendResult): number | undefined {
  let total = 0;
  for (const term of objective.terms) {
    if (term.action === null) {
      const actions = Object.values(backend.actions);
      if (actions.length === 0) return undefined;
      total += term.weight * actions.reduce((sum, a) => sum + term.statistic.read(a), 0);
      continue;
    }
    const action = backend.actions[term.action];
    if (!action || action.count === 0) return undefined;
    total += term.weight * term.statistic.read(action);
  }
  return total;
}

/** Lower-is-better comparison for sorting: latency ascending, rate descending. */
export function better(objective: Pick<Objective, 'kind'>, a: number, b: number): number {
  return objective.kind === 'latency' ? a - b : b - a;
}
