import {
  HVSOCK_SECURITY_DESCRIPTOR,
  HVSOCK_SERVICE_ID,
  MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID,
  SchemaVersion,
  showValue,
  type VmIsolationType,
} from '@uvm/types';
import type { Builder, RegistryValueOptions } from './builder.js';
import { launchDataFromPolicy } from './launchData.js';
import { hostPathProblem } from './pathChecks.js';
import { Preset, optionPath, type OptionPath } from './preset.js';
import { isRecord } from './values.js';
import type { WcowConfidentialOptions, WcowOptions } from './wcowOptions.js';
import { joinWindowsPath } from './windowsPath.js';

const WINDOWS_BOOT_MANAGER = '\\EFI\\Microsoft\\Boot\\bootmgfw.efi';
const SCRATCH_VHD = 'sandbox.vhdx';
const VSMB_DIRECT_FILE_MAPPING_MB = 1024;
const CONFIDENTIAL_MIN_MEMORY_MB = 2048;
const CONFIDENTIAL_VM_VERSION = { Major: 12 };
const VMGS_BY_ISOLATION: Readonly<Record<VmIsolationType, string>> = {
  SecureNestedPaging: 'cwcow.snp.vmgs',
  VirtualizationBasedSecurity: 'cwcow.vbs.vmgs',
  GuestStateOnly: 'cwcow.gso.vmgs',
};
/** Registry keys a caller may add values under (hive, lower-case name prefix; '' allows every key). */
const ALLOWED_REGISTRY_KEYS: readonly (readonly [string, string])[] = [
  ['System', 'currentcontrolset\\services'],
  ['System', 'currentcontrolset\\policies'],
  ['System', 'software'],
  ['Software', ''],
];

/**
 * A Builder filled as hcsshim's legacy WCOW builder fills the document (hcs-host.md §4b.3): schema
 * 2.1, one SCSI controller with the scratch disk, the `os` VSMB share and UEFI boot from it,
 * compartment namespaces, the log forwarding service, and with `confidential` the BlockCIM variant
 * (schema 2.5, secure boot, VMGS, EFI and boot CIM disks). Keep customising it, then `build()`.
 */
export function wcow(options: WcowOptions): Builder {
  return fillWcow(options, optionPath).builder;
}

/** The preset with issue paths from `where`, for `wcow()` and `buildFromSpec()`. */
export function fillWcow(options: WcowOptions, where: OptionPath): Preset<WcowOptions> {
  const preset = new Preset('windows', options, where);
  return preset.run('WCOW', () => {
    fill(preset);
  });
}

function fill(p: Preset<WcowOptions>): void {
  const { builder: b, options: o } = p;
  const c = o.confidential;
  const snp = c !== undefined && (c.isolationType ?? 'SecureNestedPaging') === 'SecureNestedPaging';
  if (o.owner !== undefined) b.setOwner(o.owner);
  b.setSchemaVersion(c === undefined ? SchemaVersion.V2_1 : SchemaVersion.V2_5);
  fillRegistry(p);
  p.processor();
  p.resourcePartition();
  const overcommit = p.memory(snp);
  b.memory.setHotHint(overcommit);
  if (c !== undefined && (o.memorySizeInMB ?? 0) < CONFIDENTIAL_MIN_MEMORY_MB) {
    p.issue('memorySizeInMB', `Minimum ${CONFIDENTIAL_MIN_MEMORY_MB}MB of memory is required for confidential pods, got: ${showValue(o.memorySizeInMB ?? 1024)}.`);
  }
  p.numa();
  p.storageQoS();
  p.hvSocketServices();
  if (o.logForwarding ?? (c === undefined)) {
    b.devices.setHvSocketService(HVSOCK_SERVICE_ID.windowsLogging, {
      bindSecurityDescriptor: HVSOCK_SECURITY_DESCRIPTOR.systemAndAdministrators,
      connectSecurityDescriptor: HVSOCK_SECURITY_DESCRIPTOR.systemAndAdministrators,
      allowWildcardBinds: true,
    });
  }
  b.devices.setVsmbDirectFileMappingInMB(VSMB_DIRECT_FILE_MAPPING_MB);
  p.consolePipe();
  if (o.enableGraphicsConsole === true) {
    if (snp) p.issue('enableGraphicsConsole', 'SEV-SNP isolated VMs cannot have a graphics console: turn it off.');
    else b.devices.enableGraphicsConsole();
  }
  fillDumps(p);
  b.devices.addScsiController(0);
  const scratch = hostPathProblem(o.scratchDirectory, 'The scratch directory');
  if (scratch !== undefined) p.issue('scratchDirectory', scratch);
  else b.devices.addScsiDisk({ controller: 0, lun: 0, path: joinWindowsPath(o.scratchDirectory as string, SCRATCH_VHD) });
  if (c === undefined) fillVmbFsBoot(p);
  else fillConfidential(p, c);
}

