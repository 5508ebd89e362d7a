import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { answerCounts, timeoutIsMiss, timeoutsTimed } from './answer-counts.js';
import { ResultsFileError } from './results-file-error.js';
import { resultsVersionProblem } from './results-version.js';
import type { ResultsFile } from './results.js';
import schema from './results.schema.json' with { type: 'json' };

/**
 * Checks a parsed results file against results.schema.json (the shape, for
 * every field), then what a schema cannot say: that counts agree. The first
 * problem found is thrown as one line naming the file, the field's path and
 * the fix. Fields the schema does not list are allowed: later releases add
 * optional ones within a version.
 */
export function validateResults(value: unknown, path = '<results>'): ResultsFile {
  const fail = (problem: string): never => {
    throw new ResultsFileError(path, problem);
  };
  if (!isRecord(value)) return fail('expected a JSON object');
  // First, so a newer or foreign file says so rather than naming a field this version does not know.
  const versionProblem = resultsVersionProblem(value.schema, value.version);
  if (versionProblem) fail(versionProblem);
  const validate = schemaValidator();
  if (!validate(value))
    fail(
      `${describeSchemaError(validate.errors![0]!, value)} (results.schema.json); regenerate the file with \`cachebench run\` or correct that field`,
    );
  const file = value as unknown as ResultsFile;
  const countsProblem = disagreeingCounts(file);
  if (countsProblem)
    fail(`${countsProblem}; the file was changed or cut after it was written — regenerate it with \`cachebench run\``);
  return file;
}

let compiled: ValidateFunction | undefined;

/**
 * The compiled schema, built once: strict, so a mistake in the schema itself
 * fails loudly. ajv is loaded here, on the first validation, not when the
 * module is imported: every command imports the loader, and `--help` or
 * `run` should not pay for loading and compiling a validator they never use.
 */
export function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const { Ajv2020: Ajv } = createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 };
    compiled = new Ajv({ strict: true, allowUnionTypes: true, allErrors: false, verbose: true }).compile(schema);
  }
  return compiled;
}

/** Where in the file: `backends[0].actions.get.count`, from ajv's JSON pointer, reading arrays from the value itself. */
export function dottedPath(pointer: string, root: unknown): string {
  let at: unknown = root;
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += Array.isArray(at) ? `[${key}]` : out === '' ? key : `.${key}`;
    at = isRecord(at) || Array.isArray(at) ? (at as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  const words = types.map((t) => TYPE_WORDS[String(t)] ?? String(t));
  return words.length > 2 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : words.join(' or ');
}

/** What a schema (or a property's schema) asks for, in words. */
function expected(schemaPart: Record<string, unknown> | undefined): string {
  if (!schemaPart) return 'present';
  if (typeof schemaPart.title === 'string') return schemaPart.title;
  if (Array.isArray(schemaPart.enum)) return `one of ${schemaPart.enum.join(', ')}`;
  if ('const' in schemaPart) return JSON.stringify(schemaPart.const);
  if (typeof schemaPart.$ref === 'string') return expected(definition(schemaPart.$ref));
  return typeWords(schemaPart.type);
}

function definition(ref: string): Record<string, unknown> | undefined {
  const name = /^#\/\$defs\/(.+)$/.exec(ref)?.[1];
  return name ? (schema.$defs as Record<string, Record<string, unknown>>)[name] : undefined;
}

function describeSchemaError(error: ErrorObject, root: unknown): string {
  const where = dottedPath(error.instancePath, root);
  const field = (name: string): string => `"${where === '' ? name : `${where}.${name}`}"`;
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const properties = parent?.properties as Record<string, Record<string, unknown>> | undefined;
      return `${field(missing)} is missing (it must be ${expected(properties?.[missing])})`;
    }
    case 'type':
      return `"${where}" must be ${typeWords(params.type)}`;
    case 'enum':
      return `"${where}" must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `"${where}" must be ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return `"${where}" must be ${expected(parent)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `"${where}" must be ${params.comparison} ${params.limit}`;
    default:
      return `"${where}" ${error.message ?? 'does not match the schema'}`;
  }
}

/** The first count that contradicts another, or undefined. */
export function disagreeingCounts(file: ResultsFile): string | undefined {
  const timed = timeoutsTimed(file.run);
  const labels = new Set<string>();
  for (const [b, backend] of file.backends.entries()) {
    const at = `backends[${b}]`;
    if (labels.has(backend.label))
      return `"${at}.label" ${JSON.stringify(backend.label)} appears twice; labels are unique in a file`;
    labels.add(backend.label);
    for (const [action, result] of Object.entries(backend.actions)) {
      const where = `"${at}.actions.${action}`;
      const counts = answerCounts(action, result, timed);
      if (counts.misses > counts.answered)
        return `${where}.misses" (${counts.misses}) is more than the operations answered (${counts.answered})`;
      if (timed && result.timeouts > result.count)
        return `${where}.timeouts" (${result.timeouts}) is more than "count" (${result.count}), which holds timeouts in files with run.timeoutsTimed`;
      if (timed && timeoutIsMiss(action) && result.timeouts > result.misses)
        return `${where}.timeouts" (${result.timeouts}) is more than "misses" (${result.misses}); a timed-out ${action} is a miss`;
      if (backend.intervals.length > 0) {
        const inIntervals = backend.intervals.reduce(
          (sum, interval) => sum + (interval.actions[action]?.count ?? 0),
          0,
        );
        if (inIntervals !== result.count)
          return `${where}.count" is ${result.count} but its intervals hold ${inIntervals}`;
      }
    }
    const noise = backend.hostNoise;
    if (noise) {
      const outside = noise.noisyIntervals.find((i) => i >= noise.samples.length);
      if (outside !== undefined)
        return `"${at}.hostNoise.noisyIntervals" names sample ${outside}, but there are ${noise.samples.length}`;
      if (noise.keptAttempt !== undefined && noise.keptAttempt >= (noise.attempts?.length ?? 0)) {
        return `"${at}.hostNoise.keptAttempt" is ${noise.keptAttempt}, but there are ${noise.attempts?.length ?? 0} attempts`;
      }
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
