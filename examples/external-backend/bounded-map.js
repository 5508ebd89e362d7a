// @ts-check
/**
 * An example module backend, written as a user outside cachebench would: an
 * in-process Map that holds at most `max_entries` keys and drops the oldest
 * when a new key would exceed that (a FIFO cache). Run it with
 *
 *   cachebench run -b ./bounded-map.js:max_entries=500 ./small-talk.js
 *
 * Each worker process gets its own Map (nothing is shared), so the figures are
 * the harness's floor plus the cost of the bound.
 */
import { integerOption, rejectUnknownOptions } from 'cachebench/backends';

/** @typedef {import('cachebench/backends').Backend} Backend */
/** @typedef {import('cachebench/backends').Value} Value */

const OPTIONS = {
  max_entries: { description: 'most keys held; the oldest is dropped beyond it', default: '1000' },
};

/** @implements {Backend} */
class BoundedMap {
  /** @type {'sync'} */
  callStyle = 'sync';
  /** @type {ReadonlySet<import('cachebench/backends').Capability>} */
  capabilities = new Set();
  /** @type {Map<string, Value>} */
  map = new Map();

  /** @param {string} label @param {number} maxEntries */
  constructor(label, maxEntries) {
    this.name = 'bounded-map';
    this.label = label;
    this.maxEntries = maxEntries;
  }

  open() {}
  close() {
    this.map.clear();
  }
  /** @param {string} key */
  get(key) {
    return this.map.get(key);
  }
  /** @param {string} key @param {Value} value @param {number} [expireSeconds] */
  set(key, value, expireSeconds) {
    if (expireSeconds !== undefined) throw new Error('bounded-map: no expire capability');
    if (!this.map.has(key) && this.map.size >= this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    this.map.set(key, value);
    return true;
  }
  /** @param {string} key */
  delete(key) {
    return this.map.delete(key);
  }
  clear() {
    this.map.clear();
  }
  /** @returns {import('cachebench/backends').BackendDescription} */
  describe() {
    return {
      name: this.name,
      label: this.label,
      callStyle: this.callStyle,
      durability: 'never',
      capabilities: [...this.capabilities],
      settings: { max_entries: this.maxEntries },
    };
  }
}

/** @type {import('cachebench/backends').BackendFactory} */
const factory = {
  name: 'bounded-map',
  summary: 'an in-process Map of at most max_entries keys (FIFO); an example module backend',
  options: OPTIONS,
  validate(options) {
    rejectUnknownOptions('bounded-map', options, OPTIONS);
    integerOption('bounded-map', 'max_entries', options.max_entries, 1000);
  },
  async provision(options) {
    this.validate?.(options);
    const maxEntries = integerOption('bounded-map', 'max_entries', options.max_entries, 1000);
    return { spec: { maxEntries }, teardown: async () => {} };
  },
  create(spec, label) {
    return new BoundedMap(label ?? 'bounded-map', Number(spec.maxEntries));
  },
};

export default factory;
