import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getScenario } from './registry.js';
import { ScenarioError, type Scenario } from './scenario.js';
import { validateScenario } from './validate-scenario.js';
import { firstLine } from '../shared/first-line.js';

/** True when the argument names a file rather than a built-in scenario. */
export function isScenarioFile(nameOrPath: string): boolean {
  return /\.(json|ts|js|mjs)$/.test(nameOrPath) || nameOrPath.includes('/');
}

/**
 * A built-in scenario by name, or a user's scenario from a `.json` file (the
 * Scenario fields) or a `.ts`/`.js` module whose default export is one. `.ts`
 * files need the tsx loader (as under `npx tsx`).
 */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  if (!isScenarioFile(nameOrPath)) return validateScenario(getScenario(nameOrPath), nameOrPath);
  const path = resolve(nameOrPath);
  let value: unknown;
  if (path.endsWith('.json')) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new ScenarioError(`scenario file ${path}: cannot read it (${(error as Error).message})`);
    }
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ScenarioError(
        `scenario file ${path}: not valid JSON (${(error as Error).message.replace(/\s*\n\s*/g, ' ')})`,
      );
    }
  } else {
    try {
      const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
      value = module.default;
    } catch (error) {
      throw new ScenarioError(
        `scenario file ${path}: cannot import it (${firstLine((error as Error).message)})${typeScriptHint(path, error)}`,
      );
    }
    if (value === undefined)
      throw new ScenarioError(`scenario file ${path}: no default export; export default a Scenario object`);
  }
  return validateScenario(value, path);
}

/**
 * The compiled CLI (plain node) cannot import TypeScript: say how to run a
 * .ts scenario file instead of leaving node's "Unknown file extension".
 */
export function typeScriptHint(path: string, error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (!/\.(ts|mts|cts)$/.test(path) || code !== 'ERR_UNKNOWN_FILE_EXTENSION') return '';
  return '; .ts files need the tsx loader: run `npx tsx cli/main.ts run FILE.ts …` from the cachebench sources, or compile the file to .js';
}
