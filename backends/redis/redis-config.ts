import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Durability } from '../backend.js';

/**
 * What a Redis server says about its persistence, shared by redis and
 * redis-cluster (read from each master). CONFIG may be disabled on managed
 * servers; then persistence is reported as unknown.
 */
export async function readConfig(client: Redis): Promise<Record<string, string>> {
  const settings: Record<string, string> = {};
  for (const name of ['save', 'appendonly', 'appendfsync', 'maxmemory', 'maxmemory-policy']) {
    try {
      const [, value] = (await client.config('GET', name)) as string[];
      if (value !== undefined) settings[name] = value;
    } catch {
      // Leave it out.
    }
  }
  return settings;
}

export function durabilityOf(config: Record<string, string>): Durability {
  if (config.appendonly === 'yes') return config.appendfsync === 'always' ? 'fsync-per-write' : 'fsync-at-checkpoint';
  if (config.appendonly === 'no' && config.save === '') return 'never';
  // RDB snapshots only (or CONFIG hidden): a write survives only if a snapshot happened to follow it.
  return 'unknown';
}

/** The installed ioredis version, for descriptions. */
export function ioredisVersion(): string {
  return (createRequire(import.meta.url)('ioredis/package.json') as { version: string }).version;
}
