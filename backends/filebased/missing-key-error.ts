/**
 * incr of a key the store does not hold. Django's BaseCache.incr raises
 * ValueError("Key '…' not found") there instead of starting a counter; the
 * filebased backend does the same, and the harness counts it as an error.
 */
import { CachebenchError } from '../../shared/cachebench-error.js';
export class MissingKeyError extends CachebenchError<'MISSING_KEY'> {
  constructor(
    readonly backend: string,
    readonly key: string,
  ) {
    super(
      'MISSING_KEY',
      `${backend}: incr of missing key "${key}" (Django's incr raises ValueError: Key not found; set the key first)`,
    );
  }
}
