/**
 * What `cachebench agent` does: find or make the secret, listen, log, and
 * close on SIGINT/SIGTERM. Kept apart from the CLI file so the command's
 * registration loads none of this.
 */
import type { AddressInfo } from 'node:net';
import { AgentError } from './agent-error.js';
import { generateSecret, readSecret, SECRET_ENV } from './agent-auth.js';
import { createAgentServer } from './agent-server.js';

export interface ServeAgentOptions {
  listen: string;
  secretFile?: string;
  allowModuleBackends?: boolean;
  allowCustomScenarios?: boolean;
  quiet?: boolean;
}

export async function serveAgent(
  options: ServeAgentOptions,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  let secret: string | undefined;
  try {
    secret = readSecret(options.secretFile);
  } catch (error) {
    err.write(`error: ${(error as AgentError).message}\n`);
    return 2;
  }
  if (secret === undefined) {
    secret = generateSecret();
    // Printed once, here only: the agent keeps it in memory and never logs it again.
    out.write(
      `secret: ${secret}\n  give it to the coordinator: CACHEBENCH_AGENT_SECRET=${secret} cachebench run … --agents HOST:PORT (or --agent-secret-file)\n`,
    );
  }
  const log = options.quiet ? () => {} : (text: string) => err.write(`${new Date().toISOString()} ${text}\n`);
  const server = createAgentServer({
    secret,
    permissions: {
      moduleBackends: options.allowModuleBackends === true,
      customScenarios: options.allowCustomScenarios === true,
    },
    log,
  });
  const separator = options.listen.lastIndexOf(':');
  const host = options.listen.slice(0, separator).replace(/^\[|\]$/g, '');
  const port = Number(options.listen.slice(separator + 1));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    err.write(
      `error: cannot listen on ${options.listen} (${e.code === 'EADDRINUSE' ? 'the port is in use; pick another with --listen' : e.message})\n`,
    );
    return 1;
  }
  const address = server.address() as AddressInfo;
  const shown =
    address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
  out.write(
    `listening on ${shown}${options.secretFile ? '' : secret === process.env[SECRET_ENV]?.trim() ? ` (secret from ${SECRET_ENV})` : ''}\n`,
  );
  if (!['127.0.0.1', '::1', 'localhost'].includes(host))
    log(`listening beyond loopback: traffic is signed but not encrypted; keep it on a trusted network (SECURITY.md)`);
  await new Promise<void>((resolve) => {
    const close = (): void => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', close);
    process.once('SIGTERM', close);
  });
  return 0;
}
