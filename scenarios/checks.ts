import type { ScenarioCheck } from './check.js';
import { conservation } from './conservation.js';
import type { CheckName, Scenario } from './scenario.js';

/** Every post-run check a scenario can name in `check`. */
export const CHECKS: Readonly<Record<CheckName, ScenarioCheck>> = { conservation };

/** The check a scenario declares, or undefined when it declares none. */
export function scenarioCheck(scenario: Scenario): ScenarioCheck | undefined {
  return scenario.check === undefined ? undefined : CHECKS[scenario.check];
}
