import { showValue } from '@uvm/types';

const ABSOLUTE_WINDOWS_PATH = /^(?:[A-Za-z]:[\\/]|\\\\)/;

/**
 * Why `value` cannot be a host path HCS opens, or undefined when it can: it must be a non-empty
 * string without NUL (which would end the UTF-16 string HCS reads) and, unless `absolute` is false,
 * an absolute Windows path (`C:\…` or `\\server\share\…`), since HCS resolves nothing relative.
 */
export function hostPathProblem(value: unknown, what: string, absolute = true): string | undefined {
  if (value === undefined || value === '') return `${what} is required: give the path of the file on the host.`;
  if (typeof value !== 'string') return `${what} must be a string path; got ${showValue(value)}.`;
  if (value.includes('\0')) return `${what} contains a NUL character, which would cut the path short where HCS reads it; remove it.`;
  if (absolute && !ABSOLUTE_WINDOWS_PATH.test(value)) {
    return `${what} must be an absolute Windows path such as C:\\uvm\\disk.vhdx or \\\\server\\share\\disk.vhdx; got ${showValue(value)}.`;
  }
  return undefined;
}

/** Why `value` cannot be a name HCS stores (share name, NIC id), or undefined: non-empty, no NUL. */
export function nameProblem(value: unknown, what: string): string | undefined {
  if (value === undefined || value === '') return `${what} is required and must not be empty.`;
  if (typeof value !== 'string') return `${what} must be a string; got ${showValue(value)}.`;
  if (value.includes('\0')) return `${what} contains a NUL character; remove it.`;
  return undefined;
}

// Owner, group, DACL and SACL parts of an SDDL string; ACEs are parenthesised.
const SDDL = /^(?=.)(?:O:[^():]+?)?(?:G:[^():]+?)?(?:D:[A-Z_]*(?:\([^()]*\))*)?(?:S:[A-Z_]*(?:\([^()]*\))*)?$/;

/** Why `value` is not an SDDL security descriptor such as `D:P(A;;FA;;;SY)(A;;FA;;;BA)`, or undefined. */
export function sddlProblem(value: unknown, what: string): string | undefined {
  if (typeof value !== 'string' || !SDDL.test(value)) {
    return `${what} must be an SDDL security descriptor such as "D:P(A;;FA;;;SY)(A;;FA;;;BA)" (SYSTEM and Administrators); got ${showValue(value)}.`;
  }
  return undefined;
}
