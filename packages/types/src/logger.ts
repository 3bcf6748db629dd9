/**
 * The logging surface every uvm component accepts. It is the subset of pino's API uvm uses, so a
 * pino logger (or `console`-backed adapter) can be passed as is. Silent by default.
 */
export interface LogFn {
  (message: string): void;
  (fields: Record<string, unknown>, message?: string): void;
}

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** pino's child loggers; when absent, uvm passes the same logger down. */
  child?(bindings: Record<string, unknown>): Logger;
}

const noop: LogFn = () => undefined;

/** A logger that drops everything. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop, child: () => silentLogger });

/** `logger.child(bindings)` when the logger supports it, otherwise the logger itself. */
export function childLogger(logger: Logger, bindings: Record<string, unknown>): Logger {
  return logger.child?.(bindings) ?? logger;
}
