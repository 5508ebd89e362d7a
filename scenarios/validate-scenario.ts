import type { Capability } from '../backends/backend.js';
import { CHECKS } from './checks.js';
import { MIX_ACTIONS, PRELOAD_VALUES, ScenarioError, type Scenario } from './scenario.js';

const CAPABILITIES: readonly Capability[] = [
  'expire',
  'incr',
  'pop',
  'add',
  'read',
  'getMany',
  'setMany',
  'deleteMany',
];

/**
 * Checks a scenario (built-in, user JSON or TS) up front and names the field
 * at fault, so a typo fails before any process is forked.
 */
export function validateScenario(value: unknown, source: string): Scenario {
  const fail = (problem: string): never => {
    throw new ScenarioError(`scenario ${source}: ${problem}`);
  };
  if (!isObject(value)) return fail('expected an object');
  const s = value as Record<string, unknown>;
  if (typeof s.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/i.test(s.name))
    fail('"name" must be a word like "my-mix"');
  if (typeof s.description !== 'string') fail('"description" must be a string');
  if (!Array.isArray(s.capabilities) || !s.capabilities.every((c) => CAPABILITIES.includes(c as Capability))) {
    fail(`"capabilities" must be a list of ${CAPABILITIES.join(', ')}`);
  }
  if (!isObject(s.keys)) return fail('"keys" must be an object { count, distribution }');
  const keys = s.keys as Record<string, unknown>;
  positiveInteger(keys.count, 'keys.count', fail);
  if (keys.prefix !== undefined && typeof keys.prefix !== 'string') fail('"keys.prefix" must be a string');
  if (keys.order !== undefined && keys.order !== 'ordered' && keys.order !== 'hashed')
    fail('"keys.order" must be "ordered" or "hashed"');
  const distribution = keys.distribution as Record<string, unknown> | undefined;
  if (!isObject(distribution) || !['uniform', 'zipfian', 'latest'].includes(distribution!.kind as string)) {
    fail('"keys.distribution.kind" must be uniform, zipfian or latest');
  }
  const theta = distribution!.theta;
  if (theta !== undefined && (typeof theta !== 'number' || !(theta > 0 && theta < 1)))
    fail('"keys.distribution.theta" must be in (0, 1)');
  if (distribution!.kind === 'latest' && (keys.count as number) < 2)
    fail('"keys.count" must be at least 2 for the latest distribution');
  if (distribution!.kind === 'zipfian' && (keys.count as number) >= 0x8000_0000)
    fail('"keys.count" must be below 2^31 for the zipfian distribution (YCSB\'s int key numbers)');
  if (!isObject(s.values)) return fail('"values" must be an object');
  const values = s.values as Record<string, unknown>;
  if (values.kind === 'counter-repeat') {
    positiveInteger(values.minRepeat, 'values.minRepeat', fail);
    positiveInteger(values.maxRepeat, 'values.maxRepeat', fail);
    if ((values.minRepeat as number) > (values.maxRepeat as number))
      fail('"values.minRepeat" exceeds "values.maxRepeat"');
  } else if (values.kind === 'bytes') {
    positiveInteger(values.minBytes, 'values.minBytes', fail);
    positiveInteger(values.maxBytes, 'values.maxBytes', fail);
    if ((values.minBytes as number) > (values.maxBytes as number)) fail('"values.minBytes" exceeds "values.maxBytes"');
  } else {
    fail('"values.kind" must be counter-repeat or bytes');
  }
  if (values.preloadValue !== undefined && !PRELOAD_VALUES.includes(values.preloadValue as never)) {
    fail(`"values.preloadValue" must be ${PRELOAD_VALUES.join(' or ')}`);
  }
  if (s.record !== undefined) {
    if (!isObject(s.record)) fail('"record" must be an object { fieldCount, writeAllFields }');
    const record = s.record as Record<string, unknown>;
    positiveInteger(record.fieldCount, 'record.fieldCount', fail);
    if (typeof record.writeAllFields !== 'boolean') fail('"record.writeAllFields" must be true or false');
    if (values.kind !== 'bytes') fail('"record" needs byte values ("values.kind": "bytes") to split into fields');
    if ((values.minBytes as number) < (record.fieldCount as number))
      fail('"values.minBytes" is smaller than "record.fieldCount": a field would have no bytes');
  }
  if (!isObject(s.mix)) return fail('"mix" must be an object of weights, e.g. { "get": 0.9, "set": 0.1 }');
  let total = 0;
  for (const [action, weight] of Object.entries(s.mix as Record<string, unknown>)) {
    if (!MIX_ACTIONS.includes(action as never)) fail(`"mix.${action}" is not an action; use ${MIX_ACTIONS.join(', ')}`);
    if (typeof weight !== 'number' || !(weight >= 0) || !Number.isFinite(weight))
      fail(`"mix.${action}" must be a number ≥ 0`);
    total += weight as number;
  }
  if (!(total > 0)) fail('"mix" has no action with a positive weight');
  if (typeof s.preload !== 'boolean') fail('"preload" must be true or false');
  if (
    s.revisitFraction !== undefined &&
    !(typeof s.revisitFraction === 'number' && s.revisitFraction >= 0 && s.revisitFraction <= 1)
  )
    fail('"revisitFraction" must be in [0, 1]');
  if (s.maxScanLength !== undefined) positiveInteger(s.maxScanLength, 'maxScanLength', fail);
  if (s.check !== undefined && !Object.hasOwn(CHECKS, s.check as string))
    fail(
      `"check" must be ${Object.keys(CHECKS)
        .map((name) => `"${name}"`)
        .join(', ')} or absent`,
    );
  if (s.backendOptions !== undefined) {
    const shape =
      '"backendOptions" must map backend names to { option: "text" }, e.g. { "filebased": { "max_entries": "1000" } }';
    if (!isObject(s.backendOptions)) fail(shape);
    for (const options of Object.values(s.backendOptions as Record<string, unknown>)) {
      if (!isObject(options) || !Object.values(options as Record<string, unknown>).every((v) => typeof v === 'string'))
        fail(shape);
    }
  }
  if (!isObject(s.sizes)) return fail('"sizes" must be an object { procs, opsPerProcess, warmupOps }');
  const sizes = s.sizes as Record<string, unknown>;
  positiveInteger(sizes.procs, 'sizes.procs', fail);
  positiveInteger(sizes.opsPerProcess, 'sizes.opsPerProcess', fail);
  nonNegativeInteger(sizes.warmupOps, 'sizes.warmupOps', fail);
  if (s.quick !== undefined) {
    if (!isObject(s.quick)) fail('"quick" must be an object');
    const quick = s.quick as Record<string, unknown>;
    if (quick.procs !== undefined) positiveInteger(quick.procs, 'quick.procs', fail);
    if (quick.opsPerProcess !== undefined) positiveInteger(quick.opsPerProcess, 'quick.opsPerProcess', fail);
    if (quick.warmupOps !== undefined) nonNegativeInteger(quick.warmupOps, 'quick.warmupOps', fail);
  }
  return value as unknown as Scenario;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInteger(value: unknown, field: string, fail: (p: string) => never): void {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) fail(`"${field}" must be a positive integer`);
}

function nonNegativeInteger(value: unknown, field: string, fail: (p: string) => never): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(`"${field}" must be an integer ≥ 0`);
}
