/**
 * A run driven through load agents (`run --agents`) keeps each host's own part
 * beside the merged figures (results `hosts[]`, results/host-part.ts). Under
 * such a backend's timing table the report shows one row per action and host —
 * the host, its workers, the same counts and percentile columns as the table
 * above, and its answers per second — then one line per host with its status
 * (a killed agent's part is `partial`), its clock offset from the coordinator,
 * its cores and Node version. Rows are grouped by action, so the hosts' figures
 * for one action sit next to each other. A backend without hosts gets nothing.
 */
import type { HostPart } from '../results/host-part.js';
import { byDiskcacheOrder } from './diskcache-order.js';
import { formatCount, formatDuration, formatTableDuration } from './format-duration.js';
import { DEFAULT_PERCENTILES, percentileColumn, percentileKey } from './percentile-list.js';
import { percentileValue } from './percentile-value.js';
import type { Series } from './series.js';

export interface HostTable {
  /** `per host: 3 workers on 2 agents; the table above is their merge`. */
  title: string;
  header: string[];
  rows: string[][];
  /** One line per host: status, clock offset, cores, Node. */
  lines: string[];
}

/** `box-a (10.0.0.5:7420)`; the address alone when the agent has no hostname or is named by it. */
export function hostLabel(part: HostPart): string {
  if (!part.hostname || part.agent === part.hostname || part.agent.startsWith(`${part.hostname}:`)) return part.agent;
  return `${part.hostname} (${part.agent})`;
}

/** `0–1`, or `2` for one worker. */
export function workerRange(part: HostPart): string {
  return part.procs === 1 ? String(part.firstWorker) : `${part.firstWorker}–${part.firstWorker + part.procs - 1}`;
}

/** `+12.3 µs ±40.0 µs`: agent clock minus coordinator clock, within half the kept round trip. */
export function clockText(part: HostPart): string {
  const { offsetNs, rttNs } = part.clock;
  return `${offsetNs < 0 ? '−' : '+'}${formatDuration(Math.abs(offsetNs))} ±${formatDuration(rttNs / 2)}`;
}

/** The series' host table, or undefined when its backend was not run through agents. */
export function buildHostTable(
  s: Series,
  style: 'rich' | 'plain',
  percentiles: readonly number[] = DEFAULT_PERCENTILES,
): HostTable | undefined {
  const hosts = s.backend.hosts;
  if (!hosts || hosts.length === 0) return undefined;
  const count = style === 'plain' ? (n: number): string => String(Math.round(n)) : formatCount;
  const duration = style === 'plain' ? formatTableDuration : formatDuration;
  const results = hosts.map((h) => h.result);
  const withTimeouts = results.some((r) => Object.values(r.actions).some((a) => a.timeouts > 0));
  const withErrors = results.some((r) => Object.values(r.actions).some((a) => a.errors > 0));
  const header = [
    'Action',
    'Host',
    'Workers',
    'Count',
    'Miss',
    ...(withTimeouts ? ['Timeout'] : []),
    ...(withErrors ? ['Error'] : []),
    ...percentiles.map(percentileColumn),
    'Max',
    'Ops/s',
  ];
  const actions = [...new Set(results.flatMap((r) => Object.keys(r.actions)))].sort(byDiskcacheOrder);
  const rows: string[][] = [];
  for (const action of actions) {
    for (const part of hosts) {
      const r = part.result.actions[action];
      if (!r) continue;
      rows.push([
        action,
        hostLabel(part),
        workerRange(part),
        count(r.count),
        count(r.misses),
        ...(withTimeouts ? [count(r.timeouts)] : []),
        ...(withErrors ? [count(r.errors)] : []),
        ...percentiles.map((p) => duration(percentileValue(r, p))),
        duration(r.percentiles.max),
        count(r.throughput),
      ]);
    }
  }
  const lines = hosts.map((part) => {
    const { status, message } = part.result;
    // An agent that never answered has no hostname, cores or Node version to give.
    const about = part.hostname ? `; ${part.cores} cores, Node ${part.node}` : '';
    const clock =
      part.clock.samples > 0
        ? `clock offset ${clockText(part)} (${part.clock.samples} samples)`
        : 'clock offset not measured';
    return `${hostLabel(part)}: ${status}${message ? ` — ${message}` : ''}; ${clock}${about}`;
  });
  const procs = hosts.reduce((t, h) => t + h.procs, 0);
  return {
    title: `per host: ${procs === 1 ? '1 worker' : `${procs} workers`} on ${hosts.length === 1 ? '1 agent' : `${hosts.length} agents`}; the table above is their merge`,
    header,
    rows,
    lines,
  };
}

/** The host table as indented terminal text under the backend's own lines; '' without hosts. */
export function hostTableText(t: HostTable | undefined): string {
  if (!t) return '';
  // Host and Workers read left to right; figures right-aligned, as in the timing table.
  const left = new Set([1, 2]);
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    `    ${cells.map((c, i) => (left.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd();
  return [`  ${t.title}`, line(t.header), ...t.rows.map(line), ...t.lines.map((l) => `    ${l}`)].join('\n') + '\n';
}

/** The host table in Markdown; '' without hosts. */
export function hostTableMarkdown(t: HostTable | undefined): string {
  if (!t) return '';
  const escape = (c: string): string => c.replace(/\|/g, '\\|');
  return [
    `_${escape(t.title)}_`,
    '',
    `| ${t.header.map(escape).join(' | ')} |`,
    `|${t.header.map((_, i) => (i < 3 ? ':---' : '---:')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
    '',
    ...t.lines.map((l) => `- ${escape(l)}`),
    '',
  ].join('\n');
}

/** One host's figures in summary.json: latencies in ns, percentiles keyed `p50`, `p99.9` as in `percentiles.figures`. */
export interface HostFigures extends Pick<
  HostPart,
  'agent' | 'hostname' | 'cores' | 'node' | 'firstWorker' | 'procs' | 'clock'
> {
  status: string;
  message?: string;
  wallSeconds: number;
  actions: Record<string, Record<string, number>>;
}

export interface SeriesHosts {
  series: string;
  backend: string;
  hosts: HostFigures[];
}

/** summary.json's `hosts`: per series run through agents, each host's figures; [] when no series was. */
export function hostFigures(series: readonly Series[], percentiles: readonly number[]): SeriesHosts[] {
  return series
    .filter((s) => s.backend.hosts && s.backend.hosts.length > 0)
    .map((s) => ({
      series: s.label,
      backend: s.backend.label,
      hosts: s.backend.hosts!.map((part) => ({
        agent: part.agent,
        hostname: part.hostname,
        cores: part.cores,
        node: part.node,
        firstWorker: part.firstWorker,
        procs: part.procs,
        status: part.result.status,
        ...(part.result.message ? { message: part.result.message } : {}),
        clock: part.clock,
        wallSeconds: part.result.wallSeconds,
        actions: Object.fromEntries(
          Object.entries(part.result.actions).map(([action, r]) => [
            action,
            {
              count: r.count,
              misses: r.misses,
              timeouts: r.timeouts,
              errors: r.errors,
              ...Object.fromEntries(percentiles.map((p) => [percentileKey(p), percentileValue(r, p)])),
              max: r.percentiles.max,
              opsPerSecond: r.throughput,
            },
          ]),
        ),
      })),
    }));
}
