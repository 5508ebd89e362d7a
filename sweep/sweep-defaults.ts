/**
 * Defaults the sweep command's help names. Kept apart from the modules that
 * use them, which load the backends, so `cachebench sweep --help` loads none.
 */

/** `--quick` without a grid: the talk's pragma claims (WAL, synchronous, memory-mapped pages), 12 combinations. */
export const QUICK_GRID: readonly string[] = [
  'journal_mode=wal,delete',
  'synchronous=off,normal,full',
  'mmap_size=0,64MiB',
];

export const DEFAULT_OBJECTIVE = 'get.p99';

/**
 * Runs per side of the confirmation round. 6 + 6 finds a real 30% gain under
 * σ = 0.2 run-to-run noise in ~60% of sweeps, 5 + 5 in ~45% (simulated; test/sweep/recommend.test.ts).
 */
export const DEFAULT_CONFIRM = 6;
