import { readFileSync } from 'node:fs';

/** One record of io-log.c's log, in call order. Paths are relative to the watched directory. */
export type IoEvent =
  | { kind: 'write'; path: string; offset: number; data: Buffer }
  | { kind: 'truncate'; path: string; length: number }
  | { kind: 'sync'; path: string }
  | { kind: 'dirsync'; path: string }
  | { kind: 'create'; path: string }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'unlink'; path: string }
  | { kind: 'mark'; text: string };

/** Reads the shim's log; `root` is the watched directory, stripped from every path. */
export function parseIoLog(file: string, root: string): IoEvent[] {
  const log = readFileSync(file);
  const events: IoEvent[] = [];
  const rel = (path: string): string =>
    path === root ? '.' : path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
  let at = 0;
  while (at < log.length) {
    const end = log.indexOf(10, at);
    if (end < 0) throw new Error(`io log ${file}: cut-short record at byte ${at}`);
    const [tag, a, b, c] = log.subarray(at, end).toString('utf8').split(' ');
    at = end + 1;
    switch (tag) {
      case 'W': {
        const length = Number(c);
        events.push({
          kind: 'write',
          path: rel(a!),
          offset: Number(b),
          data: Buffer.from(log.subarray(at, at + length)),
        });
        at += length;
        break;
      }
      case 'M': {
        const length = Number(a);
        events.push({ kind: 'mark', text: log.subarray(at, at + length).toString('utf8') });
        at += length;
        break;
      }
      case 'T':
        events.push({ kind: 'truncate', path: rel(a!), length: Number(b) });
        break;
      case 'S':
        events.push({ kind: 'sync', path: rel(a!) });
        break;
      case 'D':
        events.push({ kind: 'dirsync', path: rel(a!) });
        break;
      case 'C':
        events.push({ kind: 'create', path: rel(a!) });
        break;
      case 'R':
        events.push({ kind: 'rename', from: rel(a!), to: rel(b!) });
        break;
      case 'U':
        events.push({ kind: 'unlink', path: rel(a!) });
        break;
      default:
        throw new Error(`io log ${file}: unknown record ${tag} at byte ${at}`);
    }
  }
  return events;
}
