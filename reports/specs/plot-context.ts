/**
 * The subtitle every plot carries, so a PNG shared on its own still says what
 * it shows: scenario, processes × operations (or duration), load model, seed,
 * host, and the durability of each backend's writes.
 */
import type { ResultsFile } from '../../results/results.js';
import { formatCount } from '../format-duration.js';
import type { Series } from '../series.js';
import type { TopLevelSpec } from './common.js';

/** Distinct values in first-seen order. */
function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** At most `max` items, then `…`, so a subtitle stays one line. */
function few(values: readonly string[], max = 3): string {
  return values.length > max ? `${values.slice(0, max).join(', ')}, …` : values.join(', ');
}

function sizeOf(f: ResultsFile): string {
  const { run } = f;
  const each = run.ops === null ? `${run.durationSeconds} s` : `${formatCount(run.ops)} ops`;
  const load = run.loadModel === 'open' && run.rate !== null ? `, open loop at ${formatCount(run.rate)} ops/s` : '';
  return `${run.procs} ${run.procs === 1 ? 'process' : 'processes'} × ${each}${load}`;
}

/** Two lines: what was run and where; then durability per backend. */
export function plotContext(files: readonly ResultsFile[], series: readonly Series[]): string[] {
  const seeds = distinct(files.map((f) => String(f.run.seed)));
  const hosts = distinct(files.map((f) => f.environment.hostname ?? 'unknown host'));
  const first = [
    distinct(files.map((f) => f.scenario.name)).join(', '),
    distinct(files.map(sizeOf)).join(' / '),
    `${seeds.length === 1 ? 'seed' : 'seeds'} ${few(seeds)}`,
    `${hosts.length === 1 ? 'host' : 'hosts'} ${few(hosts)}`,
  ];
  if (files.length > 1) first.push(`${files.length} results files`);
  const byDurability = new Map<string, string[]>();
  for (const s of series) {
    const d = s.backend.description?.durability ?? 'unknown';
    const names = byDurability.get(d) ?? [];
    // Across files the same backend repeats; name it once.
    if (!names.includes(s.backend.label)) names.push(s.backend.label);
    byDurability.set(d, names);
  }
  const durability = `durability: ${[...byDurability].map(([d, names]) => `${d} (${few(names, 4)})`).join('; ')}`;
  return [first.join(' · '), durability];
}

/** The spec with `lines` added under its title (after any subtitle it has). */
export function withSubtitle(spec: TopLevelSpec, lines: readonly string[]): TopLevelSpec {
  const title = spec.title;
  const params =
    typeof title === 'object' && title !== null && !Array.isArray(title)
      ? title
      : { text: (title as string | string[] | undefined) ?? '' };
  const existing =
    'subtitle' in params && params.subtitle !== undefined
      ? Array.isArray(params.subtitle)
        ? params.subtitle
        : [params.subtitle]
      : [];
  return {
    ...spec,
    title: { ...params, subtitle: [...(existing as string[]), ...lines], subtitleColor: '#555' },
  } as TopLevelSpec;
}
