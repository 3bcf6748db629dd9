// @ts-check
/**
 * The layer matrix of DESIGN.md §1: which @uvm packages each package may depend on.
 * Both tools/checkLayers.js and the ESLint rule in tools/eslintPluginLayers.js read it,
 * so the command line and the editor always give the same answer.
 */

export const SCOPE = '@uvm/';

/** @type {Readonly<Record<string, readonly string[] | '*'>>} */
export const ALLOWED = Object.freeze({
  types: [],
  builder: ['types'],
  'hcs-ffi': ['types'],
  sim: ['types'],
  vmmanager: ['types', 'hcs-ffi'],
  guest: ['types'],
  controller: ['types', 'builder', 'vmmanager', 'guest'],
  cli: '*',
  integration: '*',
});

/**
 * Extra edges for test and bench code only (never `src/`, never `dependencies`): the VM manager is
 * proven against the HCS simulator, which implements the same `Hcs` interface its users pass in.
 * @type {Readonly<Record<string, readonly string[]>>}
 */
export const TEST_ALLOWED = Object.freeze({
  vmmanager: ['sim'],
});

/**
 * @param {string} from short package name (e.g. "builder")
 * @param {string} to short package name
 * @param {'src' | 'test'} [kind] whether the edge comes from shipped code or from test/bench code
 * @returns {boolean}
 */
export function isAllowedEdge(from, to, kind = 'src') {
  if (from === to) return true;
  if (kind === 'test' && TEST_ALLOWED[from]?.includes(to) === true) return true;
  const allowed = ALLOWED[from];
  if (allowed === undefined) return false;
  if (allowed === '*') return Object.hasOwn(ALLOWED, to);
  return allowed.includes(to);
}

/**
 * @param {string} from
 * @returns {string} the allowed targets as a sentence fragment
 */
export function describeAllowed(from) {
  const allowed = ALLOWED[from];
  if (allowed === undefined) return 'nothing (it is not in the layer matrix of DESIGN.md §1)';
  if (allowed === '*') return 'any @uvm package';
  if (allowed.length === 0) return 'no other @uvm package';
  return allowed.map((p) => SCOPE + p).join(', ');
}
