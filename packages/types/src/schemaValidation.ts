import type { Static, TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { ValidationError, type ValidationIssue } from './errors.js';
import { MAX_DEPTH, collectIssues, isPlainObject } from './schemaIssues.js';

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
  const validator = validatorFor(schema, strict);
  if (validator === null) return false;
  try {
    return validator.Check(value) && isJsonData(value, 0);
  } catch {
    // A getter threw or a cycle overflowed the stack: the walk reports it properly.
    return false;
  }
}

function validatorFor(schema: TSchema, strict: boolean): Validator | null {
  let entry = compiled.get(schema);
  if (entry === undefined) {
    entry = {};
    compiled.set(schema, entry);
  }
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

/**
 * What the compiled check does not see: objects must be plain, no `undefined` values, numbers
 * finite, no BigInt/function/symbol (inside untyped fields too), no cycles (caught by depth).
 */
function isJsonData(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined || !isJsonData(item, depth + 1)) return false;
    }
    return true;
  }
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || !isJsonData(item, depth + 1)) return false;
  }
  return true;
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
