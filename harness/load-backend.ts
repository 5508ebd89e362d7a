import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BackendFactory, BackendOptions } from '../backends/backend.js';
import { getBackendFactory } from '../backends/registry.js';
import { BackendSpecError, parseBackendSelection } from '../backends/spec.js';
import type { InjectedDelays } from './injected-delay.js';
import { typeScriptHint } from '../scenarios/load-scenario.js';
import type { Scenario } from '../scenarios/scenario.js';
import { firstLine } from '../shared/first-line.js';

/** Where a worker finds its factory: the registry by name, or a user's module by absolute path. */
export type BackendRef = { kind: 'registry'; name: string } | { kind: 'module'; path: string };

/** One entry of `--backends`. */
export interface BackendChoice {
  ref: BackendRef;
  options: BackendOptions;
  /** Label in tables and results: the user's text (normalised). */
  label: string;
  /** `--inject-delay`: extra nanoseconds spun inside chosen methods (harness/injected-delay.ts). */
  injectedDelays?: InjectedDelays;
}

// `module:/abs/x.js`, `./x.ts`, `../x.js`, `/abs/x.mjs`, optionally followed by `:key=value,...`.
const MODULE_PATTERN = /^(?:module:)?((?:\.{1,2}\/|\/|[A-Za-z]:[\\/])?[^:]*?\.(?:ts|mts|js|mjs|cjs))(?::(.*))?$/;

function isModuleText(text: string): boolean {
  return text.startsWith('module:') || /^(\.{1,2}\/|\/)/.test(text) || /\.(ts|mts|js|mjs|cjs)(:|$)/.test(text);
}

/**
 * Parses `--backends`: registry names with options (`sqlite,fanout:shards=8,redis`)
 * and module paths whose default export is a BackendFactory (`./my-backend.ts`,
 * `module:/abs/path.js:opt=1`). Separators: commas, or
 * `;`/spaces when entries carry several options.
 */
export function parseBackendChoices(text: string, cwd = process.cwd()): BackendChoice[] {
  const pieces =
    text.includes(';') || /\s/.test(text.trim()) ? text.split(/[;\s]+/) : joinOptionPieces(text.split(','));
  const choices = pieces.filter((p) => p.trim() !== '').map((piece) => parseChoice(piece.trim(), cwd));
  if (choices.length === 0)
    throw new BackendSpecError('--backends is empty; name at least one backend, e.g. --backends memory');
  const seen = new Set<string>();
  for (const choice of choices) {
    if (seen.has(choice.label))
      throw new BackendSpecError(`backend "${choice.label}" is listed twice; labels must be unique`);
    seen.add(choice.label);
  }
  return choices;
}

// A comma before `key=value` continues the previous entry's options: `sqlite,fanout:shards=4,timeout=1,redis`.
function joinOptionPieces(parts: string[]): string[] {
  const out: string[] = [];
  for (const piece of parts) {
    const last = out.length - 1;
    if (last >= 0 && piece.includes('=') && !piece.includes(':') && !isModuleText(piece) && out[last]!.includes(':'))
      out[last] += `,${piece}`;
    else out.push(piece);
  }
  return out;
}

function parseChoice(text: string, cwd: string): BackendChoice {
  if (!isModuleText(text)) {
    const selection = parseBackendSelection(text);
    getBackendFactory(selection.name); // fail early, naming the known backends
    return { ref: { kind: 'registry', name: selection.name }, options: selection.options, label: selection.label };
  }
  const match = MODULE_PATTERN.exec(text);
  if (!match)
    throw new BackendSpecError(
      `backend "${text}": expected a module path ending in .ts/.js, e.g. ./my-backend.ts or module:/abs/path.js:key=value`,
    );
  const path = isAbsolute(match[1]!) ? match[1]! : resolve(cwd, match[1]!);
  // Reuse the registry syntax for the options by parsing them under a dummy name.
  const options = match[2] ? parseBackendSelection(`m:${match[2]}`).options : {};
  const rendered = Object.entries(options)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return { ref: { kind: 'module', path }, options, label: rendered ? `${match[1]}:${rendered}` : match[1]! };
}

/**
 * The options a backend runs with: the scenario's defaults for that backend
 * name (Scenario.backendOptions), overridden by what the user gave.
 */
export function optionsFor(
  factoryName: string,
  choice: BackendChoice,
  scenario: Pick<Scenario, 'backendOptions'> | undefined,
): BackendOptions {
  return { ...scenario?.backendOptions?.[factoryName], ...choice.options };
}

/**
 * Loads every chosen backend's factory (importing module backends) and checks
 * its options, before anything runs: a typo in the last backend, or a module
 * that does not import, fails the whole run at once with a BackendSpecError
 * naming the backend, instead of after the others were measured.
 */
export async function validateBackendChoices(
  choices: readonly BackendChoice[],
  scenario?: Pick<Scenario, 'backendOptions'>,
): Promise<void> {
  for (const choice of choices) {
    const factory = await loadBackendFactory(choice.ref);
    try {
      factory.validate?.(optionsFor(factory.name, choice, scenario));
    } catch (error) {
      const message = firstLine((error as Error).message);
      // Registry factories name themselves already; a module's own message may not.
      throw new BackendSpecError(
        message.startsWith(`backend ${factory.name}`) || message.includes(choice.label)
          ? message
          : `backend ${choice.label}: ${message}`,
      );
    }
  }
}

const moduleCache = new Map<string, Promise<BackendFactory>>();

/** The factory for a ref: from the registry, or the default export of the module (checked for shape). */
export function loadBackendFactory(ref: BackendRef): Promise<BackendFactory> {
  if (ref.kind === 'registry') return Promise.resolve(getBackendFactory(ref.name));
  let loading = moduleCache.get(ref.path);
  if (!loading) {
    loading = importFactory(ref.path);
    moduleCache.set(ref.path, loading);
  }
  return loading;
}

async function importFactory(path: string): Promise<BackendFactory> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    const hint = typeScriptHint(path, error);
    throw new BackendSpecError(
      `backend module ${path}: cannot import it: ${firstLine((error as Error).message)}${hint}`,
    );
  }
  const factory = module.default as Partial<BackendFactory> | undefined;
  if (
    !factory ||
    typeof factory !== 'object' ||
    typeof factory.provision !== 'function' ||
    typeof factory.create !== 'function' ||
    typeof factory.name !== 'string'
  ) {
    throw new BackendSpecError(
      `backend module ${path}: its default export must be a BackendFactory { name, summary, options, provision, create }`,
    );
  }
  return factory as BackendFactory;
}
