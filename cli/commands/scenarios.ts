import type { Command } from 'commander';
import { plural } from '../../shared/plural.js';
import { SCENARIOS } from '../../scenarios/registry.js';
import { mixActions, quickSizes } from '../../scenarios/scenario.js';

/** `cachebench scenarios`: the built-in workloads, their mix, sizes and needs. */
export function register(program: Command): void {
  program
    .command('scenarios')
    .description('list the built-in scenarios with their mix, key space and sizes')
    .option('--json', 'print the full definitions as JSON')
    .action((options: { json?: boolean }) => {
      if (options.json) {
        process.stdout.write(`${JSON.stringify([...SCENARIOS.values()], null, 2)}\n`);
        return;
      }
      const lines: string[] = [];
      for (const s of SCENARIOS.values()) {
        const total = Object.values(s.mix).reduce((a, b) => a + (b ?? 0), 0);
        const mix = mixActions(s)
          .map((a) => `${a} ${Math.round(((s.mix[a] ?? 0) / total) * 1000) / 10}%`)
          .join(' / ');
        const quick = quickSizes(s);
        lines.push(`${s.name}`);
        lines.push(`  ${s.description}`);
        lines.push(
          `  keys: ${s.keys.count.toLocaleString('en-US')} ${s.keys.distribution.kind}${s.preload ? ', preloaded' : ''}   mix: ${mix}`,
        );
        lines.push(
          `  sizes: ${plural(s.sizes.procs, 'process', 'processes')} × ${s.sizes.opsPerProcess.toLocaleString('en-US')} timed ops after ${s.sizes.warmupOps.toLocaleString('en-US')} warm-up (--full), quick ${quick.procs} × ${quick.opsPerProcess.toLocaleString('en-US')} after ${quick.warmupOps.toLocaleString('en-US')}`,
        );
        if (s.capabilities.length > 0) lines.push(`  needs: ${s.capabilities.join(', ')}`);
        if (s.notes) lines.push(`  ${s.notes}`);
        lines.push('');
      }
      lines.push(
        'Your own: pass a .json file with the same fields (`cachebench scenarios --json` shows them) or a .ts module exporting one as default.',
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
