import { MIX_ACTIONS, ScenarioError, type MixAction, type Scenario } from './scenario.js';

/** The `--param key=value` names every scenario accepts. */
export const PARAMETER_DOCS: Record<string, string> = {
  keys: 'number of keys (YCSB record count, analytics counters)',
  prefix: 'text before each key index',
  insertOrder: "hashed | ordered: name key n prefix + fnvhash64(n) (YCSB's default) or prefix + n",
  distribution: 'uniform | zipfian | latest',
  theta: 'zipfian/latest skew in (0, 1), YCSB uses 0.99',
  valueBytes: 'fixed value size in bytes (switches values to random bytes)',
  minBytes: 'smallest value in bytes (bytes values)',
  maxBytes: 'largest value in bytes (bytes values)',
  minRepeat: 'talk values: fewest repeats of the counter string',
  maxRepeat: 'talk values: most repeats of the counter string',
  ratio: 'get:set ratio N:1 (replaces the mix with get and set)',
  'mix.<action>': `weight of one action (${MIX_ACTIONS.join(', ')})`,
  preload: 'true | false: set every key before the run',
  maxScanLength: 'longest scan (getMany) in keys',
  writeAllFields:
    'YCSB records: true | false (default, as YCSB): an update rewrites every field, or one field (get + set of the record)',
  fieldCount: 'YCSB records: fields per record (the value is split into this many equal fields)',
  revisit: 'crawler: share of crawls that re-check a popular page, 0..1',
};

/**
 * Applies `--param` overrides to a scenario and returns a new one; the
 * original is untouched. Unknown names fail with the list of known ones.
 */
export function applyParameters(scenario: Scenario, params: Record<string, string>): Scenario {
  const s: Scenario = structuredClone(scenario);
  // `distribution` first, so `theta` given in any order refines the chosen distribution.
  const entries = Object.entries(params).sort(
    ([a], [b]) => Number(b === 'distribution') - Number(a === 'distribution'),
  );
  for (const [name, text] of entries) {
    const fail = (problem: string): never => {
      throw new ScenarioError(`--param ${name}=${text}: ${problem}`, problem);
    };
    const int = (min: number): number => {
      const n = Number(text);
      if (!Number.isSafeInteger(n) || n < min) fail(`expected an integer ≥ ${min}`);
      return n;
    };
    if (name.startsWith('mix.')) {
      const action = name.slice(4) as MixAction;
      if (!MIX_ACTIONS.includes(action)) fail(`unknown action; use one of ${MIX_ACTIONS.join(', ')}`);
      const weight = Number(text);
      if (!(weight >= 0) || !Number.isFinite(weight)) fail('expected a weight ≥ 0');
      s.mix[action] = weight;
      continue;
    }
    switch (name) {
      case 'keys':
        s.keys.count = int(1);
        break;
      case 'prefix':
        s.keys.prefix = text;
        break;
      case 'distribution':
        if (text !== 'uniform' && text !== 'zipfian' && text !== 'latest') fail('expected uniform, zipfian or latest');
        s.keys.distribution =
          text === 'uniform' ? { kind: 'uniform' } : { kind: text as 'zipfian' | 'latest', theta: thetaOf(s) };
        break;
      case 'theta': {
        const theta = Number(text);
        if (!(theta > 0 && theta < 1)) fail('expected a number in (0, 1)');
        if (s.keys.distribution.kind === 'uniform')
          fail('the distribution is uniform; add --param distribution=zipfian first');
        s.keys.distribution = { kind: s.keys.distribution.kind as 'zipfian' | 'latest', theta };
        break;
      }
      case 'valueBytes': {
        const n = int(1);
        s.values = { kind: 'bytes', minBytes: n, maxBytes: n };
        break;
      }
      case 'minBytes':
      case 'maxBytes': {
        const n = int(1);
        const current = s.values.kind === 'bytes' ? s.values : { kind: 'bytes' as const, minBytes: n, maxBytes: n };
        s.values = { ...current, [name]: n };
        break;
      }
      case 'minRepeat':
      case 'maxRepeat': {
        if (s.values.kind !== 'counter-repeat') fail('this scenario uses byte values; use minBytes/maxBytes');
        s.values = { ...(s.values as Extract<Scenario['values'], { kind: 'counter-repeat' }>), [name]: int(1) };
        break;
      }
      case 'ratio': {
        const n = Number(text);
        if (!(n > 0) || !Number.isFinite(n)) fail('expected a number > 0');
        s.mix = { get: n, set: 1 };
        break;
      }
      case 'preload':
        if (text !== 'true' && text !== 'false') fail('expected true or false');
        s.preload = text === 'true';
        break;
      case 'maxScanLength':
        s.maxScanLength = int(1);
        break;
      case 'insertOrder':
        if (text !== 'hashed' && text !== 'ordered') fail('expected hashed or ordered');
        s.keys.order = text as 'hashed' | 'ordered';
        break;
      case 'writeAllFields':
        if (text !== 'true' && text !== 'false') fail('expected true or false');
        s.record = { ...recordOf(s, fail), writeAllFields: text === 'true' };
        break;
      case 'fieldCount':
        s.record = { ...recordOf(s, fail), fieldCount: int(1) };
        break;
      case 'revisit': {
        const f = Number(text);
        if (!(f >= 0 && f <= 1)) fail('expected a number in [0, 1]');
        s.revisitFraction = f;
        break;
      }
      default:
        fail(`unknown parameter; known: ${Object.keys(PARAMETER_DOCS).join(', ')}`);
    }
  }
  return s;
}

function recordOf(s: Scenario, fail: (problem: string) => never): NonNullable<Scenario['record']> {
  return (
    s.record ??
    fail('this scenario has no YCSB records (only ycsb-* scenarios or a scenario with "record" have fields)')
  );
}

function thetaOf(s: Scenario): number {
  return s.keys.distribution.kind === 'uniform' ? 0.99 : (s.keys.distribution.theta ?? 0.99);
}

/** Parses repeated `--param key=value` flags into a record. */
export function parseParameterList(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ScenarioError(`--param "${pair}": expected key=value, e.g. --param keys=1000`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}
