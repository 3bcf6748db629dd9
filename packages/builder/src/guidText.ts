import { isGuid } from '@uvm/types';

/** A GUID in the lower-case form hcsshim writes; anything else unchanged, for the validator to name. */
export function lowerGuid<T>(value: T): T {
  return (isGuid(value) ? value.toLowerCase() : value) as T;
}
