import { describe, expect, it } from 'vitest';
import { createBuilder, type Builder, type BuilderOptions } from '@uvm/builder';
import { ValidationError, type HostFacts } from '@uvm/types';
import { HOST, SCSI, countingGuids, issuesOf } from './helpers.js';

/** A valid starting point; each case below breaks one thing. */
function valid(os: 'linux' | 'windows', host: HostFacts, extra: Partial<BuilderOptions> = {}): Builder {
  const b = createBuilder({ os, host, newGuid: countingGuids(), ...extra });
  b.memory.setSizeInMB(2048);
  b.processor.setCount(2);
  if (os === 'linux') b.boot.setLinuxKernelDirect({ kernelFilePath: 'C:\\boot\\vmlinux', initRdPath: 'C:\\boot\\initrd.img' });
  else b.boot.setUefi({ bootThis: { devicePath: '\\EFI\\Microsoft\\Boot\\bootmgfw.efi' } });
  return b;
}

function confidential(b: Builder): Builder {
  b.boot.clear().setUefi({ applySecureBootTemplate: 'Apply', secureBootTemplateId: '1734c6e8-3154-4dda-ba5f-a874cc483422' });
  b.security.setIsolation({ type: 'SecureNestedPaging' }).setGuestState({ guestStateFilePath: 'C:\\b\\kernel.vmgs' });
  return b;
}

const MEMORY = '/VirtualMachine/ComputeTopology/Memory';
const PROCESSOR = '/VirtualMachine/ComputeTopology/Processor';
const NUMA = '/VirtualMachine/ComputeTopology/Numa';
const DEVICES = '/VirtualMachine/Devices';
const NIC_ENDPOINT = '0b9b2a52-8d0e-4d7e-9a3e-2f1c5b7d9e01';

interface Case {
  readonly name: string;
  readonly path: string;
  readonly os?: 'linux' | 'windows';
  readonly host?: Partial<HostFacts>;
  readonly options?: Partial<BuilderOptions>;
  readonly break: (b: Builder) => unknown;
}

