import { CacheDirectoryError, CacheError, CacheIOError } from './errors.js';

/** errno codes meaning the cache directory cannot take the write: typed as CacheDirectoryError. */
const CANNOT_WRITE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT']);

/** The errno code of a failed Node fs call (`EIO`), or undefined for any other error. */
export function errnoCode(error: unknown): string | undefined {
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  return typeof code === 'string' && typeof syscall === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/**
 * Turns a failed file call about `file` (a spill file, its folder, cache.db's
 * header) into the engine's typed errors: a full or unwritable directory is
 * CacheDirectoryError (`action` says what could not be done, e.g. `write
 * spill file …`), any other errno (EIO from a failing disk) CacheIOError.
 * Engine errors and errors that are not fs errors pass through unchanged.
 */
export function mapFsError(error: unknown, file: string, directory: string, action = `write ${file}`): unknown {
  if (error instanceof CacheError) return error;
  const code = errnoCode(error);
  if (code === undefined) return error;
  if (CANNOT_WRITE.has(code))
    return new CacheDirectoryError(directory, `cannot ${action} (${code}); check permissions and free space`, error);
  return new CacheIOError(file, code, error);
}
