import { didYouMean } from './didYouMean.js';
import type { ValidationIssue } from './errors.js';
import { FORMATS } from './stringFormats.js';

// Collects every problem of a value against a JSON Schema (the subset TypeBox builds: objects with
// properties or patternProperties, arrays, strings, integers, numbers, booleans, null, enum, const,
// anyOf/oneOf/allOf, $ref into $defs) and says each in a sentence. It runs only after the compiled
// check failed, so it favours clear messages over speed, and it never throws: every read of the
// value is guarded, cycles and absurd depth are reported, not followed.

type Schema = Readonly<Record<string, unknown>>;

/** How deep a value may nest before it is reported rather than walked (HCS documents nest ~10 levels). */
export const MAX_DEPTH = 256;
/** How many issues one call reports before it stops. */
export const MAX_ISSUES = 100;

interface Walk {
  readonly strict: boolean;
  readonly issues: ValidationIssue[];
  readonly ancestors: object[];
  full: boolean;
}

/** Every problem of `value` against `schema`, at most {@link MAX_ISSUES} (then a last issue says so). */
export function collectIssues(schema: object, value: unknown, strict: boolean): ValidationIssue[] {
  const walk: Walk = { strict, issues: [], ancestors: [], full: false };
  visit(schema as Schema, value, '', walk, new Map());
  return walk.issues;
}

function report(walk: Walk, path: string, message: string): void {
  if (walk.full) return;
  if (walk.issues.length >= MAX_ISSUES) {
    walk.issues.push({ path: '', message: `More problems were found but not listed; fix these ${MAX_ISSUES} first.` });
    walk.full = true;
    return;
  }
  walk.issues.push({ path, message });
}

function visit(schema: Schema, value: unknown, path: string, walk: Walk, defs: ReadonlyMap<string, Schema>): void {
  if (walk.full) return;
  const scope = withDefs(schema, defs);
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, scope);
    if (target === undefined) report(walk, path, `cannot be checked: the schema refers to "${schema.$ref}", which it does not define.`);
    else visit(target, value, path, walk, scope);
    return;
  }
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf as Schema[]) visit(part, value, path, walk, scope);
  const variants = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined) as Schema[] | undefined;
  if (variants !== undefined) {
    visitVariants(schema, variants, value, path, walk, scope);
    return;
  }
  if (Array.isArray(schema.enum)) {
    checkEnum(schema.enum as unknown[], value, path, walk);
    return;
  }
  if ('const' in schema) {
    if (!Object.is(value, schema.const)) report(walk, path, `must be ${literal(schema.const)}; found ${describe(value)}.`);
    return;
  }
  switch (schema.type) {
    case 'object':
      visitObject(schema, value, path, walk, scope);
      return;
    case 'array':
      visitArray(schema, value, path, walk, scope);
      return;
    case 'string':
      checkString(schema, value, path, walk);
      return;
    case 'integer':
    case 'number':
      checkNumber(schema, value, path, walk);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') report(walk, path, `must be true or false; found ${describe(value)}.${quotedHint(value, 'boolean')}`);
      return;
    case 'null':
      if (value !== null) report(walk, path, `must be null; found ${describe(value)}.`);
      return;
    default:
      // No type: any JSON value (Go interface{} / json.RawMessage).
      checkJsonValue(value, path, walk);
  }
}

function withDefs(schema: Schema, defs: ReadonlyMap<string, Schema>): ReadonlyMap<string, Schema> {
  const own = schema.$defs;
  if (typeof own !== 'object' || own === null) return defs;
  const merged = new Map(defs);
  for (const [name, def] of Object.entries(own as Record<string, Schema>)) {
    merged.set(name, def);
    merged.set(`#/$defs/${name}`, def);
    if (typeof def.$id === 'string') merged.set(def.$id, def);
  }
  return merged;
}

function resolveRef(ref: string, defs: ReadonlyMap<string, Schema>): Schema | undefined {
  return defs.get(ref);
}

function visitVariants(schema: Schema, variants: Schema[], value: unknown, path: string, walk: Walk, defs: ReadonlyMap<string, Schema>): void {
  if (variants.every((v) => 'const' in v)) {
    checkEnum(
      variants.map((v) => v.const),
      value,
      path,
      walk,
    );
    return;
  }
  let best: ValidationIssue[] | undefined;
  for (const variant of variants) {
    const trial: Walk = { strict: walk.strict, issues: [], ancestors: walk.ancestors, full: false };
    visit(variant, value, path, trial, defs);
    if (trial.issues.length === 0) return;
    if (best === undefined || trial.issues.length < best.length) best = trial.issues;
  }
  const name = typeof schema.title === 'string' ? ` of ${schema.title}` : '';
  report(walk, path, `matches none of the ${variants.length} allowed forms${name}; the closest form reports the problems below.`);
  for (const issue of best ?? []) report(walk, issue.path, issue.message);
}

