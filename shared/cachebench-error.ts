/**
 * The base of every typed error outside the engine (the engine, which imports nothing else, has its own
 * `CacheError` of the same shape). `code` is stable and machine-readable: the CLI maps it to an exit status
 * and tests match on it; the message is one line naming the problem and the fix. `name` is the subclass's name.
 */
export class CachebenchError<Code extends string = string> extends Error {
  readonly code: Code;
  constructor(code: Code, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
