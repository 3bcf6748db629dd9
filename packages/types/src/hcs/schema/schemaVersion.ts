import { ValidationError } from '../../errors.js';
import type { Version } from './version.js';

/** Schema versions hcsshim uses (hcs-host.md §5.1). `V1_0` serializes as `{"Major":1}`. */
export const SchemaVersion = {
  V1_0: Object.freeze({ Major: 1, Minor: 0 }),
  V2_1: Object.freeze({ Major: 2, Minor: 1 }),
  V2_5: Object.freeze({ Major: 2, Minor: 5 }),
} as const satisfies Record<string, Readonly<Version>>;

/** Windows build numbers at which HCS behaviour that uvm relies on changes (hcs-host.md §5.1). */
export const WindowsBuild = {
  /** Windows Server 2019 / 1809: schema 2.1, four SCSI controllers per UVM, the current NIC request shape. */
  RS5: 17763,
  /** First build that boots a Linux kernel directly (`Chipset.LinuxKernelDirect`) instead of through UEFI. */
  KERNEL_DIRECT: 18286,
  /** Windows 10 1903: Plan9 single-file shares (`RestrictFileAccess`) and VPMem multi-mapping by default. */
  V19H1: 18362,
  /** First build that accepts `VirtualMachineMemory.EnableColdDiscardHint`. */
  COLD_DISCARD_HINT: 18967,
  /** Windows 10 20H2: updating a running VM's CPU limits (`ComputeTopology/Processor/Limits`). */
  V20H2: 19042,
  /** Windows 10 21H1: assigning a CPU group when the VM is created. */
  V21H1: 19043,
  /** Windows Server 2022: schema 2.5 (confidential VMs, `PropertyQuery.Queries`, CimMount). */
  LTSC2022: 20348,
  /** Windows Server 2025: virtual NUMA topologies and `VirtualPciDevice.PropagateNumaAffinity`. */
  V25H1_SERVER: 26100,
} as const;

function checkBuild(build: number): void {
  if (!Number.isSafeInteger(build) || build < 0) {
    throw new ValidationError('Windows build', [
      { path: '', message: `must be a non-negative integer such as 26100 (the third part of the OS version); found ${String(build)}.` },
    ]);
  }
}

function sameVersion(a: Readonly<Version>, b: Readonly<Version>): boolean {
  return (a.Major ?? 0) === (b.Major ?? 0) && (a.Minor ?? 0) === (b.Minor ?? 0);
}

/**
 * Whether HCS on `build` accepts documents of `version`: 1.0 everywhere, 2.1 from RS5 (17763), 2.5 from
 * LTSC2022 (20348), any other version never. Throws `ValidationError` when `build` is not a build number.
 */
export function isSchemaVersionSupported(version: Readonly<Version>, build: number): boolean {
  checkBuild(build);
  if (sameVersion(version, SchemaVersion.V1_0)) return true;
  if (sameVersion(version, SchemaVersion.V2_1)) return build >= WindowsBuild.RS5;
  if (sameVersion(version, SchemaVersion.V2_5)) return build >= WindowsBuild.LTSC2022;
  return false;
}

/**
 * The schema version to write for `build`, as hcsshim's DetermineSchemaVersion picks it: `requested`
 * when `build` supports it, otherwise 2.1 from RS5 on and 1.0 before. Throws `ValidationError` when
 * `build` is not a build number.
 */
export function schemaVersionForBuild(build: number, requested?: Readonly<Version>): Readonly<Version> {
  checkBuild(build);
  if (requested !== undefined && isSchemaVersionSupported(requested, build)) return requested;
  return build >= WindowsBuild.RS5 ? SchemaVersion.V2_1 : SchemaVersion.V1_0;
}
