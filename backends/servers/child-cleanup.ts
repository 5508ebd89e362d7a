/**
 * Kills server processes this process started when it ends for any reason:
 * normal exit, an uncaught error (Node emits 'exit' then too), Ctrl-C or
 * SIGTERM. A private server must never outlive the run that started it.
 *
 * Signal handlers are installed only while servers are registered. After
 * killing the children, a signal is re-raised when no one else listens for it,
 * so the process still dies as the user asked; when the application has its
 * own handler (the harness), that handler decides.
 */
const pids = new Set<number>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function killAll(): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  pids.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  uninstall();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', killAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', killAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Registers a child pid to kill when this process ends; returns the function that unregisters it. */
export function killOnExit(pid: number): () => void {
  if (pids.size === 0) install();
  pids.add(pid);
  return () => {
    pids.delete(pid);
    if (pids.size === 0) uninstall();
  };
}
