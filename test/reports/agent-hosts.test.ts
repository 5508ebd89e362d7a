/**
 * A run through load agents (`run --agents`): the report shows each host's
 * part under the merged table, and `cachebench merge` merges the parts host by
 * host. The results files come from real runs through two real agent
 * processes (and one killed mid-run), as test/agents/agent-run.test.ts makes
 * them; every expected figure is read from those files.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeAction } from '../../cli/commands/merge.js';
import { runAcrossAgents } from '../../harness/agents/coordinator.js';
import { parseBackendChoices } from '../../harness/load-backend.js';
import { formatCount, formatDuration, formatTableDuration } from '../../reports/format-duration.js';
import { hostLabel, workerRange } from '../../reports/host-table.js';
import { escapeHtml } from '../../reports/html-page.js';
import { generateReport, renderTable } from '../../reports/index.js';
import type { HostPart } from '../../results/host-part.js';
import { createMergeHistogram, decodeHistogram, percentilesOf } from '../../results/histogram.js';
import { loadResults, writeResults } from '../../results/results-io.js';
import type { ResultsFile } from '../../results/results.js';
import { getScenario } from '../../scenarios/registry.js';
import { runWithKilledAgent } from '../agents/run-with-killed-agent.js';
import { secretFile, startAgent, type RunningAgent } from '../agents/start-agent.js';
import { smallRun } from '../harness/helpers.js';
import { parsePlotData } from './diskcache-plot-parser.js';

const SECRET = 'test-secret-0123456789abcdef-ABCDEF';
const dir = mkdtempSync(join(tmpdir(), 'cachebench-agent-hosts-'));
let a: RunningAgent;
let b: RunningAgent;
/** Two runs over agents a, b (seeds 11, 12), one over b, a, one whose second agent was killed. */
let first: ResultsFile;
let second: ResultsFile;
let swapped: ResultsFile;
let killed: ResultsFile;

function through(agents: readonly string[], seed: number): Promise<ResultsFile> {
  return runAcrossAgents({
    agents,
    secret: SECRET,
    scenario: getScenario('talk'),
    scenarioWire: { builtin: 'talk', parameters: {} },
    backends: parseBackendChoices('memory'),
    run: smallRun({ procs: 3, ops: 400, warmupOps: 10, seed }),
    intervalMs: 200,
    noiseThresholdCores: 0.25,
  });
}

