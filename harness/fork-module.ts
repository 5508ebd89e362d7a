import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Forks a module of this package as a child process.
 *
 * Compiled code (dist/) forks plain `.js` files. Under vitest and tsx the same
 * code runs from `.ts` sources, so the child needs the tsx loader to run them;
 * it is added only in that case, so production runs carry no loader cost.
 */
export function forkModule(
  moduleUrl: URL | string,
  args: readonly string[] = [],
  options: ForkOptions = {},
): ChildProcess {
  const path = moduleUrl instanceof URL || moduleUrl.startsWith('file:') ? fileURLToPath(moduleUrl) : moduleUrl;
  const execArgv = [...(options.execArgv ?? process.execArgv.filter((a) => !a.startsWith('--inspect')))];
  if (path.endsWith('.ts') && !execArgv.some((a) => a.includes('tsx'))) {
    // Resolved from this package, not from the child's cwd, so a run started in
    // any directory (tests use temp dirs) still finds the loader.
    execArgv.push('--import', tsxLoader());
  }
  return fork(path, [...args], { ...options, execArgv });
}

/**
 * The command line that runs a module of this package as its own process with
 * `spawn` (no IPC channel): node, the tsx loader when the module is a `.ts`
 * source, then the module's path.
 */
export function moduleCommand(moduleUrl: URL | string): string[] {
  const path = moduleUrl instanceof URL || moduleUrl.startsWith('file:') ? fileURLToPath(moduleUrl) : moduleUrl;
  return path.endsWith('.ts') ? [process.execPath, '--import', tsxLoader(), path] : [process.execPath, path];
}

/**
 * Resolves a sibling module of `baseUrl` by stem, picking `.ts` when the caller
 * itself runs from TypeScript sources and `.js` when it runs compiled.
 */
export function siblingModule(baseUrl: string, stem: string): URL {
  const extension = baseUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`${stem}${extension}`, baseUrl);
}

function tsxLoader(): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    return 'tsx';
  }
}
