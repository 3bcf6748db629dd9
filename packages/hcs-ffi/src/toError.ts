/** `error` as an Error: JavaScript lets anything be thrown, and callers of this package get Errors. */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
