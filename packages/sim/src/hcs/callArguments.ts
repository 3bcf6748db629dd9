import { ValidationError, showValue, type ComputeSystemQuery, type ValidationIssue } from '@uvm/types';

// Checks of the arguments of individual calls, so a bad one is a ValidationError naming it.


export function checkSystemId(id: unknown, operation: string): void {
  if (typeof id !== 'string' || id === '' || id.length > 256) {
    throw new ValidationError(`${operation} id`, [{ path: '/id', message: `The compute system id must be a non-empty string of at most 256 characters; got ${showValue(id)}.` }]);
  }
}


export function checkPath(path: unknown, operation: string): void {
  if (typeof path !== 'string' || path === '') {
    throw new ValidationError(`${operation} arguments`, [{ path: '/path', message: `path must be a non-empty file path; got ${showValue(path)}.` }]);
  }
}


export function checkAccessArguments(vmId: unknown, path: unknown, operation: string): void {
  if (typeof vmId !== 'string' || vmId === '') {
    throw new ValidationError(`${operation} arguments`, [{ path: '/vmId', message: `vmId must be the compute system id; got ${showValue(vmId)}.` }]);
  }
  checkPath(path, operation);
}


/** Checks a schema-1 query of HcsEnumerateComputeSystems. */
export function readComputeSystemQuery(query: unknown): ComputeSystemQuery {
  if (query === undefined) return {};
  const issues: ValidationIssue[] = [];
  if (typeof query !== 'object' || query === null) throw new ValidationError('compute system query', [{ path: '', message: 'The query must be an object with optional Ids, Types, Names, Owners arrays.' }]);
  for (const [key, value] of Object.entries(query)) {
    if (!['Ids', 'Types', 'Names', 'Owners'].includes(key)) issues.push({ path: `/${key}`, message: `Unknown key "${key}"; a query has Ids, Types, Names and Owners.` });
    else if (value !== undefined && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) issues.push({ path: `/${key}`, message: `${key} must be an array of strings.` });
  }
  if (issues.length > 0) throw new ValidationError('compute system query', issues);
  return query;
}


/** Whether a system's value passes one list of a query (absent list: everything passes). */
export function matchesQuery(wanted: readonly string[] | undefined, value: string | undefined): boolean {
  return wanted === undefined || (value !== undefined && wanted.some((w) => w.toLowerCase() === value.toLowerCase()));
}


