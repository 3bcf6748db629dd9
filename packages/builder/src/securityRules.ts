import { SchemaVersion, WindowsBuild, type ComputeSystem } from '@uvm/types';
import { DocPath } from './documentPaths.js';
import { hostPathProblem } from './pathChecks.js';
import type { RuleContext } from './ruleContext.js';
import { isInteger, isRecord } from './values.js';

/** Confidential-VM rules (hcs-host.md §4.10, §4b.1, §4b.3). */
export function checkSecurity(doc: ComputeSystem, ctx: RuleContext): void {
  const vm = doc.VirtualMachine;
  const guestState = vm?.GuestState;
  if (isRecord(guestState) && guestState.GuestStateFilePath !== undefined) {
    const problem = hostPathProblem(guestState.GuestStateFilePath, 'The guest state file path');
    if (problem !== undefined) ctx.issues.add(`${DocPath.guestState}/GuestStateFilePath`, problem);
  }
  const isolation = vm?.SecuritySettings?.Isolation;
  if (!isRecord(isolation)) return;
  const type = isolation.IsolationType;
  if (type === undefined) {
    ctx.issues.add(
      `${DocPath.isolation}/IsolationType`,
      'Isolation settings need an isolation type: SecureNestedPaging (AMD SEV-SNP), VirtualizationBasedSecurity or GuestStateOnly.',
    );
  }
  if (ctx.hostKnown && ctx.host.windowsBuild < WindowsBuild.LTSC2022) {
    ctx.issues.add(
      DocPath.isolation,
      `Confidential VMs need schema 2.5, which needs Windows build ${WindowsBuild.LTSC2022} or later; this host is build ${ctx.host.windowsBuild}.`,
    );
  }
  const version = doc.SchemaVersion;
  if (isRecord(version) && isInteger(version.Major) && (version.Major < 2 || (version.Major === 2 && (version.Minor ?? 0) < SchemaVersion.V2_5.Minor))) {
    ctx.issues.add(DocPath.schemaVersion, 'Confidential VMs need schema version 2.5: pin 2.5 (setSchemaVersion) or leave the version to the builder.');
  }
  if (!isRecord(guestState) || guestState.GuestStateFilePath === undefined || guestState.GuestStateFilePath === '') {
    ctx.issues.add(
      `${DocPath.guestState}/GuestStateFilePath`,
      'A confidential VM boots from a guest state (VMGS) file: set it (security.setGuestState).',
    );
  }
  if (type === 'SecureNestedPaging' && vm?.ComputeTopology?.Memory?.AllowOvercommit === true) {
    ctx.issues.add(`${DocPath.memory}/AllowOvercommit`, 'SEV-SNP isolated VMs need physically backed memory: turn memory overcommit off.');
  }
  if (vm?.Chipset?.LinuxKernelDirect !== undefined) {
    ctx.issues.add(DocPath.kernelDirect, 'A confidential VM boots through UEFI from its guest state file: remove kernel-direct boot.');
  }
  if (type === 'SecureNestedPaging') {
    for (const [device, path] of [
      ['VideoMonitor', DocPath.videoMonitor],
      ['EnhancedModeVideo', DocPath.enhancedModeVideo],
    ] as const) {
      if (vm?.Devices?.[device] !== undefined) ctx.issues.add(path, 'SEV-SNP isolated VMs cannot have a graphics console: remove the video devices.');
    }
  }
}