const cases: readonly Case[] = [
  { name: 'zero CPUs', path: `${PROCESSOR}/Count`, break: (b) => b.processor.setCount(0) },
  { name: 'a negative CPU count', path: `${PROCESSOR}/Count`, break: (b) => b.processor.setCount(-2) },
  { name: 'a fractional CPU count', path: `${PROCESSOR}/Count`, break: (b) => b.processor.setCount(1.5) },
  { name: 'more CPUs than the host has', path: `${PROCESSOR}/Count`, break: (b) => b.processor.setCount(9) },
  { name: 'an odd memory size', path: `${MEMORY}/SizeInMB`, break: (b) => b.memory.setSizeInMB(1023) },
  { name: 'zero memory', path: `${MEMORY}/SizeInMB`, break: (b) => b.memory.setSizeInMB(0) },
  { name: 'memory given as a string', path: `${MEMORY}/SizeInMB`, break: (b) => b.memory.setSizeInMB('1024' as never) },
  { name: 'deferred commit without overcommit', path: `${MEMORY}/EnableDeferredCommit`, break: (b) => b.memory.setDeferredCommit(true) },
  { name: 'overcommitted physical memory', path: `${MEMORY}/AllowOvercommit`, break: (b) => b.memory.setBacking('Physical').setAllowOvercommit(true) },
  { name: 'virtual memory without overcommit', path: `${MEMORY}/AllowOvercommit`, break: (b) => b.memory.setBacking('Virtual').setAllowOvercommit(false) },
  { name: 'the cold discard hint on build 18363', path: `${MEMORY}/EnableColdDiscardHint`, host: { windowsBuild: 18363 }, break: (b) => b.memory.setColdDiscardHint(true) },
  { name: 'an unknown SLIT type', path: `${MEMORY}/SlitType`, break: (b) => b.memory.setSlitType('Fastest' as never) },
  { name: 'a processor limit over 100%', path: `${PROCESSOR}/Limit`, break: (b) => b.processor.setLimit(150_000) },
  { name: 'a processor weight over 10000', path: `${PROCESSOR}/Weight`, break: (b) => b.processor.setWeight(20_000) },
  { name: 'a CPU group id that is not a GUID', path: `${PROCESSOR}/CpuGroup/Id`, break: (b) => b.processor.setCpuGroup('group-1') },
  { name: 'a CPU group on build 19042', path: `${PROCESSOR}/CpuGroup/Id`, host: { windowsBuild: 19042 }, break: (b) => b.processor.setCpuGroup('8fbfe2e4-39a4-4b52-8b8c-1b2a9c3f0e11') },
  {
    name: 'a CPU group and a resource partition',
    path: '/VirtualMachine/ResourcePartitionId',
    break: (b) => b.setResourcePartitionId('2a0c2e6f-1d5e-4f7b-9a55-7c9f1b3c5d71').processor.setCpuGroup('8fbfe2e4-39a4-4b52-8b8c-1b2a9c3f0e11'),
  },
  { name: 'a resource partition that is not a GUID', path: '/VirtualMachine/ResourcePartitionId', break: (b) => b.setResourcePartitionId('{2a0c2e6f-1d5e-4f7b-9a55-7c9f1b3c5d71}') },
  {
    name: 'vNUMA on build 20348',
    path: NUMA,
    host: { windowsBuild: 20348 },
    break: (b) => {
      b.memory.setAllowOvercommit(false);
      b.numa.setImplicit({ maxProcessorsPerNode: 1, maxSizePerNodeInMB: 1024 });
    },
  },
  {
    name: 'vNUMA with overcommitted memory',
    path: `${MEMORY}/AllowOvercommit`,
    break: (b) => {
      b.memory.setAllowOvercommit(true);
      b.numa.setImplicit({ maxProcessorsPerNode: 1, maxSizePerNodeInMB: 1024 });
    },
  },
  { name: 'implicit vNUMA without a node size', path: `${NUMA}/MaxSizePerNode`, break: (b) => b.numa.setImplicit({ maxProcessorsPerNode: 1, maxSizePerNodeInMB: 0 }) },
  {
    name: 'vNUMA processors that do not add up',
    path: `${NUMA}/Settings`,
    break: (b) => b.numa.setExplicit({ nodes: [{ physicalNode: 0, countOfProcessors: 1, countOfMemoryBlocks: 1024 }, { physicalNode: 1, countOfProcessors: 2, countOfMemoryBlocks: 1024 }] }),
  },
  {
    name: 'vNUMA memory that does not add up',
    path: `${NUMA}/Settings`,
    break: (b) => b.numa.setExplicit({ nodes: [{ physicalNode: 0, countOfProcessors: 2, countOfMemoryBlocks: 1000 }] }),
  },
  {
    name: 'a virtual NUMA node defined twice',
    path: `${NUMA}/Settings/1/VirtualNodeNumber`,
    break: (b) =>
      b.numa.setExplicit({
        nodes: [
          { physicalNode: 0, countOfProcessors: 1, countOfMemoryBlocks: 1024, virtualNode: 0 },
          { physicalNode: 1, countOfProcessors: 1, countOfMemoryBlocks: 1024, virtualNode: 0 },
        ],
      }),
  },
  { name: 'a physical NUMA node out of range', path: `${NUMA}/Settings/0/PhysicalNodeNumber`, break: (b) => b.numa.setExplicit({ nodes: [{ physicalNode: 70, countOfProcessors: 2, countOfMemoryBlocks: 2048 }] }) },
  { name: 'a virtual NUMA node out of range', path: `${NUMA}/Settings/0/VirtualNodeNumber`, break: (b) => b.numa.setExplicit({ nodes: [{ physicalNode: 0, countOfProcessors: 2, countOfMemoryBlocks: 2048, virtualNode: 65 }] }) },
  {
    name: 'the any-node wildcard mixed with a specific node',
    path: `${NUMA}/Settings`,
    break: (b) => b.numa.setExplicit({ nodes: [{ physicalNode: 255, countOfProcessors: 1, countOfMemoryBlocks: 1024 }, { physicalNode: 1, countOfProcessors: 1, countOfMemoryBlocks: 1024 }] }),
  },
  { name: 'a NUMA node without memory', path: `${NUMA}/Settings/0/CountOfMemoryBlocks`, break: (b) => b.numa.setExplicit({ nodes: [{ physicalNode: 0, countOfProcessors: 2, countOfMemoryBlocks: 0 }] }) },
  {
    name: 'two disks on one LUN',
    path: `${DEVICES}/Scsi/${SCSI[0]}/Attachments/1`,
    break: (b) => b.devices.addScsiController(0).addScsiDisk({ controller: 0, lun: 1, path: 'C:\\a.vhdx' }).addScsiDisk({ controller: 0, lun: 1, path: 'C:\\b.vhdx' }),
  },
  { name: 'LUN 64', path: `${DEVICES}/Scsi/${SCSI[0]}/Attachments/64`, break: (b) => b.devices.addScsiController(0).addScsiDisk({ controller: 0, lun: 64, path: 'C:\\a.vhdx' }) },
  { name: 'a fifth SCSI controller', path: `${DEVICES}/Scsi`, break: (b) => b.devices.addScsiController(0).addScsiController(1).addScsiController(2).addScsiController(3).addScsiController(4) },
  { name: 'a disk on a controller that was not added', path: `${DEVICES}/Scsi/${SCSI[1]}`, break: (b) => b.devices.addScsiDisk({ controller: 1, lun: 0, path: 'C:\\a.vhdx' }) },
  { name: 'a NUL in a disk path', path: `${DEVICES}/Scsi/${SCSI[0]}/Attachments/0/Path`, break: (b) => b.devices.addScsiController(0).addScsiDisk({ controller: 0, lun: 0, path: 'C:\\a\0.vhdx' }) },
  { name: 'a relative VHD path', path: `${DEVICES}/Scsi/${SCSI[0]}/Attachments/0/Path`, break: (b) => b.devices.addScsiController(0).addScsiDisk({ controller: 0, lun: 0, path: 'disks\\a.vhdx' }) },
  {
    name: 'an extensible disk without its provider',
    path: `${DEVICES}/Scsi/${SCSI[0]}/Attachments/0/ExtensibleVirtualDiskType`,
    break: (b) => b.devices.addScsiController(0).addScsiDisk({ controller: 0, lun: 0, path: 'x', type: 'ExtensibleVirtualDisk' }),
  },
  { name: 'an unknown attachment type', path: `${DEVICES}/Scsi/${SCSI[0]}/Attachments/0/Type`, break: (b) => b.devices.addScsiController(0).addScsiDisk({ controller: 0, lun: 0, path: 'C:\\a.iso', type: 'Iso' as never }) },
  { name: 'more than 128 VPMem devices', path: `${DEVICES}/VirtualPMem/MaximumCount`, break: (b) => b.devices.setVPMemController({ maximumCount: 129, maximumSizeBytes: 4096 }) },
  { name: 'a VPMem size that is not a multiple of 4096', path: `${DEVICES}/VirtualPMem/MaximumSizeBytes`, break: (b) => b.devices.setVPMemController({ maximumCount: 1, maximumSizeBytes: 5000 }) },
  {
    name: 'a VPMem slot beyond the maximum',
    path: `${DEVICES}/VirtualPMem/Devices/2`,
    break: (b) => b.devices.setVPMemController({ maximumCount: 2, maximumSizeBytes: 4096 }).addVPMemDevice({ index: 2, hostPath: 'C:\\l.vhd' }),
  },
  {
    name: 'more VPMem devices than the maximum',
    path: `${DEVICES}/VirtualPMem/Devices`,
    break: (b) =>
      b.devices
        .setVPMemController({ maximumCount: 1, maximumSizeBytes: 4096 })
        .addVPMemDevice({ index: 0, hostPath: 'C:\\0.vhd' })
        .addVPMemDevice({ index: 1, hostPath: 'C:\\1.vhd' }),
  },
  {
    name: 'VPMem on arm64',
    path: `${DEVICES}/VirtualPMem`,
    host: { architecture: 'arm64' },
    break: (b) => {
      b.boot.clear().setUefi({ bootThis: { devicePath: '\\kernel' } });
      b.devices.setVPMemController({ maximumCount: 1, maximumSizeBytes: 4096 });
    },
  },
  { name: 'a VPMem device without a controller', path: `${DEVICES}/VirtualPMem`, break: (b) => b.devices.addVPMemDevice({ index: 0, hostPath: 'C:\\0.vhd' }) },
  { name: 'VPMem multi-mapping on build 18286', path: `${DEVICES}/VirtualPMem`, host: { windowsBuild: 18286 }, break: (b) => b.devices.setVPMemController({ maximumCount: 1, maximumSizeBytes: 4096, multiMapping: true }) },
  {
    name: 'two VSMB shares with one name',
    path: `${DEVICES}/VirtualSmb/Shares/1/Name`,
    os: 'windows',
    break: (b) => b.devices.addVsmbShare({ name: 's1', path: 'C:\\a' }).addVsmbShare({ name: 's1', path: 'C:\\b' }),
  },
  { name: 'two Plan9 shares with one name', path: `${DEVICES}/Plan9/Shares/1/Name`, break: (b) => b.devices.addPlan9Share({ name: '0', path: 'C:\\a' }).addPlan9Share({ name: '0', path: 'C:\\b' }) },
  { name: 'Plan9 on a Windows guest', path: `${DEVICES}/Plan9`, os: 'windows', break: (b) => b.devices.addPlan9Share({ name: '0', path: 'C:\\a' }) },
  { name: 'VSMB shares on a Linux guest', path: `${DEVICES}/VirtualSmb/Shares`, break: (b) => b.devices.addVsmbShare({ name: 's1', path: 'C:\\a' }) },
  { name: 'a single-file Plan9 share on build 18286', path: `${DEVICES}/Plan9/Shares/0/Flags`, host: { windowsBuild: 18286 }, break: (b) => b.devices.addPlan9Share({ name: '0', path: 'C:\\a', allowedFiles: ['f'] }) },
  { name: 'undefined Plan9 flag bits', path: `${DEVICES}/Plan9/Shares/0/Flags`, break: (b) => b.devices.addPlan9Share({ name: '0', path: 'C:\\a', flags: 0x1000 }) },
  { name: 'an empty share name', path: `${DEVICES}/Plan9/Shares/0/Name`, break: (b) => b.devices.addPlan9Share({ name: '', path: 'C:\\a' }) },
  { name: 'a COM port that is not a named pipe', path: `${DEVICES}/ComPorts/0/NamedPipe`, break: (b) => b.devices.addComPort(0, { namedPipe: 'C:\\console.log' }) },
  { name: 'COM3', path: `${DEVICES}/ComPorts/2`, break: (b) => b.devices.addComPort(2, { namedPipe: '\\\\.\\pipe\\com3' }) },
  { name: 'one COM port connected twice', path: `${DEVICES}/ComPorts/0`, break: (b) => b.devices.addComPort(0, { namedPipe: '\\\\.\\pipe\\a' }).addComPort(0, { namedPipe: '\\\\.\\pipe\\b' }) },
  { name: 'a NIC endpoint that is not a GUID', path: `${DEVICES}/NetworkAdapters/nic0/EndpointId`, break: (b) => b.devices.addNetworkAdapter('nic0', { endpointId: 'endpoint-1' }) },
  { name: 'a malformed MAC address', path: `${DEVICES}/NetworkAdapters/nic0/MacAddress`, break: (b) => b.devices.addNetworkAdapter('nic0', { endpointId: NIC_ENDPOINT, macAddress: '00:15:5D-52:C0:00' }) },
  {
    name: 'one NIC id used twice',
    path: `${DEVICES}/NetworkAdapters/nic0`,
    break: (b) => b.devices.addNetworkAdapter('nic0', { endpointId: NIC_ENDPOINT }).addNetworkAdapter('nic0', { endpointId: NIC_ENDPOINT }),
  },
  { name: 'a NIC id with a slash', path: `${DEVICES}/NetworkAdapters/a~1b`, break: (b) => b.devices.addNetworkAdapter('a/b', { endpointId: NIC_ENDPOINT }) },
  { name: 'a vPCI VMBus id that is not a GUID', path: `${DEVICES}/VirtualPci/bus-1`, break: (b) => b.devices.addVpciDevice({ functions: [{ deviceInstancePath: 'PCIP\\A' }], vmbusGuid: 'bus-1' }) },
  {
    name: 'one vPCI function assigned twice',
    path: `${DEVICES}/VirtualPci/00000000-0000-4000-8000-000000000002/Functions/0`,
    break: (b) => b.devices.addVpciDevice({ functions: [{ deviceInstancePath: 'PCIP\\A' }] }).addVpciDevice({ functions: [{ deviceInstancePath: 'PCIP\\A', virtualFunction: 0 }] }),
  },
  { name: 'a vPCI device without functions', path: `${DEVICES}/VirtualPci/00000000-0000-4000-8000-000000000001/Functions`, break: (b) => b.devices.addVpciDevice({ functions: [] }) },
  {
    name: 'vPCI NUMA affinity on build 20348',
    path: `${DEVICES}/VirtualPci/00000000-0000-4000-8000-000000000001/PropagateNumaAffinity`,
    host: { windowsBuild: 20348 },
    break: (b) => b.devices.addVpciDevice({ functions: [{ deviceInstancePath: 'PCIP\\A' }], propagateNumaAffinity: true }),
  },
  { name: 'a newGuid that returns no GUID', path: `${DEVICES}/VirtualPci`, options: { newGuid: () => 'nope' }, break: (b) => b.devices.addVpciDevice({ functions: [{ deviceInstancePath: 'PCIP\\A' }] }) },
  { name: 'an hvsock service id that is not a GUID', path: `${DEVICES}/HvSocket/HvSocketConfig/ServiceTable/gcs`, break: (b) => b.devices.setHvSocketService('gcs', { allowWildcardBinds: true }) },
  { name: 'a security descriptor that is not SDDL', path: `${DEVICES}/HvSocket/HvSocketConfig/DefaultBindSecurityDescriptor`, break: (b) => b.devices.setHvSocketDefaults({ bindSecurityDescriptor: 'everyone' }) },
  { name: 'kernel-direct boot of a Windows guest', path: '/VirtualMachine/Chipset/LinuxKernelDirect', os: 'windows', break: (b) => b.boot.clear().setLinuxKernelDirect({ kernelFilePath: 'C:\\boot\\vmlinux' }) },
  { name: 'kernel-direct boot on build 17763', path: '/VirtualMachine/Chipset/LinuxKernelDirect', host: { windowsBuild: 17763 }, break: () => undefined },
  { name: 'kernel-direct boot on arm64', path: '/VirtualMachine/Chipset/LinuxKernelDirect', host: { architecture: 'arm64' }, break: () => undefined },
  { name: 'UEFI and kernel-direct boot together', path: '/VirtualMachine/Chipset/LinuxKernelDirect', break: (b) => b.boot.setUefi({ bootThis: { devicePath: '\\kernel' } }) },
  { name: 'nothing to boot', path: '/VirtualMachine/Chipset', break: (b) => b.boot.clear() },
  { name: 'a UEFI device path without a leading backslash', path: '/VirtualMachine/Chipset/Uefi/BootThis/DevicePath', os: 'windows', break: (b) => b.boot.setUefi({ bootThis: { devicePath: 'EFI/boot.efi' } }) },
  { name: 'applying secure boot without a template', path: '/VirtualMachine/Chipset/Uefi/SecureBootTemplateId', os: 'windows', break: (b) => b.boot.setUefi({ applySecureBootTemplate: 'Apply', bootThis: { devicePath: '\\a' } }) },
  { name: 'a relative kernel path', path: '/VirtualMachine/Chipset/LinuxKernelDirect/KernelFilePath', break: (b) => b.boot.setLinuxKernelDirect({ kernelFilePath: 'vmlinux' }) },
  { name: 'a NUL in the kernel command line', path: '/VirtualMachine/Chipset/LinuxKernelDirect/KernelCmdLine', break: (b) => b.boot.setLinuxKernelDirect({ kernelFilePath: 'C:\\k', kernelCmdLine: 'quiet\0' }) },
  { name: 'a negative IOPS limit', path: '/VirtualMachine/StorageQoS/IopsMaximum', break: (b) => b.storageQoS.setIopsMaximum(-1) },
  { name: 'isolation on build 19041', path: '/VirtualMachine/SecuritySettings/Isolation', host: { windowsBuild: 19041 }, break: confidential },
  { name: 'isolation under a pinned schema 2.1', path: '/SchemaVersion', break: (b) => confidential(b).setSchemaVersion({ Major: 2, Minor: 1 }) },
  { name: 'isolation without a guest state file', path: '/VirtualMachine/GuestState/GuestStateFilePath', break: (b) => confidential(b).security.setGuestState({ guestStateFilePath: '' }) },
  { name: 'isolation with overcommitted memory', path: `${MEMORY}/AllowOvercommit`, break: (b) => confidential(b).memory.setAllowOvercommit(true) },
  { name: 'a graphics console on an SNP VM', path: `${DEVICES}/VideoMonitor`, break: (b) => confidential(b).devices.setVideoMonitor() },
  { name: 'launch data that is not base64', path: '/VirtualMachine/SecuritySettings/Isolation/LaunchData', break: (b) => confidential(b).security.setIsolation({ type: 'SecureNestedPaging', launchData: 'not base64' }) },
  { name: 'schema 2.5 on build 19041', path: '/SchemaVersion', host: { windowsBuild: 19041 }, break: (b) => b.setSchemaVersion({ Major: 2, Minor: 5 }) },
  { name: 'schema 1.0', path: '/SchemaVersion', break: (b) => b.setSchemaVersion({ Major: 1 }) },
  { name: 'registry changes for a Linux guest', path: '/VirtualMachine/RegistryChanges', break: (b) => b.addRegistryValue({ key: { hive: 'System', name: 'x' }, name: 'v', type: 'DWord', dWordValue: 1 }) },
  {
    name: 'a registry value with two kinds of data',
    path: '/VirtualMachine/RegistryChanges/AddValues/0',
    os: 'windows',
    break: (b) => b.addRegistryValue({ key: { hive: 'System', name: 'x' }, name: 'v', type: 'DWord', dWordValue: 1, stringValue: '1' }),
  },
  { name: 'crash reporting for a Linux guest', path: `${DEVICES}/GuestCrashReporting`, break: (b) => b.devices.setGuestCrashReporting({ dumpFileName: 'C:\\d' }) },
  { name: 'a guest OS that is neither linux nor windows', path: '/options/os', options: { os: 'freebsd' as never }, break: () => undefined },
  { name: 'a Windows build that is not a number', path: '/options/host/windowsBuild', host: { windowsBuild: '26100' as never }, break: () => undefined },
  { name: 'a host with no processors', path: '/options/host/logicalProcessorCount', host: { logicalProcessorCount: 0 }, break: () => undefined },
  { name: 'a NUL in the owner', path: '/Owner', break: (b) => b.setOwner('me\0') },
];

