/**
 * Ctrl-C during `run` or `sweep`: the first aborts `signal`, so the harness
 * stops the running backend and marks it interrupted (harness/interrupt.ts,
 * which also removes its temp folders and private servers on exit); a second
 * calls `onSecond`, which quits at once.
 */
export class InterruptWatch {
  private readonly controller = new AbortController();
  private readonly onSigint = (): void => {
    if (this.controller.signal.aborted) {
      this.handlers.onSecond();
      return;
    }
    this.controller.abort();
    this.handlers.onFirst();
  };

  constructor(private readonly handlers: { onFirst: () => void; onSecond: () => void }) {
    process.on('SIGINT', this.onSigint);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    process.off('SIGINT', this.onSigint);
  }
}