function checkEnum(allowed: unknown[], value: unknown, path: string, walk: Walk): void {
  if (allowed.some((a) => Object.is(a, value))) return;
  const list = allowed.map(literal).join(', ');
  const guess = typeof value === 'string' ? didYouMean(value, allowed.filter((a): a is string => typeof a === 'string')) : undefined;
  const hint = guess === undefined ? '' : ` Did you mean "${guess}"?`;
  report(walk, path, `must be one of ${list}; found ${describe(value)}.${hint}`);
}

function visitObject(schema: Schema, value: unknown, path: string, walk: Walk, defs: ReadonlyMap<string, Schema>): void {
  const expected = expectation(schema);
  if (!isObjectLike(value)) {
    report(walk, path, `must be ${expected}; found ${describe(value)}.${nullHint(value)}`);
    return;
  }
  if (!isPlainObject(value)) {
    report(walk, path, `must be ${expected} written as a plain object literal; found ${describe(value)}.`);
    return;
  }
  if (!enter(value, path, walk)) return;
  try {
    const keys = ownKeys(value, path, walk);
    if (keys === undefined) return;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const patterns = patternEntries(schema);
    const additional = schema.additionalProperties;
    const closed = additional === false && (patterns.length > 0 || walk.strict);
    const present = new Set<string>();
    for (const key of keys) {
      if (walk.full) return;
      const keyPath = `${path}/${escapePointer(key)}`;
      const v = read(value, key, keyPath, walk);
      if (v === unreadable) continue;
      present.add(key);
      if (v === undefined) {
        report(walk, keyPath, 'is undefined, which JSON cannot carry; delete the key to leave the field out.');
        continue;
      }
      if (Object.hasOwn(properties, key)) {
        visit(properties[key] as Schema, v, keyPath, walk, defs);
        continue;
      }
      const pattern = patterns.find(([regex]) => regex.test(key));
      if (pattern !== undefined) {
        visit(pattern[1], v, keyPath, walk, defs);
        continue;
      }
      if (closed) {
        report(walk, keyPath, unknownKeyMessage(schema, key, patterns));
      } else if (typeof additional === 'object' && additional !== null) {
        visit(additional as Schema, v, keyPath, walk, defs);
      } else {
        checkJsonValue(v, keyPath, walk);
      }
    }
    if (Array.isArray(schema.required)) {
      for (const key of schema.required as string[]) {
        if (present.has(key)) continue;
        const fieldSchema = properties[key];
        const what = fieldSchema === undefined ? 'a value' : expectation(fieldSchema);
        report(walk, `${path}/${escapePointer(key)}`, `is missing; ${nameOf(schema)} always carries this field (${what}).`);
      }
    }
  } finally {
    walk.ancestors.pop();
  }
}

function unknownKeyMessage(schema: Schema, key: string, patterns: ReadonlyArray<readonly [RegExp, Schema, string]>): string {
  if (patterns.length > 0 && schema.properties === undefined) {
    const rules = patterns.map(([, , source]) => keyRule(source)).join(' or ');
    return `is not an allowed key of this map: keys must be ${rules}.${braceHint(key)}`;
  }
  const known = Object.keys((schema.properties ?? {}));
  const guess = didYouMean(key, known);
  const owner = nameOf(schema);
  if (guess !== undefined) return `is not a key of ${owner}; did you mean "${guess}"? Keys are case-sensitive.`;
  const list = known.length === 0 ? `${owner} has no keys` : `its keys are ${known.join(', ')}`;
  return `is not a key of ${owner} (${list}). Remove it, or validate with { strict: false } to pass keys that newer Windows builds accept.`;
}

function keyRule(pattern: string): string {
  return FORMATS.get(pattern)?.expected ?? `strings matching /${pattern}/`;
}

function braceHint(key: string): string {
  return /^\{[0-9a-fA-F-]{36}\}$/.test(key) ? ' Remove the braces around the GUID.' : '';
}

