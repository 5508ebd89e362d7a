import { analytics } from './analytics.js';
import { crawler } from './crawler.js';
import { readWriteRatio } from './read-write-ratio.js';
import { ScenarioError, type Scenario } from './scenario.js';
import { staticFiles } from './static-files.js';
import { django, talk } from './talk.js';
import { ycsbScenarios } from './ycsb.js';

/** Every built-in scenario by name, in the order `cachebench scenarios` lists them. */
export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map(
  [talk, django, ...ycsbScenarios, analytics, readWriteRatio, staticFiles, crawler].map((s) => [s.name, s]),
);

export function getScenario(name: string): Scenario {
  const scenario = SCENARIOS.get(name);
  if (!scenario) {
    throw new ScenarioError(
      `unknown scenario "${name}"; known scenarios: ${[...SCENARIOS.keys()].join(', ')} (or a path to a .json/.ts file)`,
    );
  }
  return scenario;
}
