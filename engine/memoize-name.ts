import { InvalidOptionError } from './errors.js';

/**
 * The name a memoized (or barrier-, throttle-, stampede-wrapped) function's
 * cache keys start with: always the `name` option. diskcache defaults to the
 * function's module and qualified name; a JavaScript function carries neither
 * — `fn.name` is the bare name (`load` in every module that has one, `get`
 * for every class's method, `bound get` once bound, '' when anonymous) — so a
 * default built from it would let two functions answer each other's calls,
 * in this process or in any other sharing the cache. The key namespace is
 * therefore the caller's to give, unique per function (e.g. 'users.load').
 * `recipe` names the wrapper in the error.
 */
export function memoizeKeyName(fn: unknown, options: { name?: unknown } | undefined, recipe = 'memoize'): string {
  if (typeof fn !== 'function') throw new InvalidOptionError('fn', `${recipe} needs a function`);
  const name = options?.name;
  if (typeof name === 'string' && name !== '') return name;
  if (name !== undefined && name !== null) {
    throw new InvalidOptionError(
      'name',
      `${recipe}: expected a non-empty string naming this function's cache keys, got ${typeof name === 'string' ? 'an empty string' : typeof name}`,
    );
  }
  const bare = fn.name.replace(/^(bound )+/, '');
  const example = bare === '' ? 'users.load' : `<module>.${bare}`;
  throw new InvalidOptionError(
    'name',
    `${recipe} needs { name: '${example}' }: a JavaScript function carries no module or qualified name ` +
      `(fn.name is ${fn.name === '' ? "'' here" : `'${fn.name}', shared by any other function so named`}), ` +
      "so its keys could collide with another function's; pass a name unique to this function",
  );
}
