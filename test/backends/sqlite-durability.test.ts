import { describe, expect, it } from 'vitest';
import { sqliteDurability } from '../../backends/sqlite-info.js';

/**
 * The durability label of every journal mode and synchronous level. The rows
 * for wal and delete are what test/reliability/power-loss.test.ts checks
 * against simulated power cuts; truncate and persist follow the same rule
 * (a commit is durable once the change that finishes the journal is synced),
 * read in SQLite 3.53's pager_end_transaction and zeroJournalHdr.
 */
const EXPECTED: Record<string, Record<string, string>> = {
  wal: { off: 'os-buffered', normal: 'fsync-at-checkpoint', full: 'fsync-per-write', extra: 'fsync-per-write' },
  // The commit is the journal's unlink; SQLite fsyncs the directory after it only with EXTRA.
  delete: { off: 'os-buffered', normal: 'os-buffered', full: 'os-buffered', extra: 'fsync-per-write' },
  // The commit truncates the journal, fsynced with FULL and EXTRA.
  truncate: { off: 'os-buffered', normal: 'os-buffered', full: 'fsync-per-write', extra: 'fsync-per-write' },
  // The commit zeroes the journal header, fsynced at every level but OFF.
  persist: { off: 'os-buffered', normal: 'fsync-per-write', full: 'fsync-per-write', extra: 'fsync-per-write' },
  memory: { off: 'unknown', normal: 'unknown', full: 'unknown', extra: 'unknown' },
  off: { off: 'unknown', normal: 'unknown', full: 'unknown', extra: 'unknown' },
};

describe('sqliteDurability', () => {
  for (const [journal, levels] of Object.entries(EXPECTED)) {
    it(`journal_mode=${journal}: ${Object.entries(levels)
      .map(([level, label]) => `${level} → ${label}`)
      .join(', ')}`, () => {
      for (const [level, label] of Object.entries(levels))
        expect(sqliteDurability(journal, level), `${journal} + ${level}`).toBe(label);
    });
  }
});
