/**
 * What a reader must know before trusting or comparing the figures:
 * host noise during the run, durability of each store, the harness's floor
 * per call style, CPU placement, and the filesystem under the cache. Built
 * from the results files alone, so `cachebench report` on an old file says
 * what it can and stays quiet about what was not recorded.
 */
import type { Durability } from '../backends/backend.js';
import { describeNoise, MIN_JUDGED_SECONDS } from '../results/noise-summary.js';
import type { FilesystemInfo, HostNoise, ResultsFile } from '../results/results.js';
import { formatDuration } from './format-duration.js';
import { collectSeries, type Series } from './series.js';

export interface MeasurementNote {
  level: 'warning' | 'info';
  topic: 'noise' | 'durability' | 'call-style' | 'placement' | 'filesystem' | 'injected-delay';
  text: string;
}

/** Plain words for each durability, as the legend and the tables print them. */
export const DURABILITY_TEXT: Record<Durability, string> = {
  'fsync-per-write': 'fsync on every write',
  'fsync-at-checkpoint': 'fsync at checkpoint',
  'os-buffered': 'OS-buffered, no fsync (survives a process crash, not a power cut)',
  never: 'never (memory only)',
  unknown: 'unknown',
};

export const HAND_OFF_EXPLANATION =
  'Placement changes hand-off costs: with client and server on the same CPU a request passes by a context switch on a CPU that is already awake; ' +
  'on separate CPUs the other CPU is woken for every request when it has gone idle, which on a VM can cost more than the work itself, ' +
  'while a busy other CPU makes the same hand-off cheap. Neither figure is the "true" one: the same-CPU figure is the hand-off floor, ' +
  'the separate-CPU figure what a client and server on an otherwise idle machine see.';

const PIN_SUFFIX = / @(same-cpu|separate-cpus)$/;

function group<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

function noiseNotes(series: readonly Series[]): MeasurementNote[] {
  const notes: MeasurementNote[] = [];
  const quiet: string[] = [];
  const short: string[] = [];
  for (const s of series) {
    const noise = s.backend.hostNoise;
    if (!noise) continue;
    if (!noise.samples.some((x) => x.seconds >= MIN_JUDGED_SECONDS))
      short.push(`${s.label} (${whyNotJudged(noise, s.backend.wallSeconds)})`);
    else if (noise.noisyIntervals.length > 0)
      notes.push({ level: 'warning', topic: 'noise', text: `${s.label}: ${describeNoise(noise)}` });
    else quiet.push(`${s.label} (others ≤ ${noise.maxOthersCores.toFixed(2)} cores)`);
    if (noise.untrackedServer) {
      notes.push({
        level: 'info',
        topic: 'noise',
        text: `${s.label}: the CPU of ${noise.untrackedServer} is not tracked, so on this machine it counts as host noise`,
      });
    }
    if (noise.attempts && noise.keptAttempt !== undefined) {
      notes.push({
        level: 'info',
        topic: 'noise',
        text: `${s.label}: ran ${noise.attempts.length} times because the host was noisy; these figures are attempt ${noise.keptAttempt + 1}, the quietest`,
      });
    }
    if (noise.idleWait && !noise.idleWait.quiet) {
      notes.push({
        level: 'warning',
        topic: 'noise',
        text: `${s.label}: the host did not become quiet within ${noise.idleWait.waitedSeconds} s of waiting (others used ${noise.idleWait.othersCores.toFixed(2)} cores); it ran anyway`,
      });
    }
  }
  if (quiet.length > 0)
    notes.push({
      level: 'info',
      topic: 'noise',
      text: `host quiet (other processes under the threshold in every interval): ${quiet.join(', ')}`,
    });
  if (short.length > 0)
    notes.push({
      level: 'info',
      topic: 'noise',
      text: `host noise not judged for ${short.join('; ')}: /proc's 10 ms ticks cannot judge a sample shorter than ${MIN_JUDGED_SECONDS} s`,
    });
  return notes;
}

/**
 * Why no noise sample was long enough to judge: the measured part was short
 * (a run's wall time also holds start-up and warm-up, so a 1.43 s run can
 * measure for 0.1 s), or the run was long but sampled in short intervals.
 */
