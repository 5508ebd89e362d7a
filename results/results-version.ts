import { RESULTS_SCHEMA, RESULTS_VERSION } from './results.js';

/**
 * The one check of which results files this cachebench reads: the problem in
 * words (ending in the fix), or undefined when `schema` and `version` name a
 * layout it knows. The loader and compare both ask it.
 */
export function resultsVersionProblem(schema: unknown, version: unknown): string | undefined {
  if (schema !== RESULTS_SCHEMA)
    return `not a cachebench results file ("schema" is ${JSON.stringify(schema) ?? 'missing'}, expected "${RESULTS_SCHEMA}")`;
  if (typeof version !== 'number' || !Number.isInteger(version))
    return `"version" must be an integer (${RESULTS_VERSION} for files this cachebench writes)`;
  if (version > RESULTS_VERSION)
    return `version ${version} is newer than this cachebench reads (${RESULTS_VERSION}); upgrade cachebench`;
  if (version < 1) return `version ${version} is not a known version; regenerate the file with \`cachebench run\``;
  return undefined;
}
