/**
 * `cachebench/scenarios`: what a scenario file is written against.
 *
 * A scenario is plain data — a key space, a value shape, an operation mix,
 * sizes — given to `cachebench run` as a `.json` file with these fields or a
 * `.js` module whose default export is a `Scenario`. `validateScenario`
 * checks one as the CLI does, naming the field at fault. The built-in
 * scenarios (`SCENARIOS`, `getScenario`) are a starting point to spread and
 * change: `{ ...getScenario('talk'), name: 'my-talk', mix: { get: 0.5, set: 0.5 } }`.
 */
export type {
  CheckName,
  KeyDistribution,
  KeyOrder,
  MixAction,
  PreloadValue,
  RecordLayout,
  RunSizes,
  Scenario,
  ValueSpec,
} from '../scenarios/scenario.js';
export { MIX_ACTIONS, ScenarioError } from '../scenarios/scenario.js';
export { getScenario, SCENARIOS } from '../scenarios/registry.js';
export { validateScenario } from '../scenarios/validate-scenario.js';
