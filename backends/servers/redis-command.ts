import { connect } from 'node:net';

/**
 * Sends one command to a Redis server over a fresh socket and resolves its
 * reply as text: a status, an integer or a bulk string (`null` for a nil
 * bulk). An error reply rejects with the server's message. Used to manage
 * private servers (cluster state, node ids) without a client library's
 * reconnect loop, where "no answer" must simply mean "not yet".
 */
export function redisCommand(
  host: string,
  port: number,
  args: readonly string[],
  timeoutMs = 1_000,
): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let reply = Buffer.alloc(0);
    let settled = false;
    const finish = (error: Error | undefined, value?: string | null) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error) reject(error);
      else resolve(value ?? null);
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no reply from ${host}:${port} within ${timeoutMs} ms`)));
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(new Error(`${host}:${port} closed the connection`)));
    socket.once('connect', () => socket.write(encodeCommand(args)));
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      const parsed = parseReply(reply);
      if (parsed === undefined) return;
      if (parsed instanceof Error) finish(parsed);
      else finish(undefined, parsed);
    });
  });
}

function encodeCommand(args: readonly string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(''));
}

/** One complete reply, or undefined while more bytes are needed. */
function parseReply(buffer: Buffer): string | null | Error | undefined {
  const lineEnd = buffer.indexOf('\r\n');
  if (lineEnd === -1) return undefined;
  const line = buffer.subarray(1, lineEnd).toString('utf8');
  switch (buffer[0]) {
    case 0x2b: // +status
    case 0x3a: // :integer
      return line;
    case 0x2d: // -error
      return new Error(line);
    case 0x24: {
      // $bulk
      const length = Number(line);
      if (length < 0) return null;
      const start = lineEnd + 2;
      if (buffer.length < start + length + 2) return undefined;
      return buffer.subarray(start, start + length).toString('utf8');
    }
    default:
      return new Error(`unexpected reply type "${String.fromCharCode(buffer[0]!)}"`);
  }
}
