import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';

export interface AgentCliOptions {
  listen: string;
  secretFile?: string;
  allowModuleBackends?: boolean;
  allowCustomScenarios?: boolean;
  quiet?: boolean;
}

/** The default port of `cachebench agent`. */
export const DEFAULT_AGENT_PORT = 7420;

function listenAddress(text: string): string {
  if (!/^(?:\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/.test(text) || Number(text.slice(text.lastIndexOf(':') + 1)) > 65535) {
    throw new InvalidArgumentError(
      'expected HOST:PORT, e.g. 127.0.0.1:7420, or 0.0.0.0:7420 to accept other hosts (port 0: any free port)',
    );
  }
  return text;
}

/** `cachebench agent`: serve as a load host for `cachebench run --agents`. */
export function register(program: Command): void {
  program
    .command('agent')
    .description(
      "serve as a load host: run this host's share of a `cachebench run --agents HOST:PORT,…` (docs/agents.md)",
    )
    .option(
      '--listen <host:port>',
      'address to listen on; loopback unless you name another interface',
      listenAddress,
      `127.0.0.1:${DEFAULT_AGENT_PORT}`,
    )
    .option(
      '--secret-file <file>',
      'read the shared secret from this file (first line); without it CACHEBENCH_AGENT_SECRET, else a new secret is generated and printed once',
    )
    .option(
      '--allow-module-backends',
      'accept backends given as module paths (they are imported and run as code on this host)',
    )
    .option(
      '--allow-custom-scenarios',
      'accept scenario definitions sent by the coordinator, not only built-in scenario names',
    )
    .option('-q, --quiet', 'no log lines on stderr')
    .addHelpText(
      'after',
      `
Security: the agent runs only runs signed with the shared secret (an HMAC over a one-time
challenge; the secret never crosses the wire), listens on 127.0.0.1 unless --listen says otherwise,
and refuses module-path backends and custom scenarios unless allowed above. Traffic is not
encrypted: across hosts, use a trusted network or an SSH tunnel (SECURITY.md).

Examples:
  cachebench agent                                   prints a new secret, listens on 127.0.0.1:${DEFAULT_AGENT_PORT}
  cachebench agent --listen 0.0.0.0:${DEFAULT_AGENT_PORT} --secret-file ~/.cachebench-secret
  then, on the coordinator:
  CACHEBENCH_AGENT_SECRET=… cachebench run talk -b redis:url=redis://10.0.0.9 -p 8 --agents 10.0.0.5:${DEFAULT_AGENT_PORT},10.0.0.6:${DEFAULT_AGENT_PORT}
`,
    )
    .action(async (options: AgentCliOptions) => {
      // Loaded here, not at start-up: `cachebench --help` and other commands never pay for it.
      const { serveAgent } = await import('../../harness/agents/serve-agent.js');
      process.exitCode = await serveAgent(options);
    });
}