function visitArray(schema: Schema, value: unknown, path: string, walk: Walk, defs: ReadonlyMap<string, Schema>): void {
  if (!Array.isArray(value)) {
    report(walk, path, `must be ${expectation(schema)}; found ${describe(value)}.${nullHint(value)}`);
    return;
  }
  if (!enter(value, path, walk)) return;
  try {
    const length = value.length;
    const min = typeof schema.minItems === 'number' ? schema.minItems : undefined;
    const max = typeof schema.maxItems === 'number' ? schema.maxItems : undefined;
    if ((min !== undefined && length < min) || (max !== undefined && length > max)) {
      report(walk, path, `must have ${countRange(min, max)}; found ${length}.`);
    }
    const items = typeof schema.items === 'object' && schema.items !== null ? (schema.items as Schema) : undefined;
    for (let i = 0; i < length; i++) {
      if (walk.full) return;
      const itemPath = `${path}/${i}`;
      const item = read(value, String(i), itemPath, walk);
      if (item === unreadable) continue;
      if (item === undefined) {
        report(walk, itemPath, 'is undefined (or a hole in a sparse array), which JSON cannot carry.');
        continue;
      }
      if (items === undefined) checkJsonValue(item, itemPath, walk);
      else visit(items, item, itemPath, walk, defs);
    }
  } finally {
    walk.ancestors.pop();
  }
}

function countRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && min === max) return `exactly ${min} item${min === 1 ? '' : 's'}`;
  if (min !== undefined && max !== undefined) return `${min} to ${max} items`;
  if (min !== undefined) return `at least ${min} item${min === 1 ? '' : 's'}`;
  return `at most ${max ?? 0} item${max === 1 ? '' : 's'}`;
}

const patternCache = new Map<string, RegExp | null>();

function regexFor(pattern: string): RegExp | null {
  let regex = patternCache.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      regex = null;
    }
    patternCache.set(pattern, regex);
  }
  return regex;
}

function patternEntries(schema: Schema): Array<readonly [RegExp, Schema, string]> {
  const patterns = schema.patternProperties;
  if (typeof patterns !== 'object' || patterns === null) return [];
  const entries: Array<readonly [RegExp, Schema, string]> = [];
  for (const [source, sub] of Object.entries(patterns as Record<string, Schema>)) {
    const regex = regexFor(source);
    if (regex !== null) entries.push([regex, sub, source]);
  }
  return entries;
}

function checkString(schema: Schema, value: unknown, path: string, walk: Walk): void {
  if (typeof value !== 'string') {
    report(walk, path, `must be ${expectation(schema)}; found ${describe(value)}.${bytesHint(schema, value)}${nullHint(value)}`);
    return;
  }
  if (typeof schema.pattern === 'string') {
    const regex = regexFor(schema.pattern);
    if (regex !== null && !regex.test(value)) {
      report(walk, path, `must be ${expectation(schema)}; found ${describe(value)}.${braceHint(value)}`);
      return;
    }
  }
  const min = typeof schema.minLength === 'number' ? schema.minLength : undefined;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  const length = codePoints(value);
  if (min !== undefined && length < min) report(walk, path, `must be at least ${min} character${min === 1 ? '' : 's'} long; found ${length}.`);
  if (max !== undefined && length > max) report(walk, path, `must be at most ${max} character${max === 1 ? '' : 's'} long; found ${length}.`);
}

/** JSON Schema counts string length in code points, not UTF-16 units. */
function codePoints(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    count++;
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return count;
}

function bytesHint(schema: Schema, value: unknown): string {
  if (!ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)) return '';
  if (typeof schema.pattern === 'string' && FORMATS.get(schema.pattern)?.expected.includes('base64') === true) {
    return " Encode the bytes first, e.g. Buffer.from(bytes).toString('base64').";
  }
  return '';
}

function checkNumber(schema: Schema, value: unknown, path: string, walk: Walk): void {
  const expected = expectation(schema);
  if (typeof value === 'bigint') {
    report(walk, path, `must be ${expected}; found the BigInt ${String(value)}n. JSON has no BigInt: pass a number.`);
    return;
  }
  if (typeof value !== 'number') {
    report(walk, path, `must be ${expected}; found ${describe(value)}.${quotedHint(value, 'number')}${nullHint(value)}`);
    return;
  }
  const outside =
    !Number.isFinite(value) ||
    (schema.type === 'integer' && !Number.isInteger(value)) ||
    (typeof schema.minimum === 'number' && value < schema.minimum) ||
    (typeof schema.maximum === 'number' && value > schema.maximum) ||
    (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) ||
    (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) ||
    (typeof schema.multipleOf === 'number' && value % schema.multipleOf !== 0);
  if (outside) report(walk, path, `must be ${expected}; found ${describe(value)}.`);
}

function quotedHint(value: unknown, kind: 'number' | 'boolean'): string {
  if (typeof value !== 'string') return '';
  const t = value.trim();
  if (kind === 'number' && t !== '' && Number.isFinite(Number(t))) return ' Write the number without quotes.';
  if (kind === 'boolean' && (t === 'true' || t === 'false')) return ` Write ${t} without quotes.`;
  return '';
}

function nullHint(value: unknown): string {
  return value === null ? ' Leave the key out instead of writing null.' : '';
}

