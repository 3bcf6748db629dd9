import type { ValidationIssue } from './errors.js';
import { integerIssue, throwIfIssues } from './argumentChecks.js';
import { isGuid } from './guid.js';

// hcsshim names a UVM's SCSI controllers by fixed GUIDs, so host and guest agree on which
// controller is which (hcs-host.md §3.4).

/** The most SCSI controllers a UVM has. */
export const MAX_SCSI_CONTROLLERS = 4;

/** LUNs on one SCSI controller (fixed by Hyper-V); a disk's slot is controller × 64 + LUN. */
export const SCSI_LUNS_PER_CONTROLLER = 64;

/**
 * The key of each SCSI controller in `VirtualMachine.Devices.Scsi` and in SCSI resource paths,
 * by controller index: UUIDv5 of the decimal index in namespace `d422512d-2bf2-4752-809d-7b82b5fcb1b4`.
 */
export const SCSI_CONTROLLER_GUIDS = Object.freeze([
  'df6d0690-79e5-55b6-a5ec-c1e2f77f580a',
  '0110f83b-de10-5172-a266-78bca56bf50a',
  'b5d2d8d4-3a75-51bf-945b-3444dc6b8579',
  '305891a9-b251-5dfe-91a2-c25d9212275b',
] as const);

/** The GUID of SCSI controller `index` (0–3); a ValidationError for any other index. */
export function scsiControllerGuid(index: number): string {
  throwIfIssues('SCSI controller', [controllerIssue(index, '/index', 'index')]);
  return SCSI_CONTROLLER_GUIDS[index] as string;
}

/** The issue for a SCSI controller index out of range, or undefined. */
export function controllerIssue(value: unknown, path: string, what: string): ValidationIssue | undefined {
  const hint = isGuid(value)
    ? 'Pass the index of the controller, not its GUID.'
    : `A UVM has at most ${MAX_SCSI_CONTROLLERS} SCSI controllers.`;
  return integerIssue(value, path, 0, MAX_SCSI_CONTROLLERS - 1, what, hint);
}
