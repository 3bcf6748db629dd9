/**
 * JSON-in-string fields (gcs-bridge.md §2.1): a few GCS fields carry a JSON document encoded as a
 * JSON string. The schemas in this package describe them decoded, and `toGoJson` encodes them; a
 * receiver decodes them with {@link decodeJsonInStringFields} before validating a body.
 */
import { ValidationError, type ValidationIssue } from '../errors.js';
import { GO_FIELD, toGoJson, type GoField } from '../goJson.js';
import { escapePointer } from '../schemaIssues.js';
import type { ValidationResult } from '../schemaValidation.js';
import { describe } from './inputChecks.js';

/**
 * Every double-encoded field, by message type, as JSON pointers into the body. A receiver must
 * decode these before reading them; a sender passes either the document or its JSON text.
 */
export const GCS_JSON_IN_STRING_FIELDS = {
  GcsCreateRequest: ['/ContainerConfig'],
  GcsExecuteProcessRequest: ['/Settings/ProcessParameters'],
  GcsGetPropertiesRequest: ['/Query'],
  GcsGetPropertiesV2Request: ['/Query'],
  GcsGetPropertiesResponse: ['/Properties'],
  GcsContainerNotification: ['/ResultInfo'],
  LinuxGuestGetPropertiesResponse: ['/Properties'],
  LinuxGuestContainerNotification: ['/ResultInfo'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/**
 * The JSON text to put in a JSON-in-string field: `value` written with `toGoJson` when a schema is
 * given (Go's key order and omissions), else with JSON.stringify. `undefined` becomes `null`, as Go
 * writes a nil value. Throws ValidationError for values JSON cannot hold (BigInt, cycles).
 */
export function encodeJsonInString(value: unknown, schema?: object): string {
  try {
    const text = schema === undefined ? (JSON.stringify(value) as string | undefined) : toGoJson(value, schema);
    return text ?? 'null';
  } catch (error) {
    throw new ValidationError('JSON-in-string value', [{ path: '', message: `cannot be written as JSON: ${messageOf(error)}.` }], { cause: error });
  }
}

/** Parses the content of a JSON-in-string field. Never throws. */
export function decodeJsonInString(text: unknown): ValidationResult<unknown> {
  return decodeAt(text, '');
}

/**
 * A copy of `body` in which every field that `schema` marks as JSON-in-string (at any depth of
 * nested structs) holds its decoded document instead of the string. Absent fields stay absent.
 * Never throws: a field that is not a string, or not JSON, becomes an issue with its JSON pointer.
 */
export function decodeJsonInStringFields(body: unknown, schema: object): ValidationResult<unknown> {
  const issues: ValidationIssue[] = [];
  const value = decodeStruct(body, schema, '', issues);
  return issues.length === 0 ? { ok: true, value } : { ok: false, issues };
}

interface SchemaNode {
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly [GO_FIELD]?: GoField;
}

function decodeStruct(value: unknown, schema: SchemaNode, path: string, issues: ValidationIssue[]): unknown {
  const properties = schema.properties;
  if (properties === undefined || !isRecord(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, fieldSchema] of Object.entries(properties)) {
    if (!Object.hasOwn(value, key) || value[key] === undefined) continue;
    const fieldPath = `${path}/${escapePointer(key)}`;
    let decoded: unknown;
    if (fieldSchema[GO_FIELD]?.jsonInString === true) {
      const result = decodeAt(value[key], fieldPath);
      if (!result.ok) {
        issues.push(...result.issues);
        continue;
      }
      decoded = result.value;
    } else {
      decoded = decodeStruct(value[key], fieldSchema, fieldPath, issues);
    }
    if (decoded !== value[key]) (copy ??= { ...value })[key] = decoded;
  }
  return copy ?? value;
}

function decodeAt(text: unknown, path: string): ValidationResult<unknown> {
  if (typeof text !== 'string') {
    return { ok: false, issues: [{ path, message: `must be a JSON string holding a JSON document (the field is double-encoded); got ${describe(text)}.` }] };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, issues: [{ path, message: `holds text that is not JSON (${messageOf(error)}); it must be a JSON document encoded as a string.` }] };
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
}