function whyNotJudged(noise: HostNoise, wallSeconds: number): string {
  const sampled = noise.samples.reduce((t, x) => t + x.seconds, 0);
  if (sampled < MIN_JUDGED_SECONDS) {
    const wall = wallSeconds > sampled + 0.05 ? ` of a ${wallSeconds.toFixed(2)} s run with start-up and warm-up` : '';
    return `measured for ${sampled.toFixed(2)} s${wall}; use more --ops or --duration`;
  }
  const longest = Math.max(...noise.samples.map((x) => x.seconds));
  return `${sampled.toFixed(2)} s sampled in intervals of ${longest.toFixed(2)} s; use --interval ${MIN_JUDGED_SECONDS * 1000} or longer`;
}

function durabilityNotes(series: readonly Series[]): MeasurementNote[] {
  const described = series.filter((s) => s.backend.description && s.backend.status !== 'unavailable');
  if (described.length === 0) return [];
  const byDurability = group(described, (s) => s.backend.description!.durability);
  const legend = [...byDurability].map(
    ([d, members]) => `${DURABILITY_TEXT[d as Durability] ?? d} — ${members.map((m) => m.label).join(', ')}`,
  );
  const notes: MeasurementNote[] = [
    { level: 'info', topic: 'durability', text: `Durability of a write: ${legend.join('; ')}` },
  ];
  if (byDurability.size > 1) {
    notes.push({
      level: 'warning',
      topic: 'durability',
      text: `this report mixes durabilities (${[...byDurability.keys()].map((d) => DURABILITY_TEXT[d as Durability] ?? d).join(' / ')}): a store that never fsyncs does less work per write than one that fsyncs; compare like with like`,
    });
  }
  return notes;
}

function callStyleNotes(series: readonly Series[], files: readonly ResultsFile[]): MeasurementNote[] {
  const notes: MeasurementNote[] = [];
  const described = series.filter((s) => s.backend.description);
  if (described.length > 0) {
    const byStyle = group(described, (s) => s.backend.description!.callStyle);
    notes.push({
      level: 'info',
      topic: 'call-style',
      text: `Call style: ${[...byStyle].map(([style, members]) => `${style} — ${members.map((m) => m.label).join(', ')}`).join('; ')}`,
    });
  }
  files.forEach((f, i) => {
    const floors = f.callFloors;
    if (!floors) return;
    const where = files.length > 1 ? ` (file ${i + 1})` : '';
    const p = (floor: typeof floors.sync): string =>
      `median ${formatDuration(floor.percentiles.p50)}, p99 ${formatDuration(floor.percentiles.p99)}`;
    notes.push({
      level: 'info',
      topic: 'call-style',
      text: `Harness floor measured in this run${where}: a Map behind a sync call ${p(floors.sync)}; behind an awaited Promise ${p(floors.async)}. Every async backend's figures include at least the awaited floor before any I/O happens.`,
    });
  });
  return notes;
}

function placementNotes(series: readonly Series[]): MeasurementNote[] {
  const pinned = series.filter((s) => s.backend.placement);
  if (pinned.length === 0) return [];
  const notes: MeasurementNote[] = [];
  for (const s of pinned) {
    const p = s.backend.placement!;
    if (p.error)
      notes.push({
        level: 'warning',
        topic: 'placement',
        text: `${s.label}: placement ${p.mode} not fully applied: ${p.error}`,
      });
    const workers = [...new Set(p.applied.workers.map((w) => w ?? '?'))].join(' / ');
    const how =
      p.applied.server === undefined
        ? `${p.mode} (no local server)`
        : p.mode === 'same'
          ? 'client and server on the same CPU'
          : p.mode === 'separate'
            ? 'client and server on separate CPUs'
            : 'on the CPUs given'; // explicit lists: the read-back CPUs below say where each went
    const server = p.applied.server === undefined ? '' : `, server on CPU ${p.applied.server ?? '?'}`;
    notes.push({
      level: 'info',
      topic: 'placement',
      text: `${s.label}: pinned ${how} — workers on CPU ${workers}${server} (read back from the kernel)`,
    });
  }
  // Both placements of one client/server backend in one file: the figure the explanation is about.
  const withServer = pinned.filter((s) => s.backend.placement!.applied.server !== undefined);
  const pairs = group(withServer, (s) => `${s.fileIndex}\u0000${s.backend.label.replace(PIN_SUFFIX, '')}`);
  for (const members of pairs.values()) {
    const same = members.find((m) => m.backend.placement!.mode === 'same');
    const separate = members.find((m) => m.backend.placement!.mode === 'separate');
    if (!same || !separate) continue;
    for (const action of Object.keys(same.backend.actions)) {
      const a = same.backend.actions[action]!.percentiles.p50;
      const b = separate.backend.actions[action]?.percentiles.p50;
      if (b === undefined || a === 0) continue;
      notes.push({
        level: 'info',
        topic: 'placement',
        text: `${same.label.replace(PIN_SUFFIX, '')} ${action}: median ${formatDuration(a)} on the same CPU vs ${formatDuration(b)} on separate CPUs (×${(b / a).toFixed(2)})`,
      });
    }
  }
  notes.push({ level: 'info', topic: 'placement', text: HAND_OFF_EXPLANATION });
  return notes;
}

