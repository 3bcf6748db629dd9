// Field helpers the GCS bodies add to the HCS schema's (hcs/schema/fields.ts): Go's always-written
// fields, JSON-in-string fields and lower-case GUIDs.
import { goField } from '../goJson.js';
import { lowerGuid } from '../stringFormats.js';

/** A GUID as Go's guid.GUID writes it: lower-case, 36 characters, no braces. */
export const Guid = lowerGuid();

export const NULL_GUID_TEXT = '00000000-0000-0000-0000-000000000000';

/** A Go field without `omitempty` (or a struct, which `omitempty` never drops): always written. */
export function kept<T extends object>(schema: T): T {
  return goField(schema, { keep: true });
}

/**
 * A field whose Go type marshals as text holding JSON (hcsshim's AnyInString and the property
 * query/properties wrappers). `zero` is what Go writes when the field is absent and always written.
 */
export function jsonInString<T extends object>(schema: T, options: { readonly keep: boolean; readonly zero?: string }): T {
  return goField(schema, options.keep ? { keep: true, jsonInString: true, ...(options.zero === undefined ? {} : { zero: options.zero }) } : { jsonInString: true });
}
