import Type from 'typebox';

// String formats of HCS and GCS documents. The validator turns a failed `pattern` into a
// sentence through FORMATS, so every pattern used in a schema is listed there.

export const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
// GCS bodies carry Go guid.GUID values, which Go always writes in lower case.
export const LOWER_GUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
// Go's encoding/json writes []byte with padded standard base64.
export const BASE64_PATTERN = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';
export const DATE_TIME_PATTERN =
  '^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\\.[0-9]+)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$';
export const LUN_PATTERN = '^(?:[0-9]|[1-5][0-9]|6[0-3])$';
export const DECIMAL_KEY_PATTERN = '^(?:0|[1-9][0-9]{0,9})$';

/** Go's zero `time.Time`, which encoding/json writes for an unset time field. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface StringFormat {
  /** What the value must be, as a phrase: "a GUID (…)". */
  readonly expected: string;
}

export const FORMATS: ReadonlyMap<string, StringFormat> = new Map([
  [GUID_PATTERN, { expected: 'a GUID: 32 hexadecimal digits grouped 8-4-4-4-12 with hyphens and no braces, e.g. "6f1d4a3c-2b5e-4c8d-9a7f-0e1b2c3d4e5f"' }],
  [LOWER_GUID_PATTERN, { expected: 'a lower-case GUID, as Go writes it: 32 digits 0-9 or a-f grouped 8-4-4-4-12 with hyphens and no braces, e.g. "6f1d4a3c-2b5e-4c8d-9a7f-0e1b2c3d4e5f"' }],
  [BASE64_PATTERN, { expected: 'standard padded base64 (A-Z, a-z, 0-9, "+", "/", "=" padding), e.g. "aGVsbG8="' }],
  [DATE_TIME_PATTERN, { expected: 'an RFC 3339 time such as "2026-01-31T12:00:00Z" or "2026-01-31T12:00:00.5+01:00"' }],
  [LUN_PATTERN, { expected: 'a SCSI LUN written in decimal, "0" to "63" without leading zeros' }],
  [DECIMAL_KEY_PATTERN, { expected: 'a non-negative decimal number without leading zeros, e.g. "0"' }],
]);

/** A GUID string, 8-4-4-4-12 hexadecimal digits, no braces. */
export const guid = () => Type.String({ pattern: GUID_PATTERN });
/** A GUID in lower case, as Go's guid.GUID writes it (GCS bodies). */
export const lowerGuid = () => Type.String({ pattern: LOWER_GUID_PATTERN });
/** Bytes (Go `[]byte`) as standard base64. */
export const base64 = () => Type.String({ pattern: BASE64_PATTERN });
/** A Go `time.Time` as an RFC 3339 string. */
export const dateTime = () => Type.String({ pattern: DATE_TIME_PATTERN });
/** A SCSI LUN map key, "0" to "63". */
export const lun = () => Type.String({ pattern: LUN_PATTERN });
/** A map key holding a decimal index (COM port number, VPMem slot). */
export const decimalKey = () => Type.String({ pattern: DECIMAL_KEY_PATTERN });
