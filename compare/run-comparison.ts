import { writeFileSync } from 'node:fs';
import type { ResultsFile } from '../results/results.js';
import { compare, type CompareOptions } from './compare.js';
import { CompareInputError } from './errors.js';
import { formatMarkdown } from './format-markdown.js';
import { formatTable } from './format-table.js';
import { notJudgedReason } from './format-values.js';
import type { ComparisonReport } from './report.js';
import { evaluateGate, parseFailOn, type GateResult } from './thresholds.js';

/** Everything `compare` and `baseline check` share once the inputs are loaded. */
export interface ComparisonRequest extends Omit<CompareOptions, 'sources'> {
  base: { files: ResultsFile[]; sources: string[] };
  head: { files: ResultsFile[]; sources: string[] };
  /** `--fail-on` text; without it the gate always passes. */
  failOn?: string;
  markdownPath?: string;
  jsonPath?: string;
}

export interface ComparisonOutcome {
  report: ComparisonReport;
  gate?: GateResult;
  /**
   * 1 when the gate failed; 2 when it did not fail but rows its rules name could not be judged (too few runs), since
   * a gate must not pass what it did not judge; else 0. (Bad input, also 2, is a thrown error.)
   */
  exitCode: 0 | 1 | 2;
  /** With exit code 2: why the gate was not judged, one line for stderr. */
  notJudged?: string;
  table: string;
}

export function runComparison(request: ComparisonRequest): ComparisonOutcome {
  // Rules first: a malformed rule should fail before minutes of statistics.
  const rules = request.failOn === undefined ? undefined : parseFailOn(request.failOn);
  const report = compare(request.base.files, request.head.files, {
    reference: request.reference,
    alpha: request.alpha,
    seed: request.seed,
    resamples: request.resamples,
    statistics: request.statistics,
    judgeWithinRun: request.judgeWithinRun,
    pairing: request.pairing,
    sources: { base: request.base.sources, head: request.head.sources },
  });
  const gate = rules === undefined ? undefined : evaluateGate(report, rules);
  if (request.markdownPath !== undefined) writeOutput('--markdown', request.markdownPath, formatMarkdown(report, gate));
  if (request.jsonPath !== undefined)
    writeOutput('--json', request.jsonPath, `${JSON.stringify(toJson(report, gate), null, 2)}\n`);
  const table = formatTable(report, gate);
  if (gate?.failed) return { report, gate, exitCode: 1, table };
  if (gate && gate.unjudged.length > 0)
    return { report, gate, exitCode: 2, notJudged: notJudgedReason(gate, report), table };
  return { report, gate, exitCode: 0, table };
}

/** Paths are checked up front (output-path.ts); this covers what changed since, as one line rather than a raw errno. */
function writeOutput(option: string, path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new CompareInputError(
      `${option} ${path}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose another path`,
    );
  }
}

/** The `--json` document: the report plus the gate outcome, rules as written. */
function toJson(report: ComparisonReport, gate: GateResult | undefined): unknown {
  return {
    ...report,
    gate: gate && {
      failed: gate.failed,
      status: gate.failed ? 'failed' : gate.unjudged.length > 0 ? 'not judged' : 'passed',
      sensitivity: gate.sensitivity.map((s) => ({ rule: s.rule, detectable: s.detectable })),
      failedOperations: gate.failedOperations.map((f) => ({ backend: f.backend, action: f.action, reason: f.failure })),
      notJudged: gate.unjudged.map(({ rule, row }) => ({
        rule: rule.text,
        backend: row.backend,
        action: row.action,
        statistic: row.statistic,
        reason: row.note ?? null,
      })),
      failures: gate.failures.map(({ rule, row }) => ({
        rule: rule.text,
        backend: row.backend,
        action: row.action,
        statistic: row.statistic,
        ratio: row.ratio,
        regression: row.gateRegression,
        limit: rule.limit,
      })),
    },
  };
}
