import { createHash, randomInt } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type {
  Backend,
  BackendDescription,
  BackendFactory,
  BackendOptions,
  BackendSpec,
  Capability,
  Value,
} from './backend.js';
import { decodeEntryValue, encodeEntry, entryExpiry } from './filebased/entry-file.js';
import { seededRandom } from '../shared/rng.js';
import { sample } from './filebased/sample.js';
import { MissingKeyError } from './filebased/missing-key-error.js';
import { integerOption, rejectUnknownOptions, secondsOption } from './options.js';
import { describeBackend } from './describe-backend.js';

/**
 * Django's FileBasedCache design, re-created in TypeScript — naive ON PURPOSE.
 *
 * The talk compares designs, and this one's pathology is the point, so its
 * warts are kept rather than fixed:
 * - one file per key, named md5(make_key(key)) + `.djcache`, all in ONE
 *   directory; Django's make_key with its defaults (KEY_PREFIX '', VERSION 1)
 *   is `:1:` + key;
 * - the expiry lives in the file header, so a get must open and read the file;
 * - writes go to a temp file that is renamed over the entry;
 * - EVERY set first lists the whole directory to count entries (linear in the
 *   number of files), and when the count reaches `max_entries` (default 300)
 *   it deletes a random 1/`cull_frequency` (default 3) of the files —
 *   hot or cold, expired or not; `cull_frequency=0` deletes everything;
 * - set without an expiry uses Django's default timeout of 300 s; an expiry
 *   of 0 or less writes an entry that is already expired (Django stores
 *   0 as -1 s), which the next get deletes;
 * - add and incr are a read then a write, not atomic across processes (as in
 *   Django's BaseCache); incr of a missing key throws MissingKeyError (Django
 *   raises ValueError), and incr resets the expiry to the default timeout.
 * Only the key-to-file mapping and the culling rule are Django's; the file
 * layout is our own (see filebased/entry-file.ts).
 */

const SUFFIX = '.djcache';
const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['expire', 'add', 'incr']);

interface FileBasedSettings {
  directory: string;
  maxEntries: number;
  cullFrequency: number;
  /** Default expiry in seconds for a set without one; null = never. */
  timeout: number | null;
  /** Seed for the culling RNG (`filebased:seed=N`); null = the worker's seed from the run, or a random one outside a run. */
  seed: number | null;
}

/** Work counters, so tests can show the linear directory scan without timing anything. */
export interface FileBasedStats {
  /** Directory listings (one per set, plus clear). */
  listings: number;
  /** Directory entries returned by those listings, summed. */
  entriesExamined: number;
  /** Files deleted by culling. */
  culled: number;
}

export class FileBasedBackend implements Backend {
  readonly name = 'filebased';
  readonly callStyle = 'sync';
  readonly capabilities = CAPABILITIES;
  readonly stats: FileBasedStats = { listings: 0, entriesExamined: 0, culled: 0 };
  private readonly random: () => number;
  /** The seed culling draws from: the explicit option, else the run's seed for this worker, else a random one. */
  private readonly cullSeed: number;
  private tempCounter = 0;

  constructor(
    private readonly settings: FileBasedSettings,
    readonly label = 'filebased',
    private readonly now: () => number = () => Date.now() / 1000,
    runSeed?: number,
  ) {
    this.cullSeed = settings.seed ?? runSeed ?? randomInt(2 ** 31);
    this.random = seededRandom(this.cullSeed);
  }

  open(): void {
    this.createDir();
  }
  close(): void {}

  get(key: string): Value | undefined {
    const file = this.readLive(this.keyToFile(key));
    return file ? decodeEntryValue(file) : undefined;
  }

  set(key: string, value: Value, expireSeconds?: number): boolean {
    this.checkExpire(expireSeconds);
    this.createDir(); // Django: "Cache dir can be deleted at any time."
    const target = this.keyToFile(key);
    this.cull(); // make some room if necessary — lists the whole directory, every time
    const expiresAt = this.expiresAt(expireSeconds);
    const temp = join(this.settings.directory, `tmp${process.pid}-${this.tempCounter++}`);
    let renamed = false;
    try {
      const fd = openSync(temp, 'wx', 0o600);
      try {
        writeSync(fd, encodeEntry(expiresAt, value));
      } finally {
        closeSync(fd);
      }
      renameSync(temp, target);
      renamed = true;
    } finally {
      if (!renamed) rmSync(temp, { force: true });
    }
    return true;
  }

  delete(key: string): boolean {
    return this.deleteFile(this.keyToFile(key));
  }

  clear(): void {
    for (const name of this.listCacheFiles()) this.deleteFile(join(this.settings.directory, name));
  }

  add(key: string, value: Value, expireSeconds?: number): boolean {
    this.checkExpire(expireSeconds);
    if (this.readLive(this.keyToFile(key))) return false;
    return this.set(key, value, expireSeconds);
  }

  incr(key: string, delta: number): number {
    const current = this.get(key);
    if (current === undefined) throw new MissingKeyError(this.name, key);
    const next = Number(current) + delta;
    if (!Number.isFinite(next)) throw new TypeError(`filebased: value of key "${key}" is not a number`);
    this.set(key, String(next));
    return next;
  }

