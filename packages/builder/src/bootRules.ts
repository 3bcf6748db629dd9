import { showValue, WindowsBuild, type ComputeSystem } from '@uvm/types';
import { DocPath } from './documentPaths.js';
import { hostPathProblem } from './pathChecks.js';
import type { RuleContext } from './ruleContext.js';
import { isRecord } from './values.js';

/** Boot rules of hcs-host.md §4.5: one boot method, the one the guest and the host support. */
export function checkBoot(doc: ComputeSystem, ctx: RuleContext): void {
  const chipset = doc.VirtualMachine?.Chipset;
  const uefi = isRecord(chipset) ? chipset.Uefi : undefined;
  const direct = isRecord(chipset) ? chipset.LinuxKernelDirect : undefined;
  if (uefi === undefined && direct === undefined) {
    ctx.issues.add(
      DocPath.chipset,
      ctx.os === 'linux'
        ? 'The VM has nothing to boot: set Linux kernel-direct boot (boot.setLinuxKernelDirect) or UEFI (boot.setUefi).'
        : 'The VM has nothing to boot: set UEFI boot (boot.setUefi).',
    );
  }
  if (uefi !== undefined && direct !== undefined) {
    ctx.issues.add(DocPath.kernelDirect, 'UEFI and Linux kernel-direct boot are both set: choose one.');
  }
  if (isRecord(direct)) checkKernelDirect(direct, ctx);
  if (isRecord(uefi)) checkUefi(uefi, ctx);
}

function checkKernelDirect(direct: Record<string, unknown>, ctx: RuleContext): void {
  const at = (key?: string) => (key === undefined ? DocPath.kernelDirect : `${DocPath.kernelDirect}/${key}`);
  if (ctx.os === 'windows') {
    ctx.issues.add(at(), 'A Windows guest cannot boot a Linux kernel directly: use UEFI boot (boot.setUefi).');
  } else if (ctx.hostKnown && ctx.host.architecture === 'arm64') {
    ctx.issues.add(at(), 'Kernel-direct boot is not supported on arm64 hosts: boot the kernel through UEFI (boot.setUefi).');
  } else if (ctx.hostKnown && ctx.host.windowsBuild < WindowsBuild.KERNEL_DIRECT) {
    ctx.issues.add(
      at(),
      `Kernel-direct boot needs Windows build ${WindowsBuild.KERNEL_DIRECT} or later; this host is build ${ctx.host.windowsBuild}. Boot the kernel through UEFI (boot.setUefi).`,
    );
  }
  const kernel = hostPathProblem(direct.KernelFilePath, 'The kernel file path');
  if (kernel !== undefined) ctx.issues.add(at('KernelFilePath'), kernel);
  if (direct.InitRdPath !== undefined && direct.InitRdPath !== '') {
    const initrd = hostPathProblem(direct.InitRdPath, 'The initrd path');
    if (initrd !== undefined) ctx.issues.add(at('InitRdPath'), initrd);
  }
  if (typeof direct.KernelCmdLine === 'string' && direct.KernelCmdLine.includes('\0')) {
    ctx.issues.add(at('KernelCmdLine'), 'The kernel command line contains a NUL character, which would end it early; remove it.');
  }
}

function checkUefi(uefi: Record<string, unknown>, ctx: RuleContext): void {
  const at = (key: string) => `${DocPath.uefi}/${key}`;
  const apply = uefi.ApplySecureBootTemplate;
  const template = uefi.SecureBootTemplateId;
  if (apply === 'Apply' && (template === undefined || template === '')) {
    ctx.issues.add(at('SecureBootTemplateId'), 'Applying a secure boot template needs its id, for example the Microsoft Windows template 1734c6e8-3154-4dda-ba5f-a874cc483422.');
  } else if (apply !== 'Apply' && template !== undefined && template !== '') {
    ctx.issues.add(at('ApplySecureBootTemplate'), `A secure boot template id is given but ApplySecureBootTemplate is ${showValue(apply)}: set it to "Apply", or remove the id.`);
  }
  const entry = uefi.BootThis;
  if (!isRecord(entry)) return;
  const entryAt = (key: string) => `${DocPath.uefi}/BootThis/${key}`;
  const devicePath = entry.DevicePath;
  if (typeof devicePath !== 'string' || !devicePath.startsWith('\\') || devicePath.includes('\0')) {
    ctx.issues.add(entryAt('DevicePath'), `The UEFI boot entry needs the path of the boot file on its device, starting with "\\" (for example \\EFI\\Microsoft\\Boot\\bootmgfw.efi); got ${showValue(devicePath)}.`);
  }
  if (entry.VmbFsRootPath !== undefined && entry.VmbFsRootPath !== '') {
    const root = hostPathProblem(entry.VmbFsRootPath, 'The VmbFs root directory');
    if (root !== undefined) ctx.issues.add(entryAt('VmbFsRootPath'), root);
  }
  if (typeof entry.OptionalData === 'string' && entry.OptionalData.includes('\0')) {
    ctx.issues.add(entryAt('OptionalData'), 'The boot entry data (the kernel command line) contains a NUL character, which would end it early; remove it.');
  }
}