/** Values of untyped places (Go interface{}, json.RawMessage) must still be JSON. */
function checkJsonValue(value: unknown, path: string, walk: Walk): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) report(walk, path, `must be a JSON value; found ${describe(value)}, which JSON cannot represent.`);
      return;
    case 'object':
      break;
    default:
      report(walk, path, `must be a JSON value (object, array, string, number, boolean or null); found ${describe(value)}.`);
      return;
  }
  if (value === null) return;
  if (Array.isArray(value)) {
    visitArray({ type: 'array' }, value, path, walk, new Map());
    return;
  }
  if (!isPlainObject(value)) {
    report(walk, path, `must be a JSON value written as a plain object; found ${describe(value)}.`);
    return;
  }
  visitObject({ type: 'object' }, value, path, walk, new Map());
}

/** Tracks the objects being walked; false (after reporting) on a cycle or when too deep. */
function enter(value: object, path: string, walk: Walk): boolean {
  const seenAt = walk.ancestors.indexOf(value);
  if (seenAt >= 0) {
    report(walk, path, 'refers back to an object that contains it (a circular reference); JSON cannot represent cycles.');
    return false;
  }
  if (walk.ancestors.length >= MAX_DEPTH) {
    report(walk, path, `nests deeper than ${MAX_DEPTH} levels; HCS documents are never this deep.`);
    return false;
  }
  walk.ancestors.push(value);
  return true;
}

const unreadable = Symbol('unreadable');

function read(target: object, key: string, path: string, walk: Walk): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch (error) {
    report(walk, path, `could not be read: its getter threw ${errorText(error)}.`);
    return unreadable;
  }
}

// Own names, enumerable or not, as the compiled check sees them.
function ownKeys(target: object, path: string, walk: Walk): string[] | undefined {
  try {
    return Object.getOwnPropertyNames(target);
  } catch (error) {
    report(walk, path, `could not be read: listing its keys threw ${errorText(error)}.`);
    return undefined;
  }
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : describe(error);
  } catch {
    return 'an unreadable error';
  }
}

function isObjectLike(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A plain object: `{}` literal, JSON.parse output or Object.create(null); not a class instance. */
export function isPlainObject(value: object): boolean {
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    return false;
  }
}

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export function escapePointer(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
}

function nameOf(schema: Schema): string {
  return typeof schema.title === 'string' ? schema.title : 'this object';
}

/** What a schema accepts, as a phrase ("an integer from 0 to 255 (uint8)"). */
function expectation(schema: Schema): string {
  if (Array.isArray(schema.enum)) return `one of ${(schema.enum as unknown[]).map(literal).join(', ')}`;
  switch (schema.type) {
    case 'object':
      if (schema.properties !== undefined) return `a ${nameOf(schema)} object`;
      return 'an object (a map of keys to values)';
    case 'array':
      return 'an array';
    case 'string': {
      const format = typeof schema.pattern === 'string' ? FORMATS.get(schema.pattern) : undefined;
      if (format !== undefined) return format.expected;
      if (typeof schema.pattern === 'string') return `a string matching /${schema.pattern}/`;
      return 'a string';
    }
    case 'integer':
      return integerRange(schema);
    case 'number':
      return 'a finite number';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    default:
      return typeof schema.$ref === 'string' ? `a ${schema.$ref} object` : 'a JSON value';
  }
}

const GO_INTEGERS: ReadonlyArray<readonly [number, number, string]> = [
  [0, 255, 'uint8'],
  [0, 65535, 'uint16'],
  [-2147483648, 2147483647, 'int32'],
  [0, 4294967295, 'uint32'],
  [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'int64; larger magnitudes cannot be represented exactly in JavaScript'],
  [0, Number.MAX_SAFE_INTEGER, 'uint64; larger values cannot be represented exactly in JavaScript'],
];

function integerRange(schema: Schema): string {
  const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  if (min === undefined && max === undefined) return 'an integer';
  if (max === undefined) return `an integer of at least ${min ?? 0}`;
  if (min === undefined) return `an integer of at most ${max}`;
  const go = GO_INTEGERS.find(([lo, hi]) => lo === min && hi === max);
  return `an integer from ${min} to ${max}${go === undefined ? '' : ` (${go[2]})`}`;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** A short description of any value, safe for values that are not JSON. */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
    case 'number':
      return Number.isNaN(value) ? 'NaN' : `the number ${String(value)}`;
    case 'boolean':
      return `the boolean ${String(value)}`;
    case 'bigint':
      return `the BigInt ${String(value)}n`;
    case 'symbol':
      return 'a Symbol';
    case 'function':
      return 'a function';
    case 'object':
      break;
  }
  if (value === null) return 'null';
  try {
    if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
    if (isPlainObject(value)) return 'an object';
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object that is not a plain object';
  } catch {
    return 'an object that cannot be inspected';
  }
}