function filesystemNotes(series: readonly Series[], files: readonly ResultsFile[]): MeasurementNote[] {
  const seen = new Map<string, FilesystemInfo>();
  for (const f of files)
    if (f.environment.cacheFilesystem) seen.set(f.environment.cacheFilesystem.path, f.environment.cacheFilesystem);
  for (const s of series)
    if (s.backend.storage) seen.set(s.backend.storage.mountPoint + s.backend.storage.type, s.backend.storage);
  const notes: MeasurementNote[] = [];
  const described = new Set<string>();
  for (const fs of seen.values()) {
    if (fs.warning) notes.push({ level: 'warning', topic: 'filesystem', text: fs.warning });
    described.add(`${fs.type} (${fs.device} at ${fs.mountPoint})`);
  }
  if (described.size > 0)
    notes.push({ level: 'info', topic: 'filesystem', text: `Cache files on ${[...described].join(', ')}` });
  return notes;
}

/** A backend run with `--inject-delay` is slower on purpose: never let it pass for a real measurement. */
function injectedDelayNotes(series: readonly Series[]): MeasurementNote[] {
  return series
    .filter((s) => s.backend.injectedDelays && Object.keys(s.backend.injectedDelays).length > 0)
    .map((s) => {
      const delays = Object.entries(s.backend.injectedDelays!)
        .map(
          ([method, { ns, share }]) =>
            `${method} +${formatDuration(ns)} ${share >= 1 ? 'on every call' : `on ${+(share * 100).toPrecision(3)}% of calls`}`,
        )
        .join(', ');
      return {
        level: 'warning' as const,
        topic: 'injected-delay' as const,
        text: `${s.label}: a delay was injected on purpose (--inject-delay): ${delays}; these figures include it`,
      };
    });
}

/** Every note, warnings first, each topic in a fixed order. */
export function measurementNotes(series: readonly Series[], files: readonly ResultsFile[]): MeasurementNote[] {
  const notes = [
    ...injectedDelayNotes(series),
    ...noiseNotes(series),
    ...durabilityNotes(series),
    ...callStyleNotes(series, files),
    ...placementNotes(series),
    ...filesystemNotes(series, files),
  ];
  return [...notes.filter((n) => n.level === 'warning'), ...notes.filter((n) => n.level === 'info')];
}

/** The notes for results files as given (what `cachebench run --no-report` prints). */
export function notesForFiles(files: readonly ResultsFile[], labels?: readonly string[]): MeasurementNote[] {
  return measurementNotes(collectSeries(files, labels), files);
}

export function renderNotes(notes: readonly MeasurementNote[], format: 'text' | 'markdown'): string {
  if (notes.length === 0) return '';
  const mark = (n: MeasurementNote): string => (n.level === 'warning' ? 'WARNING: ' : '');
  if (format === 'markdown')
    return `## Measurement notes\n\n${notes.map((n) => `- ${n.level === 'warning' ? '**Warning:** ' : ''}${n.text}`).join('\n')}\n`;
  return `Measurement notes\n${notes.map((n) => `  ${mark(n)}${n.text}`).join('\n')}\n`;
}
