import { readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Core } from './core.js';
import { isCorruption, salvage } from './salvage.js';

export interface CheckOptions {
  /** Repair what is found: drop rows whose file is missing or the wrong size, remove orphans and empty folders, fix totals. */
  fix?: boolean;
  /**
   * Files and folders younger than this many seconds are left alone: a
   * concurrent set writes its spill file before it takes the lock, so a fresh
   * file without a row may be about to get one. @default 10
   */
  orphanAge?: number;
}

interface Walked {
  files: Map<string, number>; // relative path → mtime (seconds)
  foreign: string[]; // inside a spill folder but not named like a spill file
  folders: { path: string; mtime: number; empty: boolean }[];
}

/** fn's result, or undefined when it failed because its path is gone (or another listed code). */
function ifPresent<T>(fn: () => T, codes = ['ENOENT']): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (codes.includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

/** Removes an orphan spill file, or an empty directory standing at a spill file's name. */
function removeSpill(full: string): void {
  try {
    rmSync(full, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code !== 'EISDIR' && code !== 'ERR_FS_EISDIR') throw error;
    ifPresent(() => rmdirSync(full), ['ENOENT', 'ENOTEMPTY']);
  }
}

/** What newFilename() produces: two levels of two-hex-digit folders, 28 hex digits and `.val`. */
const SPILL_FOLDER = /^[0-9a-f]{2}$/;
const SPILL_FILE = /^[0-9a-f]{28}\.val$/;

/**
 * Walks only the spill-file tree (`xx/yy/<28 hex>.val`). The cache directory may
 * hold other things — a nested Deque's cache.db, a user's assets folder — and
 * those are never visited, so never removed. Inside the spill folders a file of
 * another name is listed in `foreign`: reported, never removed.
 */
function walk(root: string): Walked {
  const files = new Map<string, number>();
  const foreign: string[] = [];
  const folders: Walked['folders'] = [];
  // Other processes remove replaced spill files and emptied folders at any moment
  // (after their commit, outside the lock check holds): what vanished is skipped.
  const visit = (dir: string, depth: number): boolean => {
    let empty = true;
    for (const entry of ifPresent(() => readdirSync(dir, { withFileTypes: true })) ?? []) {
      const full = join(dir, entry.name);
      const rel = relative(root, full).split(sep).join('/');
      if (depth < 2) {
        // Top level and first level: only the two-hex-digit spill folders are ours.
        if (entry.isDirectory() && SPILL_FOLDER.test(entry.name)) {
          if (!visit(full, depth + 1)) empty = false;
        } else if (depth > 0) {
          empty = false;
          foreign.push(rel);
        }
        continue;
      }
      empty = false;
      // A directory under a spill name (damage) is a candidate too; removal takes it only when empty.
      if (!SPILL_FILE.test(entry.name) || !(entry.isFile() || entry.isDirectory())) {
        foreign.push(rel);
        continue;
      }
      const mtime = ifPresent(() => statSync(full).mtimeMs / 1000);
      if (mtime !== undefined) files.set(rel, mtime);
    }
    const mtime = ifPresent(() => statSync(dir).mtimeMs / 1000);
    if (dir !== root && mtime !== undefined) folders.push({ path: dir, mtime, empty });
    return empty;
  };
  visit(root, 0);
  return { files, foreign, folders };
}

/**
 * diskcache's check: SQLite integrity, rows whose spill file is missing or the
 * wrong size, files no row points at, empty folders, wrong count/size totals.
 * Runs under the write lock so the picture is consistent.
 */
export function checkFiles(core: Core, options: CheckOptions): string[] {
  const fix = options.fix === true;
  const orphanAge = options.orphanAge ?? 10;
  const warnings: string[] = [];
  const wallNow = Date.now() / 1000;
  const problems = integrityProblems(core);
  for (const problem of problems) warnings.push(`SQLite integrity: ${problem}`);
  if (fix && problems.length > 0) warnings.push(...repair(core));
  try {
    checkRowsAndFiles(core, fix, orphanAge, wallNow, warnings);
  } catch (error) {
    if (!isCorruption(core, error)) throw error;
    warnings.push(
      `the Cache table cannot be read through (${(core.mapError(error) as Error).message.split(';')[0]}); rows, spill files and totals were not checked` +
        (fix ? '' : ' — run check({ fix: true }) to salvage the readable rows'),
    );
  }
  return warnings;
}

/** Rows whose spill file is missing or the wrong size, orphan files, empty folders, totals; under the write lock. */
function checkRowsAndFiles(core: Core, fix: boolean, orphanAge: number, wallNow: number, warnings: string[]): void {
  core.write(() => {
    const rows = core.prepare('SELECT rowid, filename, size FROM Cache WHERE filename IS NOT NULL').raw().all() as [
      number,
      string,
      number,
    ][];
    const referenced = new Set<string>();
    for (const [rowid, filename, size] of rows) {
      referenced.add(filename);
      let actual: number | undefined;
      try {
        actual = statSync(core.disk.path(filename)).size;
      } catch {
        actual = undefined;
      }
      if (actual === undefined) {
        warnings.push(`row ${rowid}: spill file ${filename} is missing${fix ? ' (row removed)' : ''}`);
        if (fix) core.s.deleteRow.run(rowid);
      } else if (actual !== size) {
        warnings.push(
          `row ${rowid}: spill file ${filename} has ${actual} bytes, row says ${size}${fix ? ' (row and file removed)' : ''}`,
        );
        if (fix) {
          core.s.deleteRow.run(rowid);
          core.dropped.push(filename);
        }
      }
    }

    const { files, foreign, folders } = walk(core.directory);
    for (const file of foreign) warnings.push(`${file} is not a cachebench spill file (left alone)`);
    for (const [file, mtime] of files) {
      if (referenced.has(file) || wallNow - mtime < orphanAge) continue;
      warnings.push(`file ${file} belongs to no row${fix ? ' (removed)' : ''}`);
      if (fix) removeSpill(join(core.directory, file));
    }
    // Deepest first (walk pushes children before parents), so parents emptied by the fix go too.
    const removed = new Set<string>();
    for (const folder of folders) {
      const nowEmpty =
        folder.empty ||
        (fix &&
          (ifPresent(() => readdirSync(folder.path)) ?? []).every((name) => removed.has(join(folder.path, name))));
      if (!nowEmpty || wallNow - folder.mtime < orphanAge) continue;
      warnings.push(`folder ${relative(core.directory, folder.path)} is empty${fix ? ' (removed)' : ''}`);
      if (fix) {
        // Gone already, or just given a file by another process's set: either way not ours to remove.
        ifPresent(() => rmdirSync(folder.path), ['ENOENT', 'ENOTEMPTY']);
        removed.add(folder.path);
      }
    }

    const count = core.prepare('SELECT COUNT(*) FROM Cache').pluck().get() as number;
    const size = core.prepare('SELECT COALESCE(SUM(size), 0) FROM Cache').pluck().get() as number;
    for (const [name, actual] of [
      ['count', count],
      ['size', size],
    ] as const) {
      const recorded = core.s.readSetting.get(name) as number;
      if (recorded === actual) continue;
      warnings.push(`total ${name} is ${recorded}, rows add up to ${actual}${fix ? ' (fixed)' : ''}`);
      if (fix) core.s.writeSetting.run(name, actual);
    }
  });
}

/** What PRAGMA integrity_check reports; damage that stops it from running at all is reported, not thrown. */
function integrityProblems(core: Core): string[] {
  try {
    const rows = core.db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    return rows.map((row) => row.integrity_check).filter((text) => text !== 'ok');
  } catch (error) {
    if (!isCorruption(core, error)) throw core.mapError(error);
    return [`the check itself failed: ${(error as Error).message} (pages it needs are damaged)`];
  }
}

/**
 * As diskcache's check(fix=True): rebuild the indexes, then the whole file
 * (VACUUM, outside any transaction), and say whether SQLite is satisfied now.
 * Damage to the table pages themselves outlives that (VACUUM cannot read
 * them): then the readable rows are salvaged into a rebuilt file (salvage.ts).
 */
function repair(core: Core): string[] {
  const warnings: string[] = [];
  try {
    // Each takes the write lock on its own (outside a transaction): wait for it as a write does.
    core.lockWait(() => core.db.exec('REINDEX'));
    core.lockWait(() => core.db.exec('VACUUM'));
  } catch (error) {
    if (!isCorruption(core, error))
      return [`SQLite repair (REINDEX, VACUUM) failed: ${(core.mapError(error) as Error).message}`];
  }
  if (integrityProblems(core).length > 0) {
    try {
      warnings.push(...salvage(core));
    } catch (error) {
      return [...warnings, `salvaging the readable rows failed: ${(core.mapError(error) as Error).message}`];
    }
  }
  const left = integrityProblems(core);
  if (left.length === 0)
    return [
      ...warnings,
      `SQLite integrity repaired (${warnings.length === 0 ? 'REINDEX, VACUUM' : 'salvage'}): ok now`,
    ];
  return [...warnings, ...left.map((problem) => `SQLite integrity still failing after repair: ${problem}`)];
}
