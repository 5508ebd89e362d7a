/**
 * Miss rate vs timeout. A results file holds a timeout sweep when two or more
 * of its backends have the same registry name and the same settings except a
 * numeric `timeout` setting (seconds, `description.settings.timeout`), e.g.
 * `sqlite:timeout=0.001`, `sqlite:timeout=0.01`, `sqlite:timeout=0.1` run
 * together. Each such group becomes one line; files are never mixed, so two
 * machines' sweeps stay two lines.
 */
import { answerCounts, timeoutsTimed } from '../../results/answer-counts.js';
import type { Series } from '../series.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, VEGA_LITE_SCHEMA, type SpecOptions, type TopLevelSpec } from './common.js';

export interface SweepDatum {
  /** The group: file label and backend label with the timeout removed. */
  series: string;
  action: string;
  timeoutSeconds: number;
  /** misses / answered operations; timed-out operations are misses too (results/answer-counts.ts). */
  missRate: number;
  /** timeouts / answered operations. */
  timeoutRate: number;
}

function timeoutOf(s: Series): number | undefined {
  const raw = s.backend.description?.settings.timeout;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** `sqlite:shards=2,timeout=0.01` → `sqlite:shards=2`. */
function withoutTimeout(label: string): string {
  return label
    .replace(/(^|[:,])\s*timeout=[^,]*/g, '$1')
    .replace(/,,+/g, ',')
    .replace(/[:,]+$/, '')
    .replace(/:,/, ':');
}

function groupKey(s: Series): string {
  const settings = { ...(s.backend.description?.settings ?? {}) };
  delete settings.timeout;
  const sorted = Object.keys(settings)
    .sort()
    .map((k) => [k, settings[k]]);
  return JSON.stringify([s.fileIndex, s.backend.name, sorted]);
}

/** Groups of at least two series differing only by timeout; empty when the files hold no sweep. */
export function detectTimeoutSweep(series: readonly Series[]): Map<string, Series[]> {
  const groups = new Map<string, Series[]>();
  for (const s of series) {
    if (timeoutOf(s) === undefined) continue;
    const key = groupKey(s);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const sweeps = new Map<string, Series[]>();
  for (const members of groups.values()) {
    const timeouts = new Set(members.map(timeoutOf));
    if (timeouts.size < 2) continue;
    const first = members[0];
    let name = `${first.fileLabel ? `${first.fileLabel} ` : ''}${withoutTimeout(first.backend.label) || first.backend.name}`;
    while (sweeps.has(name)) name = `${name}'`;
    sweeps.set(name, members);
  }
  return sweeps;
}

export function timeoutSweepData(series: readonly Series[]): SweepDatum[] {
  const data: SweepDatum[] = [];
  for (const [group, members] of detectTimeoutSweep(series)) {
    for (const s of members) {
      for (const [action, r] of Object.entries(s.backend.actions)) {
        // Counts in one meaning whether or not the file timed its timeouts.
        const counts = answerCounts(action, r, timeoutsTimed(s.file.run));
        if (counts.answered === 0) continue;
        data.push({
          series: group,
          action,
          timeoutSeconds: timeoutOf(s) as number,
          missRate: counts.missRate,
          timeoutRate: counts.timeoutRate,
        });
      }
    }
  }
  return data.sort((a, b) => a.timeoutSeconds - b.timeoutSeconds);
}

/** One chart per action; miss rate solid, timeout rate dashed. Null when there is no sweep. */
export function timeoutSweepSpec(
  series: readonly Series[],
  action: string,
  options: SpecOptions = {},
): TopLevelSpec | null {
  const data = timeoutSweepData(series).filter((d) => d.action === action);
  if (data.length === 0) return null;
  const timeouts = data.map((d) => d.timeoutSeconds);
  const min = Math.min(...timeouts);
  const max = Math.max(...timeouts);
  // Sweeps usually step by factors of ten; a log axis spaces them evenly. Zero cannot sit on one.
  const logX = min > 0 && max / min >= 10;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${action}: miss rate vs timeout (timeouts dashed)`, anchor: 'start' },
    width: options.width ?? DEFAULT_WIDTH,
    height: options.height ?? DEFAULT_HEIGHT,
    data: { values: data },
    transform: [{ fold: ['missRate', 'timeoutRate'], as: ['rate', 'fraction'] }],
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: {
        field: 'timeoutSeconds',
        type: 'quantitative',
        title: 'timeout (s)',
        scale: { type: logX ? 'log' : 'linear' },
      },
      y: {
        field: 'fraction',
        type: 'quantitative',
        title: 'share of operations',
        axis: { format: '.1%' },
        scale: { zero: true },
      },
      color: { field: 'series', type: 'nominal', title: 'backend' },
      strokeDash: { field: 'rate', type: 'nominal', title: 'rate', sort: ['missRate', 'timeoutRate'] },
    },
  };
}
