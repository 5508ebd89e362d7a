// @ts-check
/**
 * An example scenario file: the talk's workload, smaller and write-heavier.
 * A scenario is plain data; this one starts from a built-in and changes it.
 */
import { getScenario } from 'cachebench/scenarios';

/** @type {import('cachebench/scenarios').Scenario} */
const scenario = {
  ...getScenario('talk'),
  name: 'small-talk',
  description: 'the talk workload over 2,000 keys, half gets and half sets',
  keys: { count: 2_000, distribution: { kind: 'uniform' } },
  mix: { get: 0.5, set: 0.5 },
  sizes: { procs: 2, opsPerProcess: 2_000, warmupOps: 100 },
  quick: { procs: 2, opsPerProcess: 2_000, warmupOps: 100 },
};

export default scenario;
