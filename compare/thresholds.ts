import { cellSeed } from './compare.js';
import { detectableOrNone, rowDetectable } from './row-detectable.js';
import { ThresholdError } from './errors.js';
import type { FailureRow } from './failures.js';
import type { ComparisonReport, ComparisonRow } from './report.js';
import { ALL_ACTIONS, STATISTIC_NAMES_HELP, statisticByName, type StatisticName } from './statistic.js';

/**
 * `--fail-on` rules: `[backend/]action.statistic>N%`, comma separated, e.g.
 * `set.p99>10%,get.median>5%,sqlite/set.p99.9>20%`. `*` as the action matches
 * every action. Throughput is one row per backend (action "all"): `throughput>10%`,
 * `sqlite/throughput>10%`, or with `*` / `all` as the action. The gate fails on a row only when its verdict is "slower"
 * (a significant regression) AND the regression exceeds the rule's limit. It passes only when every row its rules
 * name was judged; rows that were not (too few runs) leave it "not judged", which the CLI reports with exit 2.
 */
export interface ThresholdRule {
  /** The rule as written, for messages. */
  text: string;
  /** Backend label, or null for every backend. */
  backend: string | null;
  /** Action name, or `*` for every action. */
  action: string;
  statistic: StatisticName;
  /** Allowed regression as a fraction: 10% → 0.1. */
  limit: number;
}

const SYNTAX = 'expected [backend/]action.statistic>N% or [backend/]throughput>N%, e.g. set.p99>10%';
// Greedy backend part: module-path labels may themselves contain "/".
const RULE = /^(?:(.+)\/)?([A-Za-z*][\w*-]*)\.([A-Za-z0-9.]+?)\s*>\s*(.+)$/;
// `throughput>10%`, `sqlite/ops>5%`: the backend's throughput has no action.
const BARE_THROUGHPUT = /^(?:(.+)\/)?(throughput|ops)\s*>\s*(.+)$/i;

export function parseFailOn(text: string): ThresholdRule[] {
  const rules = splitRules(text).map(parseRule);
  if (rules.length === 0) throw new ThresholdError(`--fail-on is empty; ${SYNTAX}`);
  return rules;
}

// Backend labels may carry options with commas (`fanout:shards=8,timeout=1`),
// so a comma-separated piece without ">" belongs to the next piece.
function splitRules(text: string): string[] {
  const rules: string[] = [];
  let pending = '';
  for (const piece of text.split(/[,;]/)) {
    const joined = pending === '' ? piece : `${pending},${piece}`;
    if (joined.includes('>') || joined.includes('<')) {
      rules.push(joined.trim());
      pending = '';
    } else {
      pending = joined;
    }
  }
  if (pending.trim() !== '') throw new ThresholdError(`--fail-on rule "${pending.trim()}" has no limit; ${SYNTAX}`);
  return rules.filter((r) => r !== '');
}

function parseRule(text: string): ThresholdRule {
  if (!text.includes('>') && text.includes('<')) {
    throw new ThresholdError(
      `--fail-on rule "${text}": rules name the regression to fail on with ">" (for throughput too: "throughput>10%" fails on a 10% drop)`,
    );
  }
  const bare = BARE_THROUGHPUT.exec(text);
  const match = bare ? ([bare[0], bare[1], ALL_ACTIONS, bare[2], bare[3]] as const) : RULE.exec(text);
  if (!match) throw new ThresholdError(`--fail-on rule "${text}": ${SYNTAX}`);
  const [, backend, written, statisticText, limitText] = match;
  const statistic = statisticByName(statisticText!);
  if (!statistic)
    throw new ThresholdError(
      `--fail-on rule "${text}": unknown statistic "${statisticText}"; use one of ${STATISTIC_NAMES_HELP}`,
    );
  let action = written!;
  if (statistic.kind === 'rate') {
    // Per action it would be the same change counted once per action; refused rather than silently widened, so a
    // rule never means more than it says.
    if (action !== '*' && action !== ALL_ACTIONS) {
      const fixed = `${backend ? `${backend.trim()}/` : ''}throughput>${limitText!.trim()}`;
      throw new ThresholdError(
        `--fail-on rule "${text}": throughput is compared once per backend (all actions together), not per action; write "${fixed}"`,
      );
    }
    action = ALL_ACTIONS;
  }
  const limitMatch = /^(\d+(?:\.\d+)?)\s*%$/.exec(limitText!.trim());
  if (!limitMatch) {
    throw new ThresholdError(
      `--fail-on rule "${text}": limit "${limitText!.trim()}" must be a non-negative percentage such as 10%`,
    );
  }
  return {
    text,
    backend: backend?.trim() || null,
    action,
    statistic: statistic.name,
    limit: Number(limitMatch[1]) / 100,
  };
}

