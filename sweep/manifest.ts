/**
 * The sweep folder's record: what the sweep is (its plan, by fingerprint) and
 * which runs have finished. Each run's results file is written first and the
 * manifest second, both by rename, so a sweep killed at any moment leaves
 * either a complete file or none; resuming trusts the files, not the memory
 * of the process that died.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { prepareDirectory } from '../shared/output-location.js';
import { join } from 'node:path';
import type { BackendStatus } from '../results/results.js';
import { SweepError } from './errors.js';
import type { Combination, SweepPlan, SweepSizes } from './plan.js';

export const MANIFEST_SCHEMA = 'cachebench/sweep-manifest';
export const MANIFEST_FILE = 'sweep.json';

export interface ManifestRun {
  id: string;
  combination: number;
  repeat: number;
  seed: number;
  /** Relative to the sweep folder. */
  file: string;
  status?: BackendStatus;
  /** Wall time of the harness run, seconds (for the time-left estimate). */
  seconds?: number;
  finishedAt?: string;
}

export interface SweepManifest {
  schema: typeof MANIFEST_SCHEMA;
  version: 1;
  fingerprint: string;
  createdAt: string;
  updatedAt: string;
  scenario: string;
  backend: string;
  grid: { name: string; kind: string; values: string[] }[];
  repeat: number;
  seed: number;
  sizes: SweepSizes;
  combinations: Combination[];
  /** In execution order. */
  runs: ManifestRun[];
}

export function runFile(id: string): string {
  return join('runs', `${id}.json`);
}

export function newManifest(plan: SweepPlan, now = new Date()): SweepManifest {
  return {
    schema: MANIFEST_SCHEMA,
    version: 1,
    fingerprint: plan.fingerprint,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    scenario: plan.scenario.name,
    backend: plan.factory.name,
    grid: plan.grid.map((a) => ({ name: a.name, kind: a.kind, values: a.values.map((v) => v.text) })),
    repeat: plan.repeat,
    seed: plan.seed,
    sizes: plan.sizes,
    combinations: plan.combinations,
    runs: plan.runs.map((r) => ({ ...r, file: runFile(r.id) })),
  };
}

/** The folder's manifest when it holds this plan, a new one when the folder has none; refuses a different sweep. */
export async function openManifest(
  outDir: string,
  plan: SweepPlan,
): Promise<{ manifest: SweepManifest; existed: boolean }> {
  const path = join(outDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { manifest: newManifest(plan), existed: false };
    throw error;
  }
  let stored: Partial<SweepManifest>;
  try {
    stored = JSON.parse(text) as Partial<SweepManifest>;
  } catch {
    throw new SweepError(
      'SWEEP_STATE',
      `${path} is not JSON; it was left untouched — move it away to start the sweep again`,
    );
  }
  if (stored.schema !== MANIFEST_SCHEMA)
    throw new SweepError('SWEEP_MISMATCH', `${path} is not a cachebench sweep manifest; choose another --out`);
  if (stored.fingerprint !== plan.fingerprint) {
    throw new SweepError(
      'SWEEP_MISMATCH',
      `${outDir} holds a different sweep (scenario, grid, backend, sizes, repeat or seed differ); choose another --out, or delete the folder to start over`,
    );
  }
  return { manifest: stored as SweepManifest, existed: true };
}

export async function saveManifest(outDir: string, manifest: SweepManifest): Promise<void> {
  // One level at a time, never mkdir -p: Node's recursive mkdir spins forever under /proc.
  await prepareDirectory(outDir);
  manifest.updatedAt = new Date().toISOString();
  await writeAtomically(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Write to a temporary name and rename: readers (and a resumed sweep) never see half a file. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
