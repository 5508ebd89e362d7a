/**
 * From command-line options to a sweep plan and objective: the quick
 * defaults, the scenario with `--param` applied, the grid from `--grid` and
 * `--grid-file`. Every mistake surfaces here, before any run starts.
 */
import { getBackendFactory } from '../backends/registry.js';
import { parseBackendSelection } from '../backends/spec.js';
import { loadScenario } from '../scenarios/load-scenario.js';
import { applyParameters, parseParameterList } from '../scenarios/parameters.js';
import { MIX_ACTIONS, quickSizes, type Scenario } from '../scenarios/scenario.js';
import { errorDetail, SweepError } from './errors.js';
import { gridSize, mergeGrids, parseGridArgs, readGridFile, type Grid } from './grid.js';
import { checkObjectiveActions, parseObjective, type Objective } from './objective.js';
import { DEFAULT_OBJECTIVE, QUICK_GRID } from './sweep-defaults.js';
import { planSweep, scenarioFor, type SweepPlan, type SweepSizes } from './plan.js';

export interface SweepOptions {
  grid?: string[];
  gridFile?: string;
  /** @default 5, or 3 with quick */
  repeat?: number;
  /** @default 'get.p99' */
  objective?: string;
  /** @default 'sqlite' */
  backend?: string;
  /** `sqlite,filebased,redis`: sweep several backends, the backend becoming a context axis (overrides `backend`). */
  backends?: string;
  quick?: boolean;
  procs?: number;
  ops?: number;
  warmup?: number;
  /** @default 1 — fixed, so re-running the same command rebuilds the same plan and resumes it */
  seed?: number;
  param?: string[];
}

export { DEFAULT_OBJECTIVE, QUICK_GRID } from './sweep-defaults.js';
/** Small enough that the quick grid × 3 repeats finishes in a few minutes on 2 cores. */
export const QUICK_SIZES: SweepSizes = { procs: 2, ops: 2_000, warmupOps: 200 };
export const QUICK_REPEAT = 3;
export const DEFAULT_REPEAT = 5;
/** Above this many runs a sweep is probably a typo (an axis with too many values); say so instead of starting. */
export const MAX_RUNS = 5_000;

export async function resolveSweep(
  scenarioArg: string,
  options: SweepOptions,
): Promise<{ plan: SweepPlan; objective: Objective }> {
  const objective = parseObjective(options.objective ?? DEFAULT_OBJECTIVE);
  const names = (options.backends ?? options.backend ?? 'sqlite')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.length === 0)
    throw new SweepError('GRID', '--backends is empty; name one or more backends, e.g. --backends sqlite,filebased');
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new SweepError('GRID', `--backends names ${twice} twice; list each backend once`);
  const factories = names.map((n) => {
    try {
      return getBackendFactory(n);
    } catch (error) {
      throw new SweepError('GRID', (error as Error).message);
    }
  });
  const factory = factories[0]!;
  const parameters = parseParameterList(options.param ?? []);
  const scenario = applyParameters(await loadScenario(scenarioArg), parameters);
  const gridTokens = options.grid ?? (options.gridFile === undefined && options.quick ? [...QUICK_GRID] : []);
  const grids: Grid[] = [parseGridArgs(gridTokens, factories)];
  if (options.gridFile !== undefined) grids.push(await readGridFile(options.gridFile, factories));
  const grid = mergeGrids(...grids);
  checkParameterAxes(grid, scenario);
  if (grid.length === 0)
    throw new SweepError(
      'GRID',
      'no grid: give --grid name=v1,v2 ..., --grid-file grid.json, or --quick for the quick grid',
    );
  const base = options.quick
    ? QUICK_SIZES
    : (() => {
        const q = quickSizes(scenario);
        return { procs: q.procs, ops: q.opsPerProcess, warmupOps: q.warmupOps };
      })();
  const sizes: SweepSizes = {
    procs: options.procs ?? base.procs,
    ops: options.ops ?? base.ops,
    warmupOps: options.warmup ?? base.warmupOps,
  };
  const repeat = options.repeat ?? (options.quick ? QUICK_REPEAT : DEFAULT_REPEAT);
  const runs = gridSize(grid) * repeat;
  if (runs > MAX_RUNS)
    throw new SweepError(
      'GRID',
      `the grid has ${gridSize(grid)} combinations × ${repeat} repeats = ${runs} runs (limit ${MAX_RUNS}); drop values or axes`,
    );
  const plan = planSweep({
    scenario,
    parameters,
    factory,
    ...(factories.length > 1 ? { factories } : {}),
    grid,
    repeat,
    seed: options.seed ?? 1,
    sizes,
  });
  validateCombinations(plan, factories);
  checkObjectiveAgainstWorkloads(plan, objective);
  return { plan, objective };
}

/** The objective's actions against every workload of the plan (`--param` applied, then each parameter axis value). */
function checkObjectiveAgainstWorkloads(plan: SweepPlan, objective: Objective): void {
  const seen = new Set<string>();
  for (const c of plan.combinations) {
    const params = Object.entries(c.params ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    if (seen.has(params)) continue;
    seen.add(params);
    const { scenario } = scenarioFor(plan, c);
    const timed = MIX_ACTIONS.filter((a) => (scenario.mix[a] ?? 0) > 0);
    checkObjectiveActions(objective, timed, `scenario ${scenario.name}${params ? ` at ${params}` : ''}`);
  }
}

/** Each combination's options, checked by its backend's own validate (a filebased timeout in its units, …) before any run. */
function validateCombinations(
  plan: { combinations: readonly { backend: string; backendName: string; label: string }[] },
  factories: readonly { name: string; validate?(options: Record<string, string>): void }[],
): void {
  for (const c of plan.combinations) {
    const factory = factories.find((f) => f.name === c.backendName);
    if (!factory?.validate) continue;
    try {
      factory.validate(parseBackendSelection(c.backend).options);
    } catch (error) {
      throw new SweepError('GRID', `grid ${c.label}: ${(error as Error).message}`);
    }
  }
}

/** Each value of a scenario-parameter axis, applied the way `--param` applies it, so a bad value fails before any run. */
function checkParameterAxes(grid: Grid, scenario: Scenario): void {
  for (const axis of grid.filter((a) => a.kind === 'param')) {
    for (const value of axis.values) {
      try {
        applyParameters(scenario, { [axis.name]: value.text });
      } catch (error) {
        throw new SweepError('GRID', `grid ${axis.name}=${value.text}: ${errorDetail(error)}`);
      }
    }
  }
}
