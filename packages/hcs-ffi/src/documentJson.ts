import { ValidationError, toHcsJson } from '@uvm/types';

type Schema = Parameters<typeof toHcsJson>[1];

/**
 * The JSON text to send for a document argument: a string passes through unchanged, an object is
 * written as Go's encoding/json would write the schema's struct (`toHcsJson`), or with
 * JSON.stringify when the document has no schema (schema-1 queries, guest-specific options).
 */
export function documentJson(operation: string, argument: string, value: unknown, schema: Schema | undefined): string {
  if (typeof value === 'string') {
    // A NUL would end the UTF-16 string HCS receives, silently cutting the document short.
    if (value.includes('\0')) {
      throw new ValidationError(`${operation} ${argument}`, [{ path: '', message: `${argument} must not contain a NUL character.` }]);
    }
    return value;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(`${operation} ${argument}`, [
      { path: '', message: `${argument} must be a JSON string or an object; got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}.` },
    ]);
  }
  return schema === undefined ? JSON.stringify(value) : toHcsJson(value, schema);
}

/** Checks a string argument HCS receives as PCWSTR (ids, paths): non-empty, no NUL. */
export function checkText(operation: string, argument: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.includes('\0')) {
    throw new ValidationError(`${operation} arguments`, [
      { path: `/${argument}`, message: `${argument} must be a non-empty string without NUL characters; got ${typeof value === 'string' ? JSON.stringify(value) : typeof value}.` },
    ]);
  }
  return value;
}
