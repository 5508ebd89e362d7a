import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { ParentWireMessage, WorkerWireMessage } from './foreign-wire.js';
import { CachebenchError } from '../../shared/cachebench-error.js';

const STDERR_TAIL = 2_000;

/** A foreign worker that said `failed`, sent something unreadable, or died. */
export class ForeignWorkerError extends CachebenchError<'FOREIGN_WORKER'> {
  constructor(message: string) {
    super('FOREIGN_WORKER', message);
  }
}

interface Pending {
  resolve(message: WorkerWireMessage): void;
  reject(error: Error): void;
}

/**
 * One foreign worker process and its newline-delimited JSON channel. Every
 * message the parent sends gets exactly one answer, in order, so answers are
 * matched to requests by position. Several requests may be in flight (the
 * next batch is queued while the worker runs the current one).
 */
export class ForeignProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Pending[] = [];
  private buffered = '';
  private stderr = '';
  private ended: ForeignWorkerError | undefined;

  constructor(
    readonly command: readonly string[],
    private readonly what: string,
  ) {
    this.child = spawn(command[0]!, command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.absorb(chunk));
    this.child.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL);
    });
    // A write to a worker that already died: the exit handler reports it.
    this.child.stdin.on('error', () => {});
    this.child.on('error', (error) => this.end(`${what}: cannot start ${command[0]}: ${error.message}`));
    this.child.on('exit', (code, signal) => {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const tail = this.lastStderrLine();
      this.end(`${what} ${how}${tail ? `: ${tail}` : ''}`);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exited(): boolean {
    return this.ended !== undefined;
  }

  /** Sends one message; resolves with its answer, rejects when the worker says `failed` or dies first. */
  request(message: ParentWireMessage): Promise<WorkerWireMessage> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise<WorkerWireMessage>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** Asks the worker to close its store and leave; kills it if it has not left after `graceMs`. */
  async close(graceMs = 5_000): Promise<void> {
    if (this.ended) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.request({ type: 'close' }).catch(() => {});
    this.child.stdin.end();
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.ended) this.child.kill('SIGKILL');
  }

  private absorb(chunk: string): void {
    this.buffered += chunk;
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      if (line.trim() !== '') this.answer(line);
      newline = this.buffered.indexOf('\n');
    }
  }

  private answer(line: string): void {
    let message: WorkerWireMessage;
    try {
      message = JSON.parse(line) as WorkerWireMessage;
    } catch {
      this.fail(`${this.what} wrote a line that is not JSON: ${line.slice(0, 120)}`);
      return;
    }
    const waiter = this.pending.shift();
    if (!waiter) {
      this.fail(`${this.what} sent "${message.type}" when no answer was due`);
      return;
    }
    if (message.type === 'failed') waiter.reject(new ForeignWorkerError(`${this.what}: ${message.message}`));
    else waiter.resolve(message);
  }

  /** A protocol breach: the worker cannot be trusted any more. */
  private fail(text: string): void {
    this.end(text);
    this.child.kill('SIGKILL');
  }

  private end(text: string): void {
    this.ended ??= new ForeignWorkerError(text);
    for (const waiter of this.pending.splice(0)) waiter.reject(this.ended);
  }

  private lastStderrLine(): string {
    const lines = this.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    // A traceback ends with the exception; source lines quoted above it may mention errors too.
    const line = [...lines].reverse().find((l) => /Error|error|Exception/.test(l)) ?? lines[lines.length - 1] ?? '';
    return line.length > 160 ? `${line.slice(0, 157)}...` : line;
  }
}
