import type { Static, TSchema } from 'typebox';
import { validateWith, type HcsDocument } from '@uvm/types';
import { invalidDocument } from './simulatedFailure.js';
import { copyJson } from './copyJson.js';

/**
 * Reads a document a caller passed to a call: a JSON string is parsed, an object taken as is; then
 * it is checked against its schema. What HCS would reject fails with ERROR_VMCOMPUTE_INVALID_JSON
 * and one error event per problem.
 */
export function readDocument<S extends TSchema>(
  document: HcsDocument<Static<S>> | undefined,
  schema: S,
  subject: string,
  context: { readonly operation: string; readonly strict: boolean; readonly systemId?: string },
): Static<S> {
  let value: unknown = document;
  if (typeof document === 'string') {
    try {
      value = JSON.parse(document);
    } catch (error) {
      throw invalidDocument(context.operation, subject, [{ path: '', message: `The ${subject} is not JSON: ${(error as Error).message}` }], context.systemId);
    }
  }
  const result = validateWith(schema, value, { strict: context.strict });
  if (!result.ok) throw invalidDocument(context.operation, subject, result.issues, context.systemId);
  return copyJson(result.value);
}

/** Reads an options string of a call HCS documents as taking one (shutdown, terminate, crash): empty or a JSON object. */
export function readOptionsString(options: string | undefined, subject: string, context: { readonly operation: string; readonly systemId?: string }): void {
  if (options === undefined || options === '') return;
  let value: unknown;
  try {
    value = JSON.parse(options);
  } catch (error) {
    throw invalidDocument(context.operation, subject, [{ path: '', message: `The ${subject} are not JSON: ${(error as Error).message}` }], context.systemId);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidDocument(context.operation, subject, [{ path: '', message: `The ${subject} must be a JSON object or empty.` }], context.systemId);
  }
}
