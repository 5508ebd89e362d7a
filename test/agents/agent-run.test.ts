import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAcrossAgents } from '../../harness/agents/coordinator.js';
import { decodeHistogram, createMergeHistogram, percentilesOf } from '../../results/histogram.js';
import { parseBackendChoices } from '../../harness/load-backend.js';
import type { BackendResult, ResultsFile } from '../../results/results.js';
import { runBenchmark } from '../../harness/run-benchmark.js';
import { getScenario } from '../../scenarios/registry.js';
import { runCli } from '../cli/spawn-cli.js';
import { fixture, smallRun } from '../harness/helpers.js';
import { runWithKilledAgent } from './run-with-killed-agent.js';
import { secretFile, startAgent, type RunningAgent } from './start-agent.js';

const SECRET = 'test-secret-0123456789abcdef-ABCDEF';
let secretPath: string;
let a: RunningAgent;
let b: RunningAgent;

beforeAll(async () => {
  secretPath = secretFile(SECRET);
  [a, b] = await Promise.all([
    startAgent(['--secret-file', secretPath, '--allow-module-backends']),
    startAgent(['--secret-file', secretPath, '--allow-module-backends']),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

function sumOver(
  parts: readonly BackendResult[],
  action: string,
  field: 'count' | 'misses' | 'timeouts' | 'errors' | 'totalNs',
): number {
  return parts.reduce((sum, p) => sum + (p.actions[action]?.[field] ?? 0), 0);
}

describe('a run driven through two agents', () => {
  it("writes one results file whose merged totals are the sum of the hosts' parts", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cachebench-agents-')), 'run.json');
    const exit = await runCli(
      [
        'run',
        'talk',
        '-b',
        'memory',
        '-p',
        '3',
        '-n',
        '1500',
        '-w',
        '50',
        '-s',
        '11',
        '--interval',
        '100',
        '--no-report',
        '-q',
        '-o',
        out,
        '--agents',
        `${a.address},${b.address}`,
        '--agent-secret-file',
        secretPath,
      ],
      process.cwd(),
    );
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    const file = JSON.parse(readFileSync(out, 'utf8')) as ResultsFile;
    expect(file.run.procs).toBe(3);
    const merged = file.backends[0]!;
    expect(merged.status).toBe('completed');
    const hosts = merged.hosts!;
    // --procs 3 over two agents: workers 0–1 on the first, worker 2 on the second.
    expect(hosts.map((h) => [h.agent, h.firstWorker, h.procs])).toEqual([
      [a.address, 0, 2],
      [b.address, 2, 1],
    ]);
    const parts = hosts.map((h) => h.result);
    expect(parts.map((p) => p.status)).toEqual(['completed', 'completed']);
    const actions = Object.keys(merged.actions);
    expect(actions.sort()).toEqual(['delete', 'get', 'set']);
    for (const action of actions) {
      for (const field of ['count', 'misses', 'timeouts', 'errors', 'totalNs'] as const)
        expect(merged.actions[action]![field]).toBe(sumOver(parts, action, field));
      // The merged histogram is the parts' histograms added: the same percentiles to the nanosecond.
      const added = createMergeHistogram();
      for (const p of parts) added.add(decodeHistogram(p.actions[action]!.histogram));
      expect(percentilesOf(decodeHistogram(merged.actions[action]!.histogram))).toEqual(percentilesOf(added));
    }
    expect(actions.reduce((s, action) => s + merged.actions[action]!.count, 0)).toBe(3 * 1500);
    // Intervals align by index (one measurement instant for all hosts): each merged interval is the parts' sum.
    for (const interval of merged.intervals) {
      for (const [action, figures] of Object.entries(interval.actions)) {
        const partsCount = parts.reduce(
          (s, p) => s + (p.intervals.find((i) => i.start === interval.start)?.actions[action]?.count ?? 0),
          0,
        );
        expect(figures.count).toBe(partsCount);
      }
    }
    // Same machine, same monotonic clock: the measured offset is within half the kept round trip.
    for (const h of hosts) {
      expect(h.clock.samples).toBe(8);
      expect(Math.abs(h.clock.offsetNs)).toBeLessThanOrEqual(h.clock.rttNs / 2);
    }
  }, 180_000);

  it('gives each host its own operation streams: together, exactly those of a local run with as many processes', async () => {
    const viaAgents = mkdtempSync(join(tmpdir(), 'cachebench-agents-ops-'));
    const local = mkdtempSync(join(tmpdir(), 'cachebench-local-ops-'));
    const scenario = getScenario('talk');
    const run = smallRun({ procs: 2, ops: 300, warmupOps: 0, seed: 21 });
    const results = await runAcrossAgents({
      agents: [a.address, b.address],
      secret: SECRET,
      scenario,
      scenarioWire: { builtin: 'talk', parameters: {} },
      backends: parseBackendChoices(fixture('recording', `out=${viaAgents}`)),
      run,
      intervalMs: 1000,
      noiseThresholdCores: 0.25,
    });
    expect(results.backends[0]!.status).toBe('completed');
    await runBenchmark({
      scenario,
      backends: parseBackendChoices(fixture('recording', `out=${local}`)),
      run,
      callFloors: false,
    });
    const logs = (dir: string): string[] =>
      readdirSync(dir)
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .sort();
    const [first, second] = logs(viaAgents);
    expect(first).toBeDefined();
    expect(first).not.toBe(second);
    expect(logs(viaAgents)).toEqual(logs(local));
  }, 180_000);

  it("finishes with a killed host's part marked partial, keeping what it had sent", async () => {
    const { results, killedAddress } = await runWithKilledAgent({
      survivor: a.address,
      secret: SECRET,
      secretPath,
      durationSeconds: 3,
      killAfterMs: 800,
    });
    const merged = results.backends[0]!;
    const [survivor, killed] = merged.hosts!.map((h) => h.result);
    expect(survivor!.status).toBe('completed');
    expect(killed!.status).toBe('partial');
    expect(killed!.message).toMatch(/stopped answering during the run/);
    expect(merged.status).toBe('partial');
    expect(merged.message).toContain(killedAddress);
    expect(killed!.actions.get!.count).toBeGreaterThan(0);
    expect(merged.actions.get!.count).toBe(survivor!.actions.get!.count + killed!.actions.get!.count);
  }, 180_000);

  it("stops every agent's job on the coordinator's Ctrl-C, each part marked interrupted, and the agents take the next run", async () => {
    const controller = new AbortController();
    const options = {
      agents: [a.address, b.address],
      secret: SECRET,
      scenario: getScenario('talk'),
      scenarioWire: { builtin: 'talk', parameters: {} } as const,
      backends: parseBackendChoices('memory'),
      intervalMs: 200,
      noiseThresholdCores: 0.25,
    };
    const running = runAcrossAgents({
      ...options,
      run: smallRun({ procs: 2, ops: null, durationSeconds: 30, warmupOps: 10 }),
      signal: controller.signal,
    });
    await b.waitForLog(/measuring/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort();
    const merged = (await running).backends[0]!;
    expect(merged.message).toBe('interrupted');
    expect(merged.hosts!.map((h) => h.result.message)).toEqual(['interrupted', 'interrupted']);
    expect(merged.wallSeconds).toBeLessThan(30);
    const next = await runAcrossAgents({ ...options, run: smallRun({ procs: 2, ops: 200 }) });
    expect(next.backends[0]!.status).toBe('completed');
  }, 180_000);
});
