import type { Command } from 'commander';
import { DEFAULT_BACKENDS } from '../../backends/default-backends.js';

/** `cachebench backends`: every registered backend with its options. */
export function register(program: Command): void {
  program
    .command('backends')
    .description('list the backends and their options')
    .action(async () => {
      // Every backend's client library loads with the registry: only when the list is asked for.
      const { BACKENDS } = await import('../../backends/registry.js');
      const lines: string[] = [];
      for (const factory of BACKENDS.values()) {
        lines.push(`${factory.name}${DEFAULT_BACKENDS.includes(factory.name) ? '' : '  (not in the default run)'}`);
        lines.push(`  ${factory.summary}`);
        for (const [option, doc] of Object.entries(factory.options)) {
          lines.push(
            `    ${option}=…  ${doc.description}${doc.default !== undefined ? ` (default ${doc.default})` : ''}`,
          );
        }
        lines.push('');
      }
      lines.push(
        'Select with --backends name[:key=value,...], e.g. --backends sqlite,redis or "sqlite:mmap_size=0 memory".',
      );
      lines.push(
        'Your own: a module path whose default export is a BackendFactory, e.g. --backends ./my-backend.js:opt=1',
      );
      lines.push('(.ts modules need the tsx loader, as under `npx tsx`).');
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
