import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { moduleCommand } from '../../harness/fork-module.js';
import { CLI_MAIN } from '../cli/spawn-cli.js';

/**
 * A checkout as `compare --base-checkout` sees one — a folder with
 * dist/cli/main.js — whose main.js runs this source tree's CLI (through the
 * tsx loader), so tests need no build. `env` is set for its runs: a head
 * checkout with CACHEBENCH_INJECT_DELAY stands in for a slower build.
 */
export function fakeCheckout(directory: string, env: Record<string, string> = {}): string {
  mkdirSync(join(directory, 'dist', 'cli'), { recursive: true });
  const [program, ...args] = moduleCommand(CLI_MAIN);
  writeFileSync(
    join(directory, 'dist', 'cli', 'main.js'),
    [
      "import { spawnSync } from 'node:child_process';",
      `const result = spawnSync(${JSON.stringify(program)}, [...${JSON.stringify(args)}, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, ...${JSON.stringify(env)} } });`,
      'process.exit(result.status ?? 1);',
      '',
    ].join('\n'),
  );
  // An ES module, as the real dist/ is (package.json "type": "module").
  writeFileSync(join(directory, 'package.json'), '{ "type": "module" }\n');
  return directory;
}