beforeAll(async () => {
  const secret = secretFile(SECRET);
  [a, b] = await Promise.all([startAgent(['--secret-file', secret]), startAgent(['--secret-file', secret])]);
  first = await through([a.address, b.address], 11);
  second = await through([a.address, b.address], 12);
  swapped = await through([b.address, a.address], 13);
  ({ results: killed } = await runWithKilledAgent({
    survivor: a.address,
    secret: SECRET,
    secretPath: secret,
    durationSeconds: 2,
    killAfterMs: 600,
  }));
}, 240_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const hostsOf = (file: ResultsFile): HostPart[] => file.backends[0]!.hosts!;

/** The text row of one host and action: the cells the report prints, from the file's own figures. */
function textRow(part: HostPart, action: string): string[] {
  const r = part.result.actions[action]!;
  return [
    action,
    hostLabel(part),
    workerRange(part),
    String(r.count),
    String(r.misses),
    ...[r.percentiles.p50, r.percentiles.p90, r.percentiles.p99, r.percentiles.max].map(formatTableDuration),
    String(Math.round(r.throughput)),
  ];
}

describe('the report of a run through agents', () => {
  const reportDir = join(dir, 'report');
  const read = (name: string): string => readFileSync(join(reportDir, name), 'utf8');

  beforeAll(async () => {
    await generateReport([first], reportDir, { png: false });
  }, 60_000);

  it('puts a row per action and host under the merged table in tables.txt, with each host status and clock', () => {
    const tables = read('tables.txt');
    const hosts = hostsOf(first);
    expect(hosts.map((h) => workerRange(h))).toEqual(['0–1', '2']);
    const block = tables.slice(tables.indexOf('  per host: 3 workers on 2 agents; the table above is their merge\n'));
    const lines = block.split('\n');
    expect(lines[1]!.trim().split(/\s{2,}/)).toEqual([
      'Action',
      'Host',
      'Workers',
      'Count',
      'Miss',
      'Median',
      'P90',
      'P99',
      'Max',
      'Ops/s',
    ]);
    const rows = lines.slice(2, 2 + 3 * hosts.length).map((l) => l.trim().split(/\s{2,}/));
    expect(rows).toEqual(['get', 'set', 'delete'].flatMap((action) => hosts.map((h) => textRow(h, action))));
    for (const [i, h] of hosts.entries()) {
      const offset = `${h.clock.offsetNs < 0 ? '−' : '+'}${formatDuration(Math.abs(h.clock.offsetNs))}`;
      expect(lines[2 + 3 * hosts.length + i]).toBe(
        `    ${hostLabel(h)}: completed; clock offset ${offset} ±${formatDuration(h.clock.rttNs / 2)} (8 samples); ${h.cores} cores, Node ${h.node}`,
      );
    }
  });

  it('adds to the tables of a run without hosts, which stay as they were and still parse as diskcache tables', () => {
    const tables = read('tables.txt');
    const withoutHosts: ResultsFile = { ...first, backends: first.backends.map(({ hosts: _, ...rest }) => rest) };
    const plain = renderTable(withoutHosts);
    expect(plain).not.toContain('per host');
    expect(tables.startsWith(plain)).toBe(true);
    expect(tables.slice(plain.length)).toMatch(/^ {2}per host: /);
    const parsed = parsePlotData(tables).get('memory')!;
    expect(Number(parsed.get.Count)).toBe(first.backends[0]!.actions.get!.count);
  });

  it('shows the same rows in index.html and report.md', () => {
    const html = read('index.html');
    const markdown = read('report.md');
    for (const h of hostsOf(first)) {
      for (const action of ['get', 'set', 'delete']) {
        const r = h.result.actions[action]!;
        const cells = [
          action,
          hostLabel(h),
          workerRange(h),
          formatCount(r.count),
          formatCount(r.misses),
          ...[r.percentiles.p50, r.percentiles.p90, r.percentiles.p99, r.percentiles.max].map((ns) =>
            formatDuration(ns),
          ),
          formatCount(r.throughput),
        ];
        expect(html).toContain(`<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`);
        expect(markdown).toContain(`| ${cells.join(' | ')} |`);
      }
    }
    expect(html).toContain('<table class="timings hosts"><caption>per host: 3 workers on 2 agents');
  });

  it("gives summary.json each host's figures in ns", () => {
    const json = JSON.parse(read('summary.json')) as {
      hosts: {
        series: string;
        hosts: { agent: string; status: string; actions: Record<string, Record<string, number>> }[];
      }[];
    };
    expect(json.hosts.map((s) => s.series)).toEqual(['memory']);
    const hosts = hostsOf(first);
    expect(json.hosts[0]!.hosts.map((h) => [h.agent, h.status])).toEqual(hosts.map((h) => [h.agent, 'completed']));
    for (const [i, h] of hosts.entries()) {
      const get = h.result.actions.get!;
      expect(json.hosts[0]!.hosts[i]!.actions.get).toEqual({
        count: get.count,
        misses: get.misses,
        timeouts: get.timeouts,
        errors: get.errors,
        p50: get.percentiles.p50,
        p90: get.percentiles.p90,
        p99: get.percentiles.p99,
        max: get.percentiles.max,
        opsPerSecond: get.throughput,
      });
    }
  });

  it("marks a killed agent's part partial, with the reason", async () => {
    const out = join(dir, 'killed-report');
    await generateReport([killed], out, { png: false });
    const [survivor, dead] = hostsOf(killed);
    expect(dead!.result.status).toBe('partial');
    const tables = readFileSync(join(out, 'tables.txt'), 'utf8');
    expect(tables).toContain(`    ${hostLabel(survivor!)}: completed; clock offset`);
    expect(tables).toContain(`    ${hostLabel(dead!)}: partial — ${dead!.result.message}; clock offset`);
    expect(dead!.result.message).toMatch(/stopped answering during the run/);
    const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      hosts: { hosts: { status: string; message?: string }[] }[];
    };
    expect(json.hosts[0]!.hosts.map((h) => h.status)).toEqual(['completed', 'partial']);
  }, 60_000);
});

