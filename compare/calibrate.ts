/**
 * `cachebench calibrate`: measures a gate's power on this machine, with real
 * runs. Each trial is one gate as CI would run it — N interleaved pairs of the
 * same build, compared with the same rules — either A/A (both sides
 * identical: any failure is a false alarm) or A/B with a known delay injected
 * into the head side (`--inject-delay`: a failure is a catch). Over several
 * trials it gives the false-alarm rate, the catch rate per injected
 * regression, the change each injection really made, and from the A/A noise
 * the smallest regression each rule would catch 80% of the time.
 */
import { join } from 'node:path';
import type { ResultsFile } from '../results/results.js';
import { median } from './bootstrap.js';
import { compare } from './compare.js';
import { CompareInputError } from './errors.js';
import { runInterleaved, type SideCommand } from './interleave.js';
import type { ComparisonReport } from './report.js';
import { evaluateGate, parseFailOn, ruleMatches, type ThresholdRule } from './thresholds.js';

export interface CalibrationOptions {
  /** The build under test, run on both sides. */
  command: SideCommand;
  runArgs: readonly string[];
  pairs: number;
  trials: number;
  /**
   * The first trial's number (default 1). Seeds follow the number, so a second calibration from trial N + 1
   * adds independent trials to one of N.
   */
  firstTrial?: number;
  /**
   * Regressions to inject into head, as `--inject-delay` rules. `METHOD=+P%`
   * (e.g. `sqlite:set=+10%`) is P% of that backend-method's median in the
   * first A/A trial, so "+10%" needs no guess of the machine's speed.
   */
  injections: readonly string[];
  failOn: string;
  reference?: string;
  alpha?: number;
  /** Folder for every trial's runs. */
  outDir: string;
  /** Called after each trial, for progress lines. */
  onTrial?: (trial: TrialOutcome) => void;
  load: (path: string) => Promise<ResultsFile>;
}

export interface TrialOutcome {
  /** 'A/A' or the injected rule as resolved to a duration. */
  condition: string;
  trial: number;
  gateFailed: boolean;
  /** Per rule: head/base ratio of each row it names (paired median ratio). */
  changes: Record<string, number>;
  /** Per rule: the smallest regression it would have caught (80%), 'none' when it could not. */
  detectable: Record<string, number | 'none'>;
  seconds: number;
}

export interface CalibrationResult {
  pairs: number;
  trials: number;
  failOn: string;
  outcomes: TrialOutcome[];
  seconds: number;
}

const RELATIVE = /^(?:(.+):)?([A-Za-z]+)=\+(\d+(?:\.\d+)?)%(@\d+(?:\.\d+)?%)?$/;

export async function calibrate(options: CalibrationOptions): Promise<CalibrationResult> {
  const rules = parseFailOn(options.failOn);
  if (!Number.isInteger(options.trials) || options.trials < 1)
    throw new CompareInputError(`--trials ${options.trials} must be a whole number ≥ 1`);
  const started = process.hrtime.bigint();
  const outcomes: TrialOutcome[] = [];
  let firstAA: ResultsFile[] | undefined;
  const first = options.firstTrial ?? 1;
  if (!Number.isInteger(first) || first < 1)
    throw new CompareInputError(`--first-trial ${first} must be a whole number ≥ 1`);
  for (let trial = first; trial < first + options.trials; trial++) {
    // A/A first in each round, so relative injections can be sized from the first one.
    const aa = await runTrial(options, rules, 'A/A', trial, undefined);
    firstAA ??= aa.base;
    outcomes.push(aa.outcome);
    options.onTrial?.(aa.outcome);
    for (const injection of options.injections) {
      const rule = resolveInjection(injection, firstAA);
      const ab = await runTrial(options, rules, rule, trial, rule);
      outcomes.push(ab.outcome);
      options.onTrial?.(ab.outcome);
    }
  }
  return {
    pairs: options.pairs,
    trials: options.trials,
    failOn: options.failOn,
    outcomes,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

async function runTrial(
  options: CalibrationOptions,
  rules: ThresholdRule[],
  condition: string,
  trial: number,
  inject: string | undefined,
): Promise<{ outcome: TrialOutcome; base: ResultsFile[] }> {
  const t0 = process.hrtime.bigint();
  const folder = join(
    options.outDir,
    `trial-${String(trial).padStart(2, '0')}-${condition === 'A/A' ? 'aa' : slug(condition)}`,
  );
  const head =
    inject === undefined
      ? options.command
      : { ...options.command, env: { ...options.command.env, CACHEBENCH_INJECT_DELAY: inject } };
  // Each trial its own seeds, so trials are independent samples of the machine and the workload.
  const runs = await runInterleaved({
    base: options.command,
    head,
    runArgs: options.runArgs,
    pairs: options.pairs,
    outDir: folder,
    seed: 1 + (trial - 1) * options.pairs,
  });
  const base = await Promise.all(runs.basePaths.map(options.load));
  const headFiles = await Promise.all(runs.headPaths.map(options.load));
  const report = compare(base, headFiles, {
    reference: options.reference,
    alpha: options.alpha,
    statistics: [...new Set(rules.map((r) => r.statistic))],
  });
  const gate = evaluateGate(report, rules);
  const outcome: TrialOutcome = {
    condition,
    trial,
    gateFailed: gate.failed,
    changes: Object.fromEntries(rules.map((rule) => [rule.text, worstRatio(report, rule)])),
    detectable: Object.fromEntries(gate.sensitivity.map((s) => [s.rule, s.detectable])),
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
  };
  return { outcome, base };
}

/** The rule's rows' largest head/base ratio (the row most likely to fail it). */
function worstRatio(report: ComparisonReport, rule: ThresholdRule): number {
  const rows = report.rows.filter((row) => ruleMatches(rule, row));
  return Math.max(...rows.map((row) => (row.kind === 'latency' ? row.ratio : 1 / row.ratio)));
}

/** `sqlite:set=+10%` → `sqlite:set=2345ns` from the A/A runs' median of that method; absolute rules pass through. */
export function resolveInjection(text: string, aaBase: readonly ResultsFile[]): string {
  const match = RELATIVE.exec(text.trim());
  if (!match) return text;
  const [, label, method, percent, share = ''] = match;
  const medians = aaBase.flatMap((file) =>
    file.backends
      .filter((b) => label === undefined || b.label === label)
      .flatMap((b) => {
        const action = b.actions[method!];
        return action ? [action.percentiles.p50] : [];
      }),
  );
  if (medians.length === 0)
    throw new CompareInputError(
      `--inject ${text}: no ${label ?? 'backend'} timed ${method} in the A/A runs, so +${percent}% of its median cannot be sized`,
    );
  const ns = Math.max(1, Math.round((median(medians) * Number(percent)) / 100));
  return `${label === undefined ? '' : `${label}:`}${method}=${ns}ns${share}`;
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9.=@%-]+/g, '_');
}
