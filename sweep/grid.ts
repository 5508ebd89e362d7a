/**
 * The sweep grid: axes and their values, from `--grid name=v1,v2 ...` or a
 * grid file. Each axis is resolved once, up front, so a typo fails before
 * any run starts:
 *   - `procs`: a harness axis (worker processes of the run);
 *   - an engine setting in any spelling the engine accepts (`journal_mode`,
 *     `sqlite_mmap_size`, `policy`), values parsed by the engine's own
 *     `parseSetting` (units such as 64MiB or 10ms);
 *   - any other option the chosen backend declares (`shards` on `fanout`);
 *   - a scenario parameter (`param.ratio`, or `ratio` when no setting or
 *     option has that name): the workload changes, as with `--param`, and
 *     each value is its own context with its own defaults reference.
 */
import { readFile } from 'node:fs/promises';
import type { BackendFactory } from '../backends/backend.js';
import { findSetting, type SettingName, type SettingSpec } from '../engine/settings.js';
import { PARAMETER_DOCS } from '../scenarios/parameters.js';
import { errorDetail, SweepError } from './errors.js';

export type AxisKind = 'harness' | 'engine' | 'backend' | 'param';

export interface GridValue {
  /** As the user wrote it; used in labels and backend specs (`64MiB`). */
  text: string;
  /** Parsed: engine settings in engine units (bytes, seconds), procs as a number, backend options as text. */
  value: string | number | boolean;
}

export interface GridAxis {
  /** Key in labels and backend specs: the engine name without `sqlite_` (`mmap_size`), the backend option, or the scenario parameter. */
  name: string;
  kind: AxisKind;
  /** The engine option for engine axes. */
  option?: SettingName;
  /**
   * With several backends (`--backends sqlite,filebased`): the ones that
   * declare this engine setting or option. The others run at their own
   * defaults, with one configuration for this axis. Absent: every backend.
   */
  backends?: string[];
  values: GridValue[];
}

/** One backend, or the several of `--backends`. */
export type Backends = BackendFactory | readonly BackendFactory[];

export type Grid = GridAxis[];

/** `--grid journal_mode=wal,delete procs=1,2` (tokens as the shell split them). */
export function parseGridArgs(tokens: readonly string[], factory: Backends): Grid {
  const raw: [string, string[]][] = [];
  for (const token of tokens.flatMap((t) => t.split(/\s+/)).filter((t) => t !== '')) {
    const eq = token.indexOf('=');
    if (eq <= 0)
      throw new SweepError(
        'GRID',
        `grid axis "${token}" is not name=value[,value...]; e.g. --grid journal_mode=wal,delete (a scenario name goes before --grid)`,
      );
    raw.push([token.slice(0, eq), token.slice(eq + 1).split(',')]);
  }
  return buildGrid(raw, factory);
}

