import type { Static, TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { ValidationError, type ValidationIssue } from './errors.js';
import { compileFastCheck, isJsonData, type FastCheck } from './schemaFastCheck.js';
import { collectIssues } from './schemaIssues.js';

/** Options of the `validate*` and `assert*` functions. */
export interface ValidateOptions {
  /**
   * Report keys a schema does not know (default `true`). With `strict: false` unknown keys are kept
   * as they are, so fields that newer Windows builds accept reach HCS, while the known keys are
   * still checked and unknown values must still be JSON.
   */
  readonly strict?: boolean;
}

/** The outcome of a validation: the value, typed, or every problem found. */
export type ValidationResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

interface Compiled {
  strict?: Validator | null;
  loose?: Validator | null;
  fastStrict?: FastCheck | null;
  fastLoose?: FastCheck | null;
}

const compiled = new WeakMap<object, Compiled>();

/**
 * Checks `value` against a TypeBox schema. The schema is compiled once (per strictness, cached by
 * object identity, so keep schemas in module constants) and the error walk runs only when that
 * check fails. Never throws: values that are not JSON (BigInt, functions, symbols, `undefined`,
 * class instances, cycles, getters that throw) become issues.
 */
export function validateWith<S extends TSchema>(schema: S, value: unknown, options?: ValidateOptions): ValidationResult<Static<S>> {
  const strict = options?.strict !== false;
  if (passesFastCheck(schema, value, strict)) return { ok: true, value: value as Static<S> };
  let issues: ValidationIssue[];
  try {
    issues = collectIssues(schema, value, strict);
  } catch (error) {
    // The walk guards every read; reaching this means a bug in it, which must still not escape.
    issues = [{ path: '', message: `could not be validated: ${error instanceof Error ? error.message : 'unknown failure'}.` }];
  }
  if (issues.length === 0) issues = compiledIssues(schema, value, strict);
  return issues.length === 0 ? { ok: true, value: value as Static<S> } : { ok: false, issues };
}

/**
 * Like {@link validateWith}, but returns the typed value or throws one `ValidationError` naming
 * `subject` (e.g. `"ComputeSystem"`) and listing every issue.
 */
export function assertWith<S extends TSchema>(schema: S, value: unknown, subject: string, options?: ValidateOptions): Static<S> {
  const result = validateWith(schema, value, options);
  if (!result.ok) throw new ValidationError(subject, result.issues);
  return result.value;
}

function passesFastCheck(schema: TSchema, value: unknown, strict: boolean): boolean {
  // One walk that is sure only of values that pass; anything else goes to TypeBox's check.
  const fast = fastCheckFor(schema, strict);
  if (fast !== null && fast(value)) return true;
  const validator = validatorFor(schema, strict);
  if (validator === null) return false;
  try {
    return validator.Check(value) && isJsonData(value, 0);
  } catch {
    // A getter threw or a cycle overflowed the stack: the walk reports it properly.
    return false;
  }
}

function compiledFor(schema: TSchema): Compiled {
  let entry = compiled.get(schema);
  if (entry === undefined) {
    entry = {};
    compiled.set(schema, entry);
  }
  return entry;
}

function fastCheckFor(schema: TSchema, strict: boolean): FastCheck | null {
  const entry = compiledFor(schema);
  const key = strict ? 'fastStrict' : 'fastLoose';
  let check = entry[key];
  if (check === undefined) {
    check = compileFastCheck(strict ? schema : (openStructs(schema) as object)) ?? null;
    entry[key] = check;
  }
  return check;
}

function validatorFor(schema: TSchema, strict: boolean): Validator | null {
  const entry = compiledFor(schema);
  const key = strict ? 'strict' : 'loose';
  let validator = entry[key];
  if (validator === undefined) {
    try {
      validator = Compile(strict ? schema : (openStructs(schema) as TSchema));
    } catch {
      validator = null;
    }
    entry[key] = validator;
  }
  return validator;
}

/** A JSON copy of `schema` whose structs accept unknown keys (maps keep their key rules). */
function openStructs(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema), (_key, node: unknown) => {
    if (typeof node === 'object' && node !== null && !Array.isArray(node) && 'properties' in node && 'additionalProperties' in node) {
      const { additionalProperties: _dropped, ...rest } = node as Record<string, unknown>;
      return rest;
    }
    return node;
  });
}

/** The compiled validator's own errors, for the rare value it rejects that the walk accepts. */
function compiledIssues(schema: TSchema, value: unknown, strict: boolean): ValidationIssue[] {
  const validator = validatorFor(schema, strict);
  if (validator === null) return [];
  try {
    return validator.Errors(value).map((e) => ({ path: e.instancePath, message: `${e.message} (reported by the compiled schema check).` }));
  } catch {
    return [{ path: '', message: 'failed the compiled schema check, which could not say why.' }];
  }
}
