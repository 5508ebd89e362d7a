/**
 * Turns a grid into the list of harness runs: every combination × repeat,
 * plus the engine defaults as the reference when the grid does not contain
 * them, in a seeded random order. The plan is a pure function of its inputs,
 * so re-running the same command rebuilds the same plan and can resume it.
 */
import { createHash } from 'node:crypto';
import type { BackendFactory } from '../backends/backend.js';
import { parseBackendSelection } from '../backends/spec.js';
import { seededRandom } from '../shared/rng.js';
import { SETTINGS } from '../engine/settings.js';
import type { BackendChoice } from '../harness/load-backend.js';
import type { RunParameters } from '../results/results.js';
import { applyParameters } from '../scenarios/parameters.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { Grid, GridAxis, GridValue } from './grid.js';

export interface Combination {
  index: number;
  /** `journal_mode=wal mmap_size=0 procs=2`; the added reference reads `defaults procs=2`. */
  label: string;
  /** Axis name → value text. The added reference has only its harness axes here. */
  values: Record<string, string>;
  /** Scenario parameter axes of this combination (`ratio` → `10`), applied on top of `--param`. */
  params: Record<string, string>;
  /**
   * The workload this combination runs: its procs and scenario-parameter
   * values (`procs=2 ratio=10`), '' when the grid varies neither. Only
   * combinations of one context are compared with each other.
   */
  context: string;
  /** Backend selection text, e.g. `sqlite:journal_mode=wal,mmap_size=0`. */
  backend: string;
  /** Registry name of the backend (`sqlite`); with `--backends` it is also the `backend` value and part of the context. */
  backendName: string;
  procs: number;
  /** Every engine/backend axis at its default: the configuration the recommendation is measured against. */
  isDefault: boolean;
  /** Not in the grid; run only to measure the defaults. */
  added: boolean;
}

export interface PlannedRun {
  /** `c03-r2`: combination 3, repeat 2. Also the results file's name. */
  id: string;
  combination: number;
  repeat: number;
  seed: number;
}

export interface SweepSizes {
  /** Processes when the grid has no procs axis. */
  procs: number;
  ops: number;
  warmupOps: number;
}

export interface SweepPlanInput {
  scenario: Scenario;
  parameters: Record<string, string>;
  /** The first (or only) backend. */
  factory: BackendFactory;
  /** `--backends a,b,c`: every backend swept, `factory` first. Absent: `factory` alone. */
  factories?: readonly BackendFactory[];
  grid: Grid;
  repeat: number;
  seed: number;
  sizes: SweepSizes;
}

export interface SweepPlan extends SweepPlanInput {
  /** Hash of everything that changes what a run measures; a sweep folder only resumes a plan with the same one. */
  fingerprint: string;
  combinations: Combination[];
  /** In execution order (shuffled). */
  runs: PlannedRun[];
}

export function planSweep(input: SweepPlanInput): SweepPlan {
  const combinations = combine(input);
  const runs: PlannedRun[] = [];
  for (const c of combinations) {
    for (let r = 1; r <= input.repeat; r++) {
      // Every combination of one repeat replays the same operations (same seed): a paired design.
      runs.push({
        id: `c${String(c.index).padStart(3, '0')}-r${r}`,
        combination: c.index,
        repeat: r,
        seed: (input.seed + r - 1) >>> 0,
      });
    }
  }
  shuffle(runs, seededRandom(input.seed ^ 0x5eed));
  return { ...input, fingerprint: fingerprint(input), combinations, runs };
}

/** Fisher–Yates: each of the n! orders is equally likely (up to the PRNG), unlike sorting by a random key. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The harness run for one planned run. */
export function runParameters(plan: SweepPlan, run: PlannedRun): RunParameters {
  const combination = plan.combinations[run.combination]!;
  return {
    procs: combination.procs,
    ops: plan.sizes.ops,
    durationSeconds: null,
    warmupOps: plan.sizes.warmupOps,
    rate: null,
    loadModel: 'closed',
    seed: run.seed,
  };
}

export function backendChoice(combination: Combination): BackendChoice {
  const selection = parseBackendSelection(combination.backend);
  return { ref: { kind: 'registry', name: selection.name }, options: selection.options, label: selection.label };
}

/** Axes that describe the workload rather than the configuration: each of their values gets its own reference. */
function isContextAxis(axis: GridAxis): boolean {
  return axis.kind === 'harness' || axis.kind === 'param';
}

/** The backends of a plan, in the order given. */
export function planFactories(input: Pick<SweepPlanInput, 'factory' | 'factories'>): readonly BackendFactory[] {
  return input.factories && input.factories.length > 0 ? input.factories : [input.factory];
}

