/** An assertion in the wasm core failed: a bug in the core, never a simulated failure. */
export class CoreAssertionError extends Error {
  constructor(message: string, readonly file: string, readonly line: number, readonly column: number) {
    super(`wasm core assertion failed: ${message} (${file}:${line}:${column})`);
    this.name = 'CoreAssertionError';
  }
}

/** The wasm module could not be fetched, compiled or instantiated. */
export class CoreLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CoreLoadError';
  }
}
