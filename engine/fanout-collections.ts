import { join } from 'node:path';
import { Cache } from './cache.js';
import { Deque } from './deque.js';
import { CacheStateError, InvalidOptionError } from './errors.js';
import { Index } from './index-map.js';
import type { CacheOptions } from './options.js';

/** What a FanoutCache hands on to its sub-collections: the serialiser, the clock and the file modes. */
export type CollectionOptions = Pick<CacheOptions, 'disk' | 'now' | 'fileMode' | 'dirMode'>;

type Kind = 'cache' | 'deque' | 'index';

/**
 * FanoutCache's named sub-collections, as diskcache's `FanoutCache.cache(name)`,
 * `.deque(name)` and `.index(name)`: each is a Cache of its own in
 * `cache/<name>`, `deque/<name>` or `index/<name>` under the fanout directory
 * (a `/` in the name makes subfolders), opened on first use and kept until
 * the FanoutCache closes. Deques and indexes never evict (policy `none`):
 * diskcache 5.4 opens them with its default policy, so they silently lose
 * items past 1 GiB.
 */
export class FanoutCollections {
  private readonly open = {
    cache: new Map<string, Cache>(),
    deque: new Map<string, Deque>(),
    index: new Map<string, Index>(),
  };
  private closed = false;

  constructor(
    private readonly directory: string,
    private readonly options: CollectionOptions,
  ) {}

  cache(name: string): Cache {
    return this.named('cache', name, (dir) => new Cache(dir, this.options));
  }

  deque(name: string): Deque {
    return this.named('deque', name, (dir) =>
      Deque.fromCache(new Cache(dir, { ...this.options, evictionPolicy: 'none' })),
    );
  }

  index(name: string): Index {
    return this.named('index', name, (dir) =>
      Index.fromCache(new Cache(dir, { ...this.options, evictionPolicy: 'none' })),
    );
  }

  close(): void {
    this.closed = true;
    for (const opened of Object.values(this.open)) {
      for (const collection of opened.values()) collection.close();
      opened.clear();
    }
  }

  private named<K extends Kind>(
    kind: K,
    name: string,
    make: (directory: string) => ReturnType<FanoutCollections[K]>,
  ): ReturnType<FanoutCollections[K]> {
    if (this.closed)
      throw new CacheStateError(`the FanoutCache is closed; open it again to use its ${kind} ${JSON.stringify(name)}`);
    const opened = this.open[kind] as Map<string, ReturnType<FanoutCollections[K]>>;
    let collection = opened.get(name);
    if (collection === undefined) {
      collection = make(join(this.directory, kind, ...nameParts(kind, name)));
      opened.set(name, collection);
    }
    return collection;
  }
}

/** The folders a name stands for; anything that could leave the sub-collection's folder is refused. */
function nameParts(kind: Kind, name: unknown): string[] {
  const parts = typeof name === 'string' ? name.split('/') : [];
  if (parts.length === 0 || parts.some((part) => part === '' || part === '.' || part === '..' || part.includes('\0'))) {
    throw new InvalidOptionError(
      'name',
      `${kind}(name) takes folder names joined by '/', none empty, '.' or '..'; got ${typeof name === 'string' ? JSON.stringify(name) : typeof name}`,
    );
  }
  return parts;
}
