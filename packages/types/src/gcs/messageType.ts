/**
 * The 32-bit `Type` field of a GCS bridge header (gcs-bridge.md §2.2):
 * `[kind:4][category:8][message id:12][version:8]`.
 */
import { ValidationError, type ValidationIssue } from '../errors.js';
import { assertUint32, describe, isIntegerIn } from './inputChecks.js';

/** Bits 31..28: request, response or notification. */
export const GCS_MESSAGE_KIND_MASK = 0xf0000000;
/** Bits 27..20: the category (compute system or compute service). */
export const GCS_MESSAGE_CATEGORY_MASK = 0x0ff00000;
/** Bits 19..8: the message id within its category. */
export const GCS_MESSAGE_ID_MASK = 0x000fff00;
export const GCS_MESSAGE_ID_SHIFT = 8;
/** Bits 7..0: the message version. */
export const GCS_MESSAGE_VERSION_MASK = 0x000000ff;
/** Every message defined today carries version 1. */
export const GCS_MESSAGE_VERSION = 1;

/** The kind bits of each message kind. */
export const GcsMessageKind = {
  none: 0x00000000,
  request: 0x10000000,
  response: 0x20000000,
  notification: 0x30000000,
} as const;
export type GcsMessageKind = keyof typeof GcsMessageKind;

/** The category bits of each category. */
export const GcsMessageCategory = {
  none: 0x00000000,
  computeSystem: 0x00100000,
  computeService: 0x00200000,
} as const;
export type GcsMessageCategory = keyof typeof GcsMessageCategory;

export interface GcsMessageTypeParts {
  readonly kind: GcsMessageKind;
  readonly category: GcsMessageCategory;
  /** 0..0xFFF. */
  readonly id: number;
  /** 0..0xFF; {@link GCS_MESSAGE_VERSION} when omitted. */
  readonly version?: number;
}

/** A decoded `Type`; kind or category bits that no message defines read as `'unknown'`. */
export interface DecodedGcsMessageType {
  readonly kind: GcsMessageKind | 'unknown';
  readonly category: GcsMessageCategory | 'unknown';
  readonly id: number;
  readonly version: number;
}

/** Builds a header `Type` from its parts; throws ValidationError for parts outside their fields. */
export function encodeMessageType(parts: GcsMessageTypeParts): number {
  const version = parts.version ?? GCS_MESSAGE_VERSION;
  const issues: ValidationIssue[] = [];
  if (!Object.hasOwn(GcsMessageKind, parts.kind)) {
    issues.push({ path: '/kind', message: `must be one of ${Object.keys(GcsMessageKind).join(', ')}; got ${describe(parts.kind)}.` });
  }
  if (!Object.hasOwn(GcsMessageCategory, parts.category)) {
    issues.push({ path: '/category', message: `must be one of ${Object.keys(GcsMessageCategory).join(', ')}; got ${describe(parts.category)}.` });
  }
  if (!isIntegerIn(parts.id, 0, 0xfff)) issues.push({ path: '/id', message: `must be an integer from 0 to 4095 (12 bits); got ${describe(parts.id)}.` });
  if (!isIntegerIn(version, 0, 0xff)) issues.push({ path: '/version', message: `must be an integer from 0 to 255 (8 bits); got ${describe(version)}.` });
  if (issues.length > 0) throw new ValidationError('GCS message type', issues);
  return (GcsMessageKind[parts.kind] | GcsMessageCategory[parts.category] | (parts.id << GCS_MESSAGE_ID_SHIFT) | version) >>> 0;
}

/** Splits a header `Type` into its parts; never throws for a uint32 (see {@link DecodedGcsMessageType}). */
export function decodeMessageType(type: number): DecodedGcsMessageType {
  assertUint32(type, 'type');
  const t = type >>> 0;
  return {
    kind: nameOf(GcsMessageKind, (t & GCS_MESSAGE_KIND_MASK) >>> 0),
    category: nameOf(GcsMessageCategory, t & GCS_MESSAGE_CATEGORY_MASK),
    id: (t & GCS_MESSAGE_ID_MASK) >>> GCS_MESSAGE_ID_SHIFT,
    version: t & GCS_MESSAGE_VERSION_MASK,
  };
}

function nameOf<K extends string>(table: Readonly<Record<K, number>>, bits: number): K | 'unknown' {
  for (const [name, value] of Object.entries(table) as [K, number][]) if (value === bits) return name;
  return 'unknown';
}