describe('cachebench merge of runs through agents', () => {
  async function merge(files: readonly ResultsFile[], name: string): Promise<{ merged: ResultsFile; stdout: string }> {
    const paths = await Promise.all(
      files.map(async (f, i) => {
        const path = join(dir, `${name}-${i + 1}.json`);
        await writeResults(path, f);
        return path;
      }),
    );
    let stdout = '';
    let stderr = '';
    const out = join(dir, `${name}.json`);
    await mergeAction(
      paths,
      { out },
      {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        setExitCode: () => undefined,
      },
    );
    expect(stderr).toBe('');
    return { merged: await loadResults(out), stdout };
  }

  it('merges each host part across the runs, as the totals are merged', async () => {
    const { merged, stdout } = await merge([first, second], 'same-split');
    const hosts = hostsOf(merged);
    expect(hosts.map((h) => [h.agent, h.firstWorker, h.procs])).toEqual([
      [a.address, 0, 2],
      [b.address, 2, 1],
    ]);
    for (const [i, h] of hosts.entries()) {
      const runs = [hostsOf(first)[i]!, hostsOf(second)[i]!];
      // The clock kept is the run's whose offset and bound reach furthest from the coordinator's.
      const reach = (p: HostPart): number => Math.abs(p.clock.offsetNs) + p.clock.rttNs / 2;
      expect(h.clock).toEqual((reach(runs[0]!) >= reach(runs[1]!) ? runs[0]! : runs[1]!).clock);
      for (const action of ['get', 'set', 'delete']) {
        expect(h.result.actions[action]!.count).toBe(runs.reduce((t, p) => t + p.result.actions[action]!.count, 0));
        const added = createMergeHistogram();
        for (const p of runs) added.add(decodeHistogram(p.result.actions[action]!.histogram));
        expect(percentilesOf(decodeHistogram(h.result.actions[action]!.histogram))).toEqual(percentilesOf(added));
      }
    }
    expect(stdout).toContain(
      `  memory: per-host parts merged for ${a.address} (workers 0–1), ${b.address} (workers 2)\n`,
    );
    // The merged file's report shows the merged parts.
    const lines = renderTable(merged).split('\n');
    const header = lines.findIndex((l) => l.startsWith('  per host: 3 workers on 2 agents')) + 1;
    expect(lines.slice(header + 1, header + 1 + 3 * hosts.length).map((l) => l.trim().split(/\s{2,}/))).toEqual(
      ['get', 'set', 'delete'].flatMap((action) => hosts.map((h) => textRow(h, action))),
    );
  });

  it('leaves the host parts out, saying so, when the runs split their workers differently', async () => {
    const { merged, stdout } = await merge([first, swapped], 'other-split');
    expect(merged.backends[0]!.hosts).toBeUndefined();
    expect(merged.backends[0]!.actions.get!.count).toBe(
      first.backends[0]!.actions.get!.count + swapped.backends[0]!.actions.get!.count,
    );
    expect(stdout).toMatch(
      /\n {2}memory: per-host parts left out: the runs did not all split their workers over the same agents the same way/,
    );
    expect(renderTable(merged)).not.toContain('per host');
  });
});
