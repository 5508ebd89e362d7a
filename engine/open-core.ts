import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkDirectory } from './arguments.js';
import { Core } from './core.js';
import { Disk } from './disk.js';
import { openDatabase } from './open.js';
import { checkOptions, type CacheOptions } from './options.js';

const systemNow = (): number => Date.now() / 1000;

/**
 * What `new Cache(directory, options)` opens: the database with its settings
 * resolved, and the Disk that serialises into the directory (a fresh temp
 * directory when none is given).
 */
export function openCore(directory: string | undefined, options: CacheOptions | undefined): Core {
  const checked = checkOptions(options);
  const dir = resolve(checkDirectory(directory, 'Cache') ?? mkdtempSync(join(tmpdir(), 'cachebench-')));
  const { db, settings } = openDatabase(dir, checked);
  const DiskClass = checked.disk ?? Disk;
  try {
    const disk = new DiskClass(dir, {
      minFileSize: settings.diskMinFileSize,
      fileMode: settings.fileMode,
      dirMode: settings.dirMode,
      compressLevel: settings.diskCompressLevel,
      // A spilled value is as durable as its row: synced before the row commits unless SQLite never syncs either.
      syncFiles: settings.sqliteSynchronous !== 'off',
    });
    return new Core(db, disk, settings, checked.now ?? systemNow, dir);
  } catch (error) {
    db.close(); // a throwing Disk subclass (or statement preparation) must not leave the database open
    throw error;
  }
}
