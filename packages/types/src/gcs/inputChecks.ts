// Argument checks shared by the GCS modules: bad arguments become a ValidationError that names the
// argument and the allowed range, never a TypeError or a silently wrong frame.
import { ValidationError } from '../errors.js';

export function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

export function assertUint32(value: unknown, name: string): asserts value is number {
  if (!isIntegerIn(value, 0, 0xffffffff)) {
    throw new ValidationError(`GCS ${name}`, [{ path: `/${name}`, message: `must be an unsigned 32-bit integer (0 to 0xFFFFFFFF); got ${describe(value)}.` }]);
  }
}

/** A short rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value.toString()}n`;
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
