import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BackendOptions, OptionDoc } from '../backend.js';
import { defineForeignBackend, type ForeignBackendFactory } from '../foreign/foreign-factory.js';
import { choiceOption, rejectUnknownOptions, sizeOption } from '../options.js';
import { BackendSpecError } from '../spec.js';
import { provisionPython } from './provision-python.js';
import { pythonCommand } from './python-worker.js';

const ACCESS = ['hash', 'btree'] as const;
const TRANSACTIONS = ['no', 'write-nosync', 'sync'] as const;

const OPTIONS: Record<string, OptionDoc> = {
  access: { description: 'access method of the one database: hash (DB_HASH) or btree (DB_BTREE)', default: 'hash' },
  transactions: {
    description:
      'no: locking and a shared pool only (no log; durability unknown); write-nosync: DB_INIT_TXN|DB_INIT_LOG, each op auto-committed, log written but not fsynced (os-buffered); sync: the same, log fsynced per commit (fsync-per-write)',
    default: 'no',
  },
  cache_size: { description: "the environment's shared memory pool (set_cachesize), e.g. 16MiB", default: '16MiB' },
};

interface BerkeleyOptions {
  access: (typeof ACCESS)[number];
  transactions: (typeof TRANSACTIONS)[number];
  cacheBytes: number;
}

function parse(options: BackendOptions): BerkeleyOptions {
  rejectUnknownOptions('py-berkeleydb', options, OPTIONS);
  const cacheBytes = sizeOption('py-berkeleydb', 'cache_size', options.cache_size, 16 * 1024 * 1024);
  // set_cachesize takes bytes below 4 GiB in one region; Berkeley DB raises a smaller pool to its 20 KiB minimum.
  if (cacheBytes < 20 * 1024 || cacheBytes >= 2 ** 32) {
    throw new BackendSpecError(
      `backend py-berkeleydb: option cache_size="${options.cache_size}" must be between 20KiB and 4GiB`,
    );
  }
  return {
    access: choiceOption('py-berkeleydb', 'access', options.access, ACCESS, 'hash'),
    transactions: choiceOption('py-berkeleydb', 'transactions', options.transactions, TRANSACTIONS, 'no'),
    cacheBytes,
  };
}

/**
 * Berkeley DB through Debian's python3-bsddb3, run by a Python worker: one
 * hash or B-tree database in an environment with locking that every worker
 * process opens, so they share one store. Berkeley DB has no maintained Node
 * binding, hence the foreign worker.
 */
export const pyBerkeleydbFactory: ForeignBackendFactory = defineForeignBackend({
  name: 'py-berkeleydb',
  summary:
    'Berkeley DB (Debian python3-bsddb3): a hash or B-tree database in a shared locking environment, timed inside a Python worker.',
  options: OPTIONS,
  validate: (options) => void parse(options),
  provision: async (options, context) => {
    const parsed = parse(options);
    const provisioned = await provisionPython({
      backend: 'py-berkeleydb',
      module: 'bsddb3',
      aptPackage: 'python3-bsddb3',
      context,
      spec: { store: 'berkeleydb', ...parsed },
    });
    const { spec } = provisioned;
    // One process creates the environment before the workers join it, as Berkeley DB asks.
    const script = join(String(spec.script), '..', 'store_berkeleydb.py');
    execFileSync(String(spec.python), ['-B', script, JSON.stringify(spec)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 30_000,
    });
    return provisioned;
  },
  worker: { command: pythonCommand, capabilities: ['incr', 'pop', 'add'] },
});