function fillRegistry(p: Preset<WcowOptions>): void {
  const { builder: b, options: o } = p;
  if (o.processDumpLocation !== undefined && o.processDumpLocation !== '') {
    b.addRegistryValue({ key: { hive: 'System', name: 'ControlSet001\\Services\\WerSvc' }, name: 'Start', type: 'DWord', dWordValue: 2 });
    b.addRegistryValue({ key: { hive: 'Software', name: 'Microsoft\\Windows\\Windows Error Reporting' }, name: 'Disabled', type: 'DWord', dWordValue: 1 });
  }
  if (o.disableCompartmentNamespace !== true) {
    b.addRegistryValue({ key: { hive: 'System', name: 'CurrentControlSet\\Services\\gns' }, name: 'EnableCompartmentNamespace', type: 'DWord', dWordValue: 1 });
  }
  (o.additionalRegistryKeys ?? []).forEach((value, i) => {
    const problem = registryValueProblem(value);
    if (problem === undefined) b.addRegistryValue(value);
    else p.issue(`additionalRegistryKeys.${i}`, problem);
  });
}

function registryValueProblem(value: RegistryValueOptions): string | undefined {
  if (!isRecord(value) || !isRecord(value.key)) return 'A registry value needs its key ({ hive, name }), a name, a type and one value.';
  const hive: unknown = value.key.hive;
  const name = typeof value.key.name === 'string' ? value.key.name.toLowerCase() : '';
  const allowed = ALLOWED_REGISTRY_KEYS.some(([h, prefix]) => h === hive && name.startsWith(prefix));
  if (!allowed) {
    return `Registry key ${showValue(hive)}\\${showValue(value.key.name)} may not be changed: use System CurrentControlSet\\Services, CurrentControlSet\\Policies or Software keys, or any Software key.`;
  }
  const kinds = [value.stringValue, value.binaryValue, value.dWordValue, value.qWordValue].filter((v) => v !== undefined).length;
  if (kinds !== 1) return `A registry value holds exactly one kind of data; ${kinds} are given. Set one of stringValue, binaryValue, dWordValue or qWordValue.`;
  return undefined;
}

function fillDumps(p: Preset<WcowOptions>): void {
  const { builder: b, options: o } = p;
  const dir = o.dumpDirectoryPath;
  if (dir === undefined || dir === '') return;
  const problem = hostPathProblem(dir, 'The dump directory');
  if (problem !== undefined) {
    p.issue('dumpDirectoryPath', problem);
    return;
  }
  if (o.id === undefined || o.id === '') {
    p.issue('id', 'The UVM id names the dump files: give it with dumpDirectoryPath.');
    return;
  }
  b.setDebugOptions({
    bugcheckSavedStateFileName: joinWindowsPath(dir, `${o.id}-savedstate.vmrs`),
    bugcheckNoCrashdumpSavedStateFileName: joinWindowsPath(dir, `${o.id}-savedstate_nocrashdump.vmrs`),
  });
  b.devices.setGuestCrashReporting({ dumpFileName: joinWindowsPath(dir, `${o.id}-windows-crash`), dumpType: 'Full' });
}

