import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIRM } from '../../sweep/confirm.js';
import { DEFAULT_REPEAT, MAX_RUNS, QUICK_GRID, QUICK_REPEAT, QUICK_SIZES } from '../../sweep/resolve-sweep.js';

const page = readFileSync(new URL('../../docs/sweep.md', import.meta.url), 'utf8');

describe('docs/sweep.md states the coded defaults', () => {
  it('quick grid, sizes and repeats', () => {
    expect(page).toContain(`\`${QUICK_GRID.join(' ')}\``);
    expect(page).toMatch(new RegExp(`\\| \`--repeat\` \\| ${DEFAULT_REPEAT} \\| ${QUICK_REPEAT} \\|`));
    expect(page).toMatch(new RegExp(`\\| processes .* \\| ${QUICK_SIZES.procs} \\|`));
    expect(page).toMatch(new RegExp(`\\| ops per process .* \\| ${QUICK_SIZES.ops.toLocaleString('en-US')} \\|`));
    expect(page).toMatch(new RegExp(`\\| warm-up .* \\| ${QUICK_SIZES.warmupOps} \\|`));
    expect(page).toMatch(new RegExp(`\\| \`--confirm\` .* \\| ${DEFAULT_CONFIRM} \\| ${DEFAULT_CONFIRM} \\|`));
    expect(page).toContain(`more than ${MAX_RUNS.toLocaleString('en-US')} runs`);
  });
});