  describe(): BackendDescription {
    const s = this.settings;
    return describeBackend(this, {
      // write + rename with no fsync: the data sits in the page cache until the OS flushes it.
      durability: 'os-buffered',
      version: `node ${process.versions.node} fs + zlib ${process.versions.zlib}`,
      // The seed in use varies with --seed and the worker when no seed option was given, so it is
      // this instance's, not the configuration's: repeated runs with other seeds still merge.
      instance: { directory: s.directory, cull_seed: this.cullSeed },
      settings: {
        max_entries: s.maxEntries,
        cull_frequency: s.cullFrequency,
        timeout: s.timeout,
        seed: s.seed,
        design: 'django FileBasedCache (naive on purpose)',
      },
    });
  }

  /**
   * Reads an entry file; an expired one is deleted and treated as a miss
   * (Django's `_is_expired`). So is an empty one, as in Django 3.2, whose
   * `pickle.load` of the expiry meets EOFError there: a power cut can leave
   * an entry renamed into place before its data reached the disk. A file cut
   * inside the header still throws, as Django's truncated pickle does.
   */
  private readLive(path: string): Buffer | undefined {
    let file: Buffer;
    try {
      file = readFileSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (file.length === 0 || entryExpiry(file) < this.now()) {
      this.deleteFile(path);
      return undefined;
    }
    return file;
  }

  /** Any finite number of seconds, as Django takes; ≤ 0 stores an entry that is already expired. */
  private checkExpire(expireSeconds: number | undefined): void {
    if (expireSeconds !== undefined && !Number.isFinite(expireSeconds)) {
      throw new RangeError(
        `${this.name}: expire must be a finite number of seconds (0 or less stores an expired entry), got ${expireSeconds}`,
      );
    }
  }

  private expiresAt(expireSeconds: number | undefined): number | null {
    const seconds = expireSeconds ?? this.settings.timeout;
    if (seconds === null) return null;
    // Django's get_backend_timeout turns 0 into -1 so clock precision cannot make it live for an instant.
    return this.now() + (seconds === 0 ? -1 : seconds);
  }

  private keyToFile(key: string): string {
    return join(this.settings.directory, fileNameOf(key));
  }

  private cull(): void {
    const files = this.listCacheFiles();
    if (files.length < this.settings.maxEntries) return;
    if (this.settings.cullFrequency === 0) {
      this.clear();
      return;
    }
    // Sorted so the same seed picks the same files whatever order readdir returns.
    const victims = sample(files.sort(), Math.trunc(files.length / this.settings.cullFrequency), this.random);
    for (const name of victims) if (this.deleteFile(join(this.settings.directory, name))) this.stats.culled++;
  }

  private listCacheFiles(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.settings.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    this.stats.listings++;
    this.stats.entriesExamined += names.length;
    return names.filter((name) => name.endsWith(SUFFIX));
  }

  private deleteFile(path: string): boolean {
    try {
      unlinkSync(path);
      return true;
    } catch (error) {
      // Another process (or a cull) may have removed it first.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  private createDir(): void {
    if (!existsSync(this.settings.directory)) mkdirSync(this.settings.directory, { recursive: true, mode: 0o700 });
  }
}

/**
 * The entry file's name: md5 of Django's make_key output with the default
 * KEY_PREFIX ('') and VERSION (1), i.e. of `:1:key` in UTF-8, plus `.djcache`.
 */
export function fileNameOf(key: string): string {
  return createHash('md5').update(`:1:${key}`, 'utf8').digest('hex') + SUFFIX;
}

const OPTIONS = {
  max_entries: { description: 'entries allowed before a set culls (Django MAX_ENTRIES)', default: '300' },
  cull_frequency: {
    description: 'cull deletes 1/cull_frequency of the files; 0 deletes all (Django CULL_FREQUENCY)',
    default: '3',
  },
  timeout: {
    description: 'default expiry in seconds for a set without one, or "none" (Django TIMEOUT)',
    default: '300',
  },
  seed: {
    description: 'seed of the culling RNG; the same in every worker',
    default: "derived from the run's --seed and the worker index",
  },
};

function parseFileBasedOptions(options: BackendOptions): Omit<FileBasedSettings, 'directory'> {
  const b = 'filebased';
  rejectUnknownOptions(b, options, OPTIONS);
  return {
    maxEntries: integerOption(b, 'max_entries', options.max_entries, 300),
    cullFrequency: integerOption(b, 'cull_frequency', options.cull_frequency, 3),
    timeout: secondsOption(b, 'timeout', options.timeout, 300),
    seed: options.seed === undefined ? null : integerOption(b, 'seed', options.seed, 0),
  };
}

export const filebasedFactory: BackendFactory = {
  name: 'filebased',
  summary:
    "Django's FileBasedCache design: one file per key in one directory, a full directory scan on every set, random culling. Naive on purpose.",
  options: OPTIONS,
  validate(options) {
    parseFileBasedOptions(options);
  },
  async provision(options, context) {
    const settings: FileBasedSettings = {
      directory: join(context.directory, 'filebased'),
      ...parseFileBasedOptions(options),
    };
    mkdirSync(settings.directory, { recursive: true, mode: 0o700 });
    return {
      spec: { ...settings },
      storagePath: settings.directory,
      teardown: async () => rmSync(settings.directory, { recursive: true, force: true }),
    };
  },
  create(spec: BackendSpec, label, context) {
    // The spec is the FileBasedSettings this factory's provision produced.
    return new FileBasedBackend(spec as unknown as FileBasedSettings, label, undefined, context?.seed);
  },
};
