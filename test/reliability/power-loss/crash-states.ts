import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Rng } from '../../../shared/rng.js';
import type { IoEvent } from './io-log-parse.js';

/**
 * The file states a power cut after the first `point` events of an I/O log
 * may leave, under this model of the page cache:
 * - a file's data written before its last completed fsync/fdatasync is on
 *   disk; each later write or truncate may or may not be (all, none, a prefix
 *   or a random subset of them, applied in order);
 * - a create, rename or unlink is on disk once its directory was fsynced
 *   after it; of the others a prefix (in call order) is, as a journaling file
 *   system commits metadata in order;
 * - SQLite's -shm (written through mmap, which the log cannot see, and
 *   rebuilt by the first connection after a crash) is left out;
 * - a write is never torn: each one lands whole or not at all (SQLite
 *   assumes sector-atomic writes; torn sectors are beyond this model).
 */
export type LaterWrites = 'none' | 'all' | 'prefix' | 'subset';

interface NamespaceOp {
  index: number;
  kind: 'link' | 'unlink';
  path: string;
  inode: number;
  /** Directories whose fsync makes this op durable. */
  dirs: string[];
}

interface DataOp {
  index: number;
  inode: number;
  event: Extract<IoEvent, { kind: 'write' | 'truncate' }>;
}

export interface CrashState {
  point: number;
  later: LaterWrites;
  files: Map<string, Buffer>;
}

export class CrashStates {
  private readonly namespace: NamespaceOp[] = [];
  private readonly data: DataOp[] = [];
  /** For each inode, the event indices of its completed syncs. */
  private readonly syncs = new Map<number, number[]>();
  private readonly dirSyncs = new Map<string, number[]>();

  constructor(readonly events: readonly IoEvent[]) {
    const live = new Map<string, number>();
    let inodes = 0;
    const inodeAt = (path: string): number => {
      let inode = live.get(path);
      if (inode === undefined) live.set(path, (inode = inodes++));
      return inode;
    };
    events.forEach((event, index) => {
      switch (event.kind) {
        case 'create': {
          const inode = inodes++;
          live.set(event.path, inode);
          this.namespace.push({ index, kind: 'link', path: event.path, inode, dirs: [dirname(event.path)] });
          break;
        }
        case 'rename': {
          const inode = inodeAt(event.from);
          live.delete(event.from);
          live.set(event.to, inode);
          const dirs = [dirname(event.from), dirname(event.to)];
          this.namespace.push(
            { index, kind: 'link', path: event.to, inode, dirs },
            { index, kind: 'unlink', path: event.from, inode, dirs },
          );
          break;
        }
        case 'unlink': {
          const inode = live.get(event.path);
          live.delete(event.path);
          if (inode !== undefined)
            this.namespace.push({ index, kind: 'unlink', path: event.path, inode, dirs: [dirname(event.path)] });
          break;
        }
        case 'write':
        case 'truncate':
          this.data.push({ index, inode: inodeAt(event.path), event });
          break;
        case 'sync': {
          const inode = inodeAt(event.path);
          this.syncs.set(inode, [...(this.syncs.get(inode) ?? []), index]);
          break;
        }
        case 'dirsync':
          this.dirSyncs.set(event.path, [...(this.dirSyncs.get(event.path) ?? []), index]);
          break;
        case 'mark':
          break;
      }
    });
  }

  /** Index of the last completed sync before `point` of a file in one of `dirs`, or -1. */
  lastSyncBefore(point: number, dirs: ReadonlySet<string>): number {
    let last = -1;
    this.events.forEach((event, index) => {
      if (index < point && event.kind === 'sync' && dirs.has(dirname(event.path))) last = index;
    });
    return last;
  }

  /** One state a power cut after `point` events may leave; `rng` picks among the unsynced writes. */
  state(point: number, later: LaterWrites, rng: Rng): CrashState {
    const names = this.names(point, later, rng);
    const files = new Map<string, Buffer>();
    for (const [path, inode] of names) {
      if (!path.endsWith('-shm')) files.set(path, this.content(inode, point, later, rng));
    }
    return { point, later, files };
  }

  private names(point: number, later: LaterWrites, rng: Rng): Map<string, number> {
    const before = this.namespace.filter((op) => op.index < point);
    const durable = (op: NamespaceOp): boolean =>
      op.dirs.every((dir) => (this.dirSyncs.get(dir) ?? []).some((i) => i > op.index && i < point));
    const volatile = before.filter((op) => !durable(op));
    const keep = choose(volatile.length, later, rng, true);
    const kept = new Set(volatile.filter((_, i) => keep(i)));
    const names = new Map<string, number>();
    for (const op of before) {
      if (!durable(op) && !kept.has(op)) continue;
      if (op.kind === 'link') names.set(op.path, op.inode);
      else if (names.get(op.path) === op.inode) names.delete(op.path);
    }
    return names;
  }

  private content(inode: number, point: number, later: LaterWrites, rng: Rng): Buffer {
    const ops = this.data.filter((op) => op.inode === inode && op.index < point);
    const synced = Math.max(-1, ...(this.syncs.get(inode) ?? []).filter((i) => i < point));
    const unsynced = ops.filter((op) => op.index > synced);
    const keep = choose(unsynced.length, later, rng, false);
    const kept = new Set(unsynced.filter((_, i) => keep(i)));
    let file = Buffer.alloc(0);
    for (const op of ops) {
      if (op.index > synced && !kept.has(op)) continue;
      const event = op.event;
      if (event.kind === 'truncate') {
        file =
          event.length <= file.length
            ? file.subarray(0, event.length)
            : Buffer.concat([file, Buffer.alloc(event.length - file.length)]);
      } else {
        const end = event.offset + event.data.length;
        if (end > file.length) file = Buffer.concat([file, Buffer.alloc(end - file.length)]);
        else file = Buffer.from(file);
        event.data.copy(file, event.offset);
      }
    }
    return file;
  }
}

/** Which of `count` unsynced operations survive: none, all, a random prefix, or (data only) a random subset. */
function choose(count: number, later: LaterWrites, rng: Rng, ordered: boolean): (i: number) => boolean {
  switch (later) {
    case 'none':
      return () => false;
    case 'all':
      return () => true;
    case 'prefix': {
      const cut = rng.nextInt(count + 1);
      return (i) => i < cut;
    }
    case 'subset': {
      if (ordered) {
        const cut = rng.nextInt(count + 1);
        return (i) => i < cut;
      }
      const picks = Array.from({ length: count }, () => rng.nextInt(2) === 1);
      return (i) => picks[i]!;
    }
  }
}

/** Writes a state's files under `directory`. */
export function materialize(state: CrashState, directory: string): void {
  mkdirSync(directory, { recursive: true });
  for (const [path, content] of state.files) {
    const full = join(directory, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}