function fillVmbFsBoot(p: Preset<WcowOptions>): void {
  const { builder: b, options: o } = p;
  const layer = hostPathProblem(o.uvmLayerPath, 'The utility VM image layer');
  if (layer !== undefined) p.issue('uvmLayerPath', layer);
  else {
    b.devices.addVsmbShare({
      name: 'os',
      path: joinWindowsPath(o.uvmLayerPath as string, 'UtilityVM', 'Files'),
      options: {
        readOnly: true,
        shareRead: true,
        cacheIo: true,
        pseudoOplocks: true,
        takeBackupPrivilege: true,
        noDirectmap: o.fullyPhysicallyBacked === true || o.vsmbNoDirectMap === true,
      },
    });
  }
  // The boot manager is found on the `os` share, so the entry needs no VmbFs root.
  b.boot.setUefi({ bootThis: { devicePath: WINDOWS_BOOT_MANAGER } });
}

function fillConfidential(p: Preset<WcowOptions>, c: WcowConfidentialOptions): void {
  const b = p.builder;
  const isolation = c.isolationType ?? 'SecureNestedPaging';
  b.setVirtualMachineVersion(CONFIDENTIAL_VM_VERSION);
  b.boot.setUefi(
    c.disableSecureBoot === true
      ? { applySecureBootTemplate: 'Skip' }
      : { applySecureBootTemplate: 'Apply', secureBootTemplateId: MICROSOFT_WINDOWS_SECURE_BOOT_TEMPLATE_ID },
  );
  if (c.firmwareParameters !== undefined) b.boot.setFirmwareParameters(new TextEncoder().encode(c.firmwareParameters));
  const launchData = typeof c.securityPolicy === 'string' ? launchDataFromPolicy(c.securityPolicy) : { ok: false as const, reason: 'is not a string' };
  if (!launchData.ok) p.issue('confidential.securityPolicy', `Failed to create security policy digest: the policy ${launchData.reason}.`);
  b.security.setIsolation({ type: isolation, hclEnabled: true, ...(launchData.ok ? { launchData: launchData.value } : {}) });
  const vmgs = c.guestStateFilePath ?? (c.bootFilesPath === undefined ? undefined : joinWindowsPath(c.bootFilesPath, VMGS_BY_ISOLATION[isolation]));
  if (vmgs === undefined) p.issue('confidential.guestStateFilePath', 'A security policy requires a guest state file: give guestStateFilePath or the confidential bootFilesPath.');
  else b.security.setGuestState({ guestStateFilePath: vmgs, guestStateFileType: 'BlockStorage' });
  for (const [lun, key, path, readOnly] of [
    [1, 'efiVhdPath', c.efiVhdPath, c.writableEfi !== true],
    [2, 'bootCimVhdPath', c.bootCimVhdPath, true],
  ] as const) {
    const problem = hostPathProblem(path, key === 'efiVhdPath' ? 'The EFI VHD' : 'The boot CIM VHD');
    if (problem !== undefined) p.issue(`confidential.${key}`, problem);
    else b.devices.addScsiDisk({ controller: 0, lun, path, ...(readOnly ? { readOnly: true } : {}) });
  }
  const bundle = hostPathProblem(c.bundlePath, 'The bundle directory');
  if (bundle !== undefined) p.issue('confidential.bundlePath', bundle);
  else {
    // The confidential guest expects this empty default share (hcs-host.md §4b.3).
    b.devices.addVsmbShare({ name: 'defaultEmptyShare', path: joinWindowsPath(c.bundlePath, 'EmptyDoNotModify'), options: { readOnly: true, shareRead: true, noOplocks: true } });
  }
}
