/**
 * Regression injection: a known extra latency added to chosen backend methods,
 * so anyone can check that their latency gate catches a regression of a size
 * they choose (`cachebench run --inject-delay set=6us`, docs/compare.md).
 *
 * The delay is a busy-wait on the monotonic clock inside the timed call, before
 * the store is asked: a timer or sleep cannot wait a few microseconds, and a
 * spin adds CPU work, as a slower code path would.
 */
import type { Backend } from '../backends/backend.js';
import { Rng } from '../shared/rng.js';
import { CachebenchError } from '../shared/cachebench-error.js';

/** Backend methods a delay can be injected into: the ones the harness times. */
export const DELAYABLE_METHODS = [
  'get',
  'set',
  'delete',
  'incr',
  'pop',
  'add',
  'read',
  'getMany',
  'setMany',
  'deleteMany',
] as const;
export type DelayableMethod = (typeof DELAYABLE_METHODS)[number];

/** An extra wait inside one method: `ns` on a `share` of its calls (1: every call). */
export interface InjectedDelay {
  ns: number;
  /** Fraction of calls delayed, in (0, 1]; below 1 the calls are drawn from a seeded stream. */
  share: number;
}

/** The injected delays of one backend, by method. */
export type InjectedDelays = Partial<Record<DelayableMethod, InjectedDelay>>;

/**
 * One `--inject-delay` rule: `[LABEL:]METHOD=DURATION[@PERCENT%]`, e.g. `set=6us`
 * (a median regression), `sqlite:get=500ns`, or `set=2ms@1%` (a tail regression:
 * 1% of sets wait 2 ms more, which moves p99 and leaves the median alone).
 */
export interface InjectedDelayRule extends InjectedDelay {
  /** The backend label it applies to (as in `--backends`), or null for every backend. */
  label: string | null;
  method: DelayableMethod;
}

export class InjectedDelayError extends CachebenchError<'INJECTED_DELAY'> {
  constructor(
    readonly rule: string,
    readonly detail: string,
  ) {
    super('INJECTED_DELAY', `--inject-delay "${rule}": ${detail}`);
  }
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1_000, µs: 1_000, ms: 1_000_000 };
// Greedy label: a label may itself hold ':' and '=' (`fanout:shards=8:set=6us`); the method and duration come last.
const RULE = /^(?:(.+):)?([A-Za-z]+)=(\d+(?:\.\d+)?)(ns|us|µs|ms)(?:@(\d+(?:\.\d+)?)%)?$/;
/** Longer than any regression worth injecting; a typo such as `6ms` for `6us` would stall a run for minutes. */
const MAX_DELAY_NS = 100_000_000;

export function parseInjectedDelayRule(text: string): InjectedDelayRule {
  const match = RULE.exec(text.trim());
  if (!match)
    throw new InjectedDelayError(
      text,
      'expected [LABEL:]METHOD=DURATION[@PERCENT%] with a unit ns, us or ms, e.g. set=6us, sqlite:get=500ns or set=2ms@1%',
    );
  const [, label, method, amount, unit, percent] = match;
  if (!(DELAYABLE_METHODS as readonly string[]).includes(method!)) {
    throw new InjectedDelayError(text, `unknown method "${method}"; one of ${DELAYABLE_METHODS.join(', ')}`);
  }
  const ns = Math.round(Number(amount) * UNIT_NS[unit!]!);
  if (ns <= 0) throw new InjectedDelayError(text, 'the delay must be above 0');
  if (ns > MAX_DELAY_NS) throw new InjectedDelayError(text, `the delay must be at most 100ms (${ns} ns given)`);
  const share = percent === undefined ? 1 : Number(percent) / 100;
  if (!(share > 0 && share <= 1))
    throw new InjectedDelayError(text, `the share of calls must be above 0% and at most 100% (${percent}% given)`);
  return { label: label ?? null, method: method as DelayableMethod, ns, share };
}

/** Parses every rule (one per `--inject-delay`, or `;`-separated in CACHEBENCH_INJECT_DELAY). */
export function parseInjectedDelayRules(texts: readonly string[]): InjectedDelayRule[] {
  return texts
    .flatMap((text) => text.split(';'))
    .filter((text) => text.trim() !== '')
    .map(parseInjectedDelayRule);
}

/**
 * The delays for one backend label. Rules naming the label win over rules for
 * every backend; two rules for the same label and method are refused.
 */
export function delaysForLabel(rules: readonly InjectedDelayRule[], label: string): InjectedDelays {
  const delays: InjectedDelays = {};
  for (const rule of rules.filter((r) => r.label === null)) delays[rule.method] = { ns: rule.ns, share: rule.share };
  const named = new Set<DelayableMethod>();
  for (const rule of rules.filter((r) => r.label === label)) {
    if (named.has(rule.method))
      throw new InjectedDelayError(`${label}:${rule.method}`, 'given twice for the same backend and method');
    named.add(rule.method);
    delays[rule.method] = { ns: rule.ns, share: rule.share };
  }
  return delays;
}

/** Checks that every labelled rule names a backend of the run, so a typo is not a silent no-op. */
export function checkRuleLabels(rules: readonly InjectedDelayRule[], labels: readonly string[]): void {
  for (const rule of rules) {
    if (rule.label !== null && !labels.includes(rule.label)) {
      throw new InjectedDelayError(
        `${rule.label}:${rule.method}`,
        `no backend labelled "${rule.label}" in this run (backends: ${labels.join(', ')})`,
      );
    }
  }
}

const hrtime = process.hrtime.bigint;
/** Streams of the worker's backend seed used for delay draws, apart from any the backend uses. */
const DELAY_STREAM = 0x5000_0000;

function spin(ns: bigint): void {
  const until = hrtime() + ns;
  while (hrtime() < until) {
    // busy-wait: see the file comment
  }
}

/** Which calls of a method a partial share delays: a seeded draw per call, the same for the same seed. */
export function delayDraws(seed: number, method: DelayableMethod, share: number): () => boolean {
  const rng = new Rng(seed, DELAY_STREAM + DELAYABLE_METHODS.indexOf(method));
  return () => rng.nextFloat() < share;
}

/**
 * Replaces each delayed method of a backend, on the instance itself, with one
 * that spins its delay and then calls the store's own method. Every other
 * method is untouched (no wrapper, no cost); methods the backend lacks stay
 * absent, so its capabilities are unchanged. Returns the same backend.
 * `seed` chooses which calls a partial share delays (each method its own stream).
 */
export function injectDelays(backend: Backend, delays: InjectedDelays, seed = 0): Backend {
  const target = backend as unknown as Record<DelayableMethod, ((...args: unknown[]) => unknown) | undefined>;
  for (const [method, { ns, share }] of Object.entries(delays) as [DelayableMethod, InjectedDelay][]) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    const wait = BigInt(ns);
    const delayThisCall = delayDraws(seed, method, share);
    target[method] =
      share >= 1
        ? (...args: unknown[]): unknown => {
            spin(wait);
            return original.apply(backend, args);
          }
        : (...args: unknown[]): unknown => {
            if (delayThisCall()) spin(wait);
            return original.apply(backend, args);
          };
  }
  return backend;
}