/** A grid file: `{ "journal_mode": ["wal", "delete"], "mmap_size": [0, "64MiB"], "procs": [1, 2] }`. */
export async function readGridFile(path: string, factory: Backends): Promise<Grid> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new SweepError(
      'GRID',
      `grid file ${path}: ${e.code ? `cannot read it (${e.code})` : `not JSON (${e.message})`}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SweepError(
      'GRID',
      `grid file ${path}: expected an object of axes, e.g. {"journal_mode": ["wal", "delete"]}`,
    );
  }
  const raw: [string, string[]][] = Object.entries(value as Record<string, unknown>).map(([name, values]) => {
    const list = Array.isArray(values) ? values : [values];
    if (!list.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
      throw new SweepError('GRID', `grid file ${path}: axis "${name}" must list strings or numbers`);
    }
    return [name, list.map(String)];
  });
  return buildGrid(raw, factory, `grid file ${path}: `);
}

/** Joins the axes of --grid and --grid-file; an axis named twice is an error rather than a silent override. */
export function mergeGrids(...grids: Grid[]): Grid {
  const out: Grid = [];
  for (const axis of grids.flat()) {
    if (out.some((a) => sameAxis(a, axis)))
      throw new SweepError('GRID', `grid axis ${axis.name} is given twice (in --grid and --grid-file); keep one`);
    out.push(axis);
  }
  return out;
}

/** Number of combinations (the product of the axis sizes; 1 for an empty grid). */
export function gridSize(grid: Grid): number {
  return grid.reduce((n, axis) => n * axis.values.length, 1);
}

function sameAxis(a: GridAxis, b: GridAxis): boolean {
  return a.kind === b.kind && (a.kind === 'engine' ? a.option === b.option : a.name === b.name);
}

function buildGrid(raw: readonly [string, string[]][], factory: Backends, where = ''): Grid {
  const grid: Grid = [];
  for (const [name, texts] of raw) {
    const axis = resolveAxisForBackends(name.trim(), factory, where);
    if (grid.some((a) => sameAxis(a, axis)))
      throw new SweepError('GRID', `${where}grid axis ${name} is given twice; list all its values once: ${name}=a,b,c`);
    const values = texts.map((t) => t.trim());
    if (values.length === 0 || values.some((t) => t === '')) {
      throw new SweepError('GRID', `${where}grid axis ${name} has an empty value; write ${name}=a,b,c`);
    }
    for (const text of values) {
      const value = parseValue(axis, name, text, where);
      const twin = axis.values.find((v) => v.value === value);
      if (twin)
        throw new SweepError('GRID', `${where}grid ${name}=${text}: same value as ${twin.text}; list each value once`);
      axis.values.push({ text, value });
    }
    grid.push(axis);
  }
  return grid;
}

/** A `--param` name: one of PARAMETER_DOCS, or `mix.<action>`. */
function isScenarioParameter(name: string): boolean {
  return name in PARAMETER_DOCS || /^mix\.[a-z]+$/i.test(name);
}

/**
 * With several backends an engine setting or backend option applies to the
 * backends that declare it (a sweep of sqlite and filebased over
 * synchronous=normal,full runs filebased once per context). It is an error
 * only when no backend takes it; the message names each backend's reason.
 */
function resolveAxisForBackends(name: string, backends: Backends, where: string): GridAxis {
  const factories: readonly BackendFactory[] = Array.isArray(backends) ? backends : [backends as BackendFactory];
  if (factories.length === 1) return resolveAxis(name, factories[0]!, where);
  const taken: { factory: BackendFactory; axis: GridAxis }[] = [];
  const refusals: string[] = [];
  for (const factory of factories) {
    try {
      taken.push({ factory, axis: resolveAxis(name, factory, where) });
    } catch (error) {
      refusals.push(`${factory.name}: ${errorDetail(error)}`);
    }
  }
  if (taken.length === 0)
    throw new SweepError(
      'GRID',
      `${where}grid axis ${name}: none of the backends ${factories.map((f) => f.name).join(', ')} takes it (${refusals.join('; ')})`,
    );
  const axis = taken[0]!.axis;
  if (axis.kind === 'harness' || axis.kind === 'param') return axis;
  const conflicting = taken.find((t) => t.axis.kind !== axis.kind);
  if (conflicting) {
    throw new SweepError(
      'GRID',
      `${where}grid axis ${name}: is an engine setting for ${taken
        .filter((t) => t.axis.kind === 'engine')
        .map((t) => t.factory.name)
        .join(', ')} but a backend option for ${taken
        .filter((t) => t.axis.kind === 'backend')
        .map((t) => t.factory.name)
        .join(', ')}; sweep those backends separately`,
    );
  }
  return { ...axis, backends: taken.map((t) => t.factory.name) };
}

function resolveAxis(name: string, factory: BackendFactory, where: string): GridAxis {
  if (name === 'procs') return { name, kind: 'harness', values: [] };
  if (name.startsWith('param.')) {
    const parameter = name.slice('param.'.length);
    if (!isScenarioParameter(parameter)) {
      throw axisError(
        where,
        name,
        `unknown scenario parameter "${parameter}"; known: ${Object.keys(PARAMETER_DOCS).join(', ')}`,
      );
    }
    return { name: parameter, kind: 'param', values: [] };
  }
  let setting: SettingSpec | undefined;
  let unknown: Error | undefined;
  try {
    setting = findSetting(name);
  } catch (error) {
    unknown = error as Error;
  }
  // A backend takes engine settings when it declares them as options (sqlite, fanout).
  if (setting && setting.name in factory.options) {
    return { name: setting.name.replace(/^sqlite_/, ''), kind: 'engine', option: setting.option, values: [] };
  }
  if (name in factory.options) return { name, kind: 'backend', values: [] };
  if (!setting && isScenarioParameter(name)) return { name, kind: 'param', values: [] };
  const known = `grid axes are procs, engine settings (sqlite, fanout), options of backend ${factory.name}, or scenario parameters (param.ratio, …)`;
  if (setting)
    throw axisError(
      where,
      name,
      `backend ${factory.name} does not take engine settings; use --backend sqlite or fanout`,
    );
  if (name === 'shards')
    throw axisError(
      where,
      name,
      `backend ${factory.name} has no shards; shards is an option of the fanout backend (--backend fanout)`,
    );
  // The engine's detail says the setting is unknown and suggests the closest spelling.
  throw axisError(where, name, `${unknown ? errorDetail(unknown) : 'unknown'} (${known})`);
}

function axisError(where: string, name: string, detail: string): SweepError {
  return new SweepError('GRID', `${where}grid axis ${name}: ${detail}`, detail);
}

function parseValue(axis: GridAxis, name: string, text: string, where: string): string | number | boolean {
  const fail = (problem: string): never => {
    throw new SweepError('GRID', `${where}grid ${name}=${text}: ${problem}`);
  };
  if (axis.kind === 'harness' || (axis.kind === 'backend' && name === 'shards')) {
    if (!/^\d+$/.test(text) || Number(text) < 1) fail(`expected a whole number ≥ 1`);
    return Number(text);
  }
  // Checked against the scenario when the sweep is resolved (resolve-sweep.ts), where the scenario is known.
  if (axis.kind === 'param') return text;
  if (axis.kind === 'backend') {
    // Only the backend knows its options' units; it validates them when the run provisions it.
    if (text.includes(':') || text.includes(';')) fail('values cannot contain ":" or ";"');
    return text;
  }
  const setting = findSetting(name);
  try {
    return setting.parse(text);
  } catch (error) {
    // The engine names its own option; the user's spelling leads the line, with the engine's detail.
    return fail(errorDetail(error));
  }
}
