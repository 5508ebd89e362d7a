/**
 * From `cachebench run` arguments to a run: the scenario with --param applied,
 * the backends (every one checked before the first runs), the sizes and where
 * the results go. It loads the backend registry, so the command loads it only
 * when a run starts.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_BACKENDS, expandBackendPreset } from '../backends/registry.js';
import { parseBackendChoices, validateBackendChoices, type BackendChoice } from '../harness/load-backend.js';
import { checkRuleLabels, delaysForLabel, parseInjectedDelayRules } from '../harness/injected-delay.js';
import { DEFAULT_NOISE_THRESHOLD_CORES } from '../harness/host-noise.js';
import { OutputLocationError, prepareDirectory, prepareFileLocation } from '../shared/output-location.js';
import type { RunParameters } from '../results/results.js';
import { loadScenario } from '../scenarios/load-scenario.js';
import { applyParameters, parseParameterList } from '../scenarios/parameters.js';
import { quickSizes } from '../scenarios/scenario.js';
import { randomSeed } from '../shared/rng.js';
import type { MeasurementGuards, ResolvedRun, RunCliOptions } from './commands/run.js';
import { UsageError } from './usage-error.js';

/** Turns arguments into a run: scenario with --param applied, backends, sizes (quick, --full, then explicit flags). */
export async function resolveRun(scenarioArg: string, options: RunCliOptions, now = new Date()): Promise<ResolvedRun> {
  if (options.ops !== undefined && options.duration !== undefined)
    throw new UsageError('--ops and --duration are exclusive; give one');
  const parameters = parseParameterList(options.param ?? []);
  const scenario = applyParameters(await loadScenario(scenarioArg), parameters);
  // No --backends: the default set (a quick run stays short); "all": every registered backend, alternative databases too.
  const backendText =
    options.backends === undefined ? DEFAULT_BACKENDS.join(',') : expandBackendPreset(options.backends);
  const backends = withInjectedDelays(parseBackendChoices(backendText), options.injectDelay);
  // Every backend's options and module are checked before the first one runs (exit 2, nothing written).
  await validateBackendChoices(backends, scenario);
  const sizes = options.full ? scenario.sizes : quickSizes(scenario);
  const rate = options.rate ?? null;
  const run: RunParameters = {
    procs: options.procs ?? sizes.procs,
    ops: options.duration !== undefined ? null : (options.ops ?? sizes.opsPerProcess),
    durationSeconds: options.duration ?? null,
    warmupOps: options.warmup ?? sizes.warmupOps,
    rate,
    loadModel: rate === null ? 'closed' : 'open',
    seed: options.seed ?? randomSeed(),
  };
  const stamp = now
    .toISOString()
    .replace(/[:]/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  const outPath = options.out.endsWith('.json')
    ? resolve(options.out)
    : resolve(options.out, `${stamp}-${scenario.name}.json`);
  const guards: MeasurementGuards = {
    noiseThresholdCores: options.noiseThreshold ?? DEFAULT_NOISE_THRESHOLD_CORES,
    waitIdleSeconds: options.waitIdle ?? 0,
    retryNoisy: options.retryNoisy ?? 0,
    pin: options.pin,
  };
  const repeat = options.repeat ?? 1;
  if (repeat === 1)
    return {
      scenario,
      parameters,
      backends,
      run,
      outPath,
      runPaths: [outPath],
      reportDir: `${outPath.replace(/\.json$/i, '')}-report`,
      guards,
    };
  // A folder of runs and nothing else at its top level: compare/ reads every *.json there as one side.
  const folder = outPath.replace(/\.json$/i, '');
  const width = Math.max(2, String(repeat).length);
  const runPaths = Array.from({ length: repeat }, (_, i) =>
    join(folder, `run-${String(i + 1).padStart(width, '0')}.json`),
  );
  return { scenario, parameters, backends, run, outPath: folder, runPaths, reportDir: join(folder, 'report'), guards };
}

/**
 * Attaches `--inject-delay` rules (or, without the flag, CACHEBENCH_INJECT_DELAY's)
 * to the backends they name, so a gate can be tested with unchanged command lines.
 */
function withInjectedDelays(
  backends: BackendChoice[],
  flagRules: string[] | undefined,
  env = process.env,
): BackendChoice[] {
  const texts = flagRules ?? (env.CACHEBENCH_INJECT_DELAY ? [env.CACHEBENCH_INJECT_DELAY] : []);
  const rules = parseInjectedDelayRules(texts);
  if (rules.length === 0) return backends;
  checkRuleLabels(
    rules,
    backends.map((b) => b.label),
  );
  return backends.map((choice) => {
    const injectedDelays = delaysForLabel(rules, choice.label);
    return Object.keys(injectedDelays).length > 0 ? { ...choice, injectedDelays } : choice;
  });
}

/**
 * Creates the results folder (and proves it writable) before anything runs:
 * a bad --out must cost a second, not the measurements. The report folder is
 * made later by the report; its parent is the results folder, checked here.
 */
export async function prepareOutput(resolved: ResolvedRun, options: Pick<RunCliOptions, 'out'>): Promise<void> {
  try {
    if (!options.out.endsWith('.json') && existsSync(options.out) && !statSync(options.out).isDirectory()) {
      throw new OutputLocationError(`${resolve(options.out)} is a file; give a folder, or a path ending in .json`);
    }
    if (resolved.runPaths.length > 1) await prepareDirectory(resolved.outPath);
    for (const path of resolved.runPaths) await prepareFileLocation(path);
  } catch (error) {
    if (error instanceof OutputLocationError) throw new UsageError(`--out: ${error.message}`);
    throw error;
  }
}
