import type { ChildProcess } from 'node:child_process';
import { forkModule, siblingModule } from './fork-module.js';
import type { ActionPayload, ParentMessage, WorkerMessage } from './protocol.js';

const STDERR_TAIL = 2_000;

/**
 * The parent's view of one worker process: what it said, and how it ended.
 * Everything a worker sends is kept, so a crash leaves the intervals it finished.
 */
export class WorkerHandle {
  readonly child: ChildProcess;
  readyNs: bigint | undefined;
  startedNs: bigint | undefined;
  warmedNs: bigint | undefined;
  endNs: bigint | undefined;
  ops = 0;
  metrics: Record<string, number> = {};
  /** The worker's counters over its measured operations (protocol.ts, `done`). */
  counters: Record<string, number> = {};
  finalMetrics: Record<string, number> | undefined;
  readonly intervals: { index: number; actions: Record<string, ActionPayload> }[] = [];
  /** Set when the worker failed or died before finishing. */
  failure: string | undefined;
  /** Capabilities the backend lacks for this scenario, when the worker said so. */
  unsupported: string[] | undefined;
  exited = false;
  exitedAtNs: bigint | undefined;
  private stderr = '';
  private readonly waiters: (() => void)[] = [];

  /** `module`: the worker module's stem beside this file (a foreign backend's is foreign/foreign-worker). */
  constructor(
    readonly index: number,
    onMessage: (handle: WorkerHandle, message: WorkerMessage) => void,
    module = 'worker',
  ) {
    this.child = forkModule(siblingModule(import.meta.url, module), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL);
    });
    this.child.on('message', (message: WorkerMessage) => {
      this.absorb(message);
      onMessage(this, message);
      this.wake();
    });
    this.child.on('error', (error) => {
      this.failure ??= `worker ${index}: ${error.message}`;
      this.wake();
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.exitedAtNs = process.hrtime.bigint();
      if (this.endNs === undefined || code !== 0) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = this.lastStderrLine();
        this.failure ??= `worker ${index} ${how}${this.startedNs === undefined ? ' before the start' : ` after ${this.ops} ops`}${tail ? `: ${tail}` : ''}`;
      }
      this.wake();
    });
  }

  private absorb(message: WorkerMessage): void {
    switch (message.type) {
      case 'ready':
        this.readyNs = BigInt(message.readyNs);
        break;
      case 'started':
        this.startedNs = BigInt(message.startedNs);
        break;
      case 'warmed':
        this.warmedNs = BigInt(message.warmedNs);
        break;
      case 'progress':
        this.ops = message.ops;
        break;
      case 'interval':
        this.intervals.push({ index: message.index, actions: message.actions });
        break;
      case 'done':
        this.endNs = BigInt(message.endNs);
        this.ops = message.ops;
        this.metrics = message.metrics;
        this.counters = message.counters ?? {};
        break;
      case 'finalized':
        this.finalMetrics = message.metrics;
        break;
      case 'failed':
        this.failure ??= message.message;
        break;
      case 'unsupported':
        this.unsupported = message.missing;
        break;
    }
  }

  send(message: ParentMessage): void {
    if (!this.exited && this.child.connected) this.child.send(message);
  }

  /** Resolves when `condition` holds (checked after every event), or after `timeoutMs`. */
  async waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  get finished(): boolean {
    return this.endNs !== undefined || this.failure !== undefined || this.exited;
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private lastStderrLine(): string {
    const lines = this.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('at ') && !l.startsWith('^'));
    const line = lines.find((l) => /Error|error/.test(l)) ?? lines[lines.length - 1] ?? '';
    return line.length > 160 ? `${line.slice(0, 157)}...` : line;
  }
}