function combine(input: SweepPlanInput): Combination[] {
  const factories = planFactories(input);
  // With several backends the backend is a context axis: each gets its own defaults reference and recommendation.
  const several = factories.length > 1;
  const combinations: Combination[] = [];
  for (const factory of factories) {
    // Engine settings and options apply only to the backends that declare them (grid.ts); the others run their defaults.
    const grid = input.grid.filter((axis) => axis.backends === undefined || axis.backends.includes(factory.name));
    for (const c of combineOne(input, factory, grid, several)) combinations.push({ ...c, index: combinations.length });
  }
  return combinations;
}

function combineOne(input: SweepPlanInput, factory: BackendFactory, grid: Grid, several: boolean): Combination[] {
  const procsAxis = grid.find((a) => a.kind === 'harness' && a.name === 'procs');
  const rows = cartesian(grid);
  const backendValue: Record<string, string> = several ? { backend: factory.name } : {};
  const prefix = (words: string[]): string[] => (several ? [`backend=${factory.name}`, ...words] : words);
  const combinations: Combination[] = rows.map((row, index) => {
    const values = { ...backendValue, ...Object.fromEntries(row.map(([axis, v]) => [axis.name, v.text])) };
    const options = row.filter(([axis]) => !isContextAxis(axis)).map(([axis, v]) => `${axis.name}=${v.text}`);
    const procs = procsAxis ? Number(values.procs) : input.sizes.procs;
    return {
      index,
      label: prefix(row.map(([axis, v]) => `${axis.name}=${v.text}`)).join(' ') || 'defaults',
      values,
      params: Object.fromEntries(row.filter(([axis]) => axis.kind === 'param').map(([axis, v]) => [axis.name, v.text])),
      context: prefix(row.filter(([axis]) => isContextAxis(axis)).map(([axis, v]) => `${axis.name}=${v.text}`)).join(
        ' ',
      ),
      backend: options.length ? `${factory.name}:${options.join(',')}` : factory.name,
      backendName: factory.name,
      procs,
      isDefault: row.every(([axis, v]) => isDefaultValue(axis, v, factory)),
      added: false,
    };
  });
  // Each workload needs its own reference: latency at 1 and at 4 processes (or at 1:1 and 100:1) is not comparable.
  const contexts = new Map<string, Combination>();
  for (const c of combinations) if (!contexts.has(c.context)) contexts.set(c.context, c);
  for (const [context, example] of contexts) {
    if (combinations.some((c) => c.context === context && c.isDefault)) continue;
    const values: Record<string, string> = {
      ...backendValue,
      ...Object.fromEntries(grid.filter(isContextAxis).map((a) => [a.name, example.values[a.name]!])),
    };
    combinations.push({
      index: combinations.length,
      label: `defaults${context ? ` ${context}` : ''}`,
      values,
      params: example.params,
      context,
      backend: factory.name,
      backendName: factory.name,
      procs: example.procs,
      isDefault: true,
      added: true,
    });
  }
  return combinations;
}

/** The scenario one combination runs: `--param` overrides, then its parameter axes. */
export function scenarioFor(
  plan: Pick<SweepPlan, 'scenario' | 'parameters'>,
  combination: Pick<Combination, 'params'>,
): { scenario: Scenario; parameters: Record<string, string> } {
  const params = combination.params ?? {};
  if (Object.keys(params).length === 0) return { scenario: plan.scenario, parameters: plan.parameters };
  return { scenario: applyParameters(plan.scenario, params), parameters: { ...plan.parameters, ...params } };
}

function isDefaultValue(axis: GridAxis, value: GridValue, factory: BackendFactory): boolean {
  if (isContextAxis(axis)) return true;
  if (axis.kind === 'engine') {
    // A backend may document its own default for a setting (fanout waits 10 ms, not the engine's 60 s).
    const setting = SETTINGS[axis.option!];
    const documented = factory.options[setting.name]?.default;
    return (
      (documented === undefined ? setting.default : parsedOr(setting.parse, documented, setting.default)) ===
      value.value
    );
  }
  const documented = factory.options[axis.name]?.default;
  return documented !== undefined && documented === value.text;
}

function parsedOr<T>(parse: (text: string) => T, text: string, fallback: T): T {
  try {
    return parse(text);
  } catch {
    return fallback;
  }
}

function cartesian(grid: Grid): [GridAxis, GridValue][][] {
  let rows: [GridAxis, GridValue][][] = [[]];
  for (const axis of grid)
    rows = rows.flatMap((row) => axis.values.map((v) => [...row, [axis, v] as [GridAxis, GridValue]]));
  return rows;
}

function fingerprint(input: SweepPlanInput): string {
  const identity = {
    scenario: input.scenario,
    backend: input.factory.name,
    // Only with several backends, so a one-backend sweep keeps the fingerprint it had (and resumes).
    ...(planFactories(input).length > 1
      ? { backends: planFactories(input).map((f) => f.name), applies: input.grid.map((a) => a.backends ?? null) }
      : {}),
    grid: input.grid.map((a) => [a.kind, a.name, a.values.map((v) => v.value)]),
    repeat: input.repeat,
    seed: input.seed,
    sizes: input.sizes,
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
}
