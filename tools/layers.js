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
 * @param {string} from short package name (e.g. "builder")
 * @param {string} to short package name
 * @returns {boolean}
 */
export function isAllowedEdge(from, to) {
  if (from === to) return true;
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
