// Internal checks for the arguments of the constant helpers (GUIDs, ports, resource paths). Each
// check returns an issue instead of throwing, so a function can report every bad argument at once.
import { ValidationError, type ValidationIssue } from './errors.js';

const MAX_SHOWN = 80;

/** A value as a person would type it back: strings quoted, long ones cut. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value);
    return quoted.length > MAX_SHOWN ? `${quoted.slice(0, MAX_SHOWN - 4)}…" (${value.length} characters)` : quoted;
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

/**
 * An issue unless `value` is an integer in [min, max]. `what` names the argument for the reader;
 * `hint`, a sentence, says where the bounds come from or what to pass instead.
 */
export function integerIssue(value: unknown, path: string, min: number, max: number, what: string, hint?: string): ValidationIssue | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return undefined;
  const message = `${what} must be an integer from ${min} to ${max}; got ${showValue(value)}.`;
  return { path, message: hint === undefined ? message : `${message} ${hint}` };
}

/** An issue unless `value` is a non-empty string that can be one segment of a resource path. */
export function segmentIssue(value: unknown, path: string, what: string): ValidationIssue | undefined {
  if (typeof value !== 'string') return { path, message: `${what} must be a string; got ${showValue(value)}.` };
  if (value === '') return { path, message: `${what} must not be empty.` };
  if (value.includes('/')) {
    return { path, message: `${what} must not contain "/", which separates resource path segments; got ${showValue(value)}.` };
  }
  // A NUL would end the UTF-16 string HCS receives, silently cutting the path short.
  if (value.includes('\0')) return { path, message: `${what} must not contain a NUL character; got ${showValue(value)}.` };
  return undefined;
}

/** Throws one ValidationError listing every issue found, if any. */
export function throwIfIssues(subject: string, issues: readonly (ValidationIssue | undefined)[]): void {
  const found = issues.filter((i): i is ValidationIssue => i !== undefined);
  if (found.length > 0) throw new ValidationError(subject, found);
}
