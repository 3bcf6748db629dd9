import type { TSchema } from 'typebox';
import { ValidationError } from '../errors.js';
import { toGoJson } from '../goJson.js';
import { validateWith } from '../schemaValidation.js';
import { ComputeSystemSchema } from './schema/computeSystem.js';

/**
 * The JSON text HCS receives for `value`, shaped as hcsshim's Go encoding/json writes it
 * (hcs-host.md §5.0): zero values left out, `{}` for present empty structs, pointer scalars kept
 * even when `false` or `0`, keys in declaration order, map keys sorted, keys the schema does not
 * know (allowed by `{ strict: false }`) after the known ones.
 *
 * It does not validate: call `assertComputeSystem` (or `assertWith`) first. A value that cannot be
 * written at all (a cycle, a BigInt) throws a `ValidationError` naming the problem.
 */
export function toHcsJson(value: unknown, schema: TSchema = ComputeSystemSchema): string {
  try {
    return toGoJson(value, schema);
  } catch (error) {
    const result = validateWith(schema, value, { strict: false });
    const title = (schema as { title?: unknown }).title;
    const subject = typeof title === 'string' ? title : 'HCS document';
    const issues = result.ok
      ? [{ path: '', message: `could not be serialized: ${error instanceof Error ? error.message : String(error)}.` }]
      : result.issues;
    throw new ValidationError(subject, issues, { cause: error });
  }
}
