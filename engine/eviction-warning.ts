import { DEFAULT_SETTINGS, type Settings } from './settings.js';

/** The `code` of the process warning emitted at the first eviction under the default size limit. */
export const EVICTION_WARNING_CODE = 'CACHEBENCH_DEFAULT_SIZE_LIMIT';

let warned = false;

/**
 * Called when a cull removes live rows by policy. Once per process, when the
 * cache's sizeLimit is the 1 GiB default, emits a process warning (visible on
 * stderr unless `--no-warnings`; `process.on('warning')` sees it with
 * EVICTION_WARNING_CODE): users of diskcache are surprised by entries
 * silently culled at a limit they never chose. A limit given explicitly,
 * even 1 GiB, is a choice — but it cannot be told apart once stored, so it
 * warns too.
 */
export function warnFirstEviction(settings: Pick<Settings, 'sizeLimit' | 'evictionPolicy'>, directory: string): void {
  if (warned || settings.sizeLimit !== DEFAULT_SETTINGS.sizeLimit) return;
  warned = true;
  process.emitWarning(
    `the cache in ${directory} reached its default sizeLimit of 1 GiB and began evicting entries (${settings.evictionPolicy}); ` +
      "pass sizeLimit to choose the limit, or evictionPolicy: 'none' to keep every entry; stats().evictions counts the rows evicted",
    { type: 'CacheEvictionWarning', code: EVICTION_WARNING_CODE },
  );
}