describe('bad input', () => {
  it('has at least 40 distinct cases', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('$name → ValidationError at $path', (c) => {
    const b = valid(c.os ?? 'linux', { ...HOST, ...c.host }, c.options);
    c.break(b);
    const issues = issuesOf(() => b.build());
    const issue = issues.find((i) => i.path === c.path);
    expect(issue, `issues were: ${JSON.stringify(issues, null, 2)}`).toBeDefined();
    expect(issue?.message.length).toBeGreaterThan(20);
  });

  it('the valid starting points build', () => {
    expect(() => valid('linux', HOST).build()).not.toThrow();
    expect(() => valid('windows', HOST).build()).not.toThrow();
  });
});

describe('no other exception escapes', () => {
  const throwing = new Proxy({}, {
    get() {
      throw new Error('boom');
    },
  });
  const garbage: readonly unknown[] = [undefined, null, Number.NaN, -1, 2 ** 60, 'x', {}, [], Symbol('s'), 10n, () => 1, throwing];
  const setters: readonly [string, (b: Builder, v: never) => unknown][] = [
    ['memory.setSizeInMB', (b, v) => b.memory.setSizeInMB(v)],
    ['memory.setBacking', (b, v) => b.memory.setBacking(v)],
    ['memory.setMmio', (b, v) => b.memory.setMmio(v)],
    ['processor.setCount', (b, v) => b.processor.setCount(v)],
    ['processor.setCpuGroup', (b, v) => b.processor.setCpuGroup(v)],
    ['numa.setImplicit', (b, v) => b.numa.setImplicit(v)],
    ['numa.setExplicit', (b, v) => b.numa.setExplicit(v)],
    ['numa.setExplicit nodes', (b, v) => b.numa.setExplicit({ nodes: [v] })],
    ['devices.addScsiController', (b, v) => b.devices.addScsiController(v)],
    ['devices.addScsiDisk', (b, v) => b.devices.addScsiController(0).addScsiDisk(v)],
    ['devices.addScsiDisk lun', (b, v) => b.devices.addScsiController(0).addScsiDisk({ controller: 0, lun: v, path: 'C:\\a' })],
    ['devices.setVPMemController', (b, v) => b.devices.setVPMemController(v)],
    ['devices.addVPMemDevice', (b, v) => b.devices.setVPMemController({ maximumCount: 1, maximumSizeBytes: 4096 }).addVPMemDevice(v)],
    ['devices.addVsmbShare', (b, v) => b.devices.addVsmbShare(v)],
    ['devices.addPlan9Share', (b, v) => b.devices.addPlan9Share(v)],
    ['devices.addNetworkAdapter', (b, v) => b.devices.addNetworkAdapter(v, v)],
    ['devices.addVpciDevice', (b, v) => b.devices.addVpciDevice(v)],
    ['devices.addComPort', (b, v) => b.devices.addComPort(v, v)],
    ['devices.setHvSocketService', (b, v) => b.devices.setHvSocketService(v, v)],
    ['devices.setVideoMonitor', (b, v) => b.devices.setVideoMonitor(v)],
    ['boot.setUefi', (b, v) => b.boot.setUefi(v)],
    ['boot.setLinuxKernelDirect', (b, v) => b.boot.setLinuxKernelDirect(v)],
    ['boot.setFirmwareParameters', (b, v) => b.boot.setFirmwareParameters(v)],
    ['storageQoS.setIopsMaximum', (b, v) => b.storageQoS.setIopsMaximum(v)],
    ['security.setIsolation', (b, v) => b.security.setIsolation(v)],
    ['security.setLaunchDataFromPolicy', (b, v) => b.security.setIsolation({ type: 'SecureNestedPaging' }).setLaunchDataFromPolicy(v)],
    ['security.lockDownHvSocket', (b, v) => b.security.lockDownHvSocket(v)],
    ['security.lockDownHvSocket ports', (b, v) => b.security.lockDownHvSocket([v])],
    ['setOwner', (b, v) => b.setOwner(v)],
    ['setSchemaVersion', (b, v) => b.setSchemaVersion(v)],
    ['addRegistryValue', (b, v) => b.addRegistryValue(v)],
    ['setDebugOptions', (b, v) => b.setDebugOptions(v)],
  ];

  it.each(setters)('%s with any garbage value throws nothing from the setter and only ValidationError from build()', (_name, set) => {
    for (const value of garbage) {
      const b = valid('linux', HOST);
      expect(() => set(b, value as never)).not.toThrow();
      try {
        b.build();
        b.toJson();
      } catch (error) {
        expect(error, `value of type ${typeof value}`).toBeInstanceOf(ValidationError);
      }
    }
  });

  it('createBuilder with garbage options still builds into a ValidationError', () => {
    for (const options of [undefined, null, 'linux', { os: 'linux' }, { os: 'linux', host: 'x' }, { os: 'linux', host: HOST, newGuid: 5 }]) {
      expect(() => createBuilder(options as never).build()).toThrow(ValidationError);
    }
  });
});