export interface GateFailure {
  rule: ThresholdRule;
  row: ComparisonRow;
}

export interface GateResult {
  failed: boolean;
  failures: GateFailure[];
  /**
   * Rows a rule names whose verdict is "not judged" (too few runs, throughput with --judge-within-run, a run
   * without operations). A gate never passes what it did not judge: unless it failed, these make it exit 2.
   */
  unjudged: GateFailure[];
  /** Backend × action rows whose errors or timeouts rose (report.failures with a `failure`): these fail every gate. */
  failedOperations: FailureRow[];
  /**
   * Per rule, the smallest regression it would have failed on 80% of the time, given the noise of the rows it
   * names (the least sensitive of them); 'none' when it could not have caught any. Absent for rules over rows
   * that are not judged across runs.
   */
  sensitivity: { rule: string; detectable: number | 'none' }[];
}

/**
 * Applies rules to a report. A rule that matches no row is an error, not a
 * silent pass: a typo in a CI gate would otherwise switch it off unnoticed.
 */
export function evaluateGate(report: ComparisonReport, rules: readonly ThresholdRule[]): GateResult {
  const failures: GateFailure[] = [];
  const unjudged: GateFailure[] = [];
  const sensitivity: GateResult['sensitivity'] = [];
  for (const rule of rules) {
    const matched = report.rows.filter((row) => ruleMatches(rule, row));
    if (matched.length === 0)
      throw new ThresholdError(`--fail-on rule "${rule.text}" matches nothing: ${whyNoMatch(report, rule)}`);
    let worst: number | undefined;
    for (const row of matched) {
      if (row.verdict === 'slower' && row.gateRegression > rule.limit) failures.push({ rule, row });
      if (row.verdict === 'not judged') unjudged.push({ rule, row });
      const detectable = rowDetectable(
        row,
        report.mode,
        report.alpha,
        cellSeed(report.seed, row.backend, row.action, `${row.statistic}\u0000${rule.text}`),
        rule.limit,
      );
      if (detectable !== undefined) worst = Math.max(worst ?? 0, detectable);
    }
    if (worst !== undefined) sensitivity.push({ rule: rule.text, detectable: detectableOrNone(worst) });
  }
  // A head whose operations fail fast looks faster; whatever the rules say, more failures fail the gate.
  const failedOperations = report.failures.filter((f) => f.failure !== null);
  return {
    failed: failures.length > 0 || failedOperations.length > 0,
    failures,
    unjudged,
    failedOperations,
    sensitivity,
  };
}

/** Whether a rule names a row (its backend or any, its action or '*', its statistic). */
export function ruleMatches(rule: ThresholdRule, row: ComparisonRow): boolean {
  return (
    (rule.backend === null || rule.backend === row.backend) &&
    (rule.action === '*' || rule.action === row.action) &&
    rule.statistic === row.statistic
  );
}

function whyNoMatch(report: ComparisonReport, rule: ThresholdRule): string {
  const backends = [...new Set(report.rows.map((r) => r.backend))];
  const actions = [...new Set(report.rows.map((r) => r.action))];
  const statistics = [...new Set(report.rows.map((r) => r.statistic))];
  if (rule.backend !== null && rule.backend === report.reference)
    return `"${rule.backend}" is the --reference backend, which is not compared`;
  if (rule.backend !== null && !backends.includes(rule.backend))
    return `no backend "${rule.backend}" (backends: ${backends.join(', ')})`;
  if (rule.action !== '*' && !actions.includes(rule.action))
    return `no action "${rule.action}" (actions: ${actions.join(', ')})`;
  if (!statistics.includes(rule.statistic))
    return `statistic ${rule.statistic} was not computed (statistics: ${statistics.join(', ')})`;
  return `no backend "${rule.backend ?? '*'}" times action "${rule.action}"`;
}
