/**
 * `cachebench … | head`: when the reader goes away, writing to stdout (or
 * stderr) fails with EPIPE, and Node would die on that unhandled 'error' with a
 * stack trace. Instead the closed stream is silenced — later writes to it are
 * dropped — and the command finishes what it was doing (results files, the
 * report, a sweep's --apply) and exits with its own code: 0 when the work
 * succeeded. We chose this over exiting at once (the shell's SIGPIPE, 141)
 * because a benchmark's output is the least of what it produces; what it
 * writes to disk must not be lost because `head` had seen enough.
 */
export function silenceClosedPipes(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      // Every later write on this stream would fail the same way: drop them, reporting success to the caller.
      stream.write = ((_chunk: unknown, ...rest: unknown[]) => {
        const callback = rest.find((r): r is () => void => typeof r === 'function');
        callback?.();
        return true;
      }) as typeof stream.write;
    });
  }
}
