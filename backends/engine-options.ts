import { SETTINGS, parseSetting, type CacheOptions, type Settings } from '../engine/index.js';
import type { BackendOptions, OptionDoc } from './backend.js';
import { BackendSpecError } from './spec.js';

/**
 * What the two engine backends (`sqlite`: one Cache, `fanout`: FanoutCache)
 * share: engine settings given as `name:key=value` text, parsed by the
 * engine's own parseSetting so the CLI and the engine never disagree, and
 * reported back under diskcache's snake_case names.
 */

/** One option doc per engine setting, in diskcache's snake_case spelling. */
export function engineOptionDocs(overrides: Partial<Record<string, OptionDoc>> = {}): Record<string, OptionDoc> {
  return Object.fromEntries(
    Object.values(SETTINGS).map((s) => [
      s.name,
      overrides[s.name] ?? {
        description: `${s.description} (${s.unit}${s.aliases.length ? `; also spelled ${s.aliases.join(', ')}` : ''})`,
        default: String(s.default),
      },
    ]),
  );
}

/** Turns `mmap_size=0,eviction_policy=none` into engine options, naming a bad one and the backend. */
export function parseEngineOptions(backend: string, options: BackendOptions): CacheOptions {
  const parsed: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(options)) {
    try {
      const [option, value] = parseSetting(name, text);
      parsed[option] = value;
    } catch (error) {
      // The engine names its own internal option (`option sqliteMmapSize: …`); the user wrote `name`.
      const detail = (error as { detail?: unknown }).detail;
      const problem = typeof detail === 'string' ? detail : (error as Error).message;
      throw new BackendSpecError(`backend ${backend}: option ${name}="${text}": ${problem}`);
    }
  }
  return parsed as CacheOptions;
}

// Results use diskcache's snake_case names (`sqlite_mmap_size`), as the docs do.
export function snakeCaseSettings(settings: Readonly<Settings>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [option, value] of Object.entries(settings)) {
    out[SETTINGS[option as keyof Settings].name] = value as string | number | boolean;
  }
  return out;
}
