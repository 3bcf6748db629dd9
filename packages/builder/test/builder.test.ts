import { describe, expect, it } from 'vitest';
import { createBuilder, type Builder } from '@uvm/builder';
import { ValidationError, type ComputeSystem } from '@uvm/types';
import { HOST, SCSI, countingGuids, issuePaths, issuesOf } from './helpers.js';

function linux(host = HOST): Builder {
  const b = createBuilder({ os: 'linux', host, newGuid: countingGuids() });
  b.memory.setSizeInMB(1024);
  b.processor.setCount(2);
  b.boot.setLinuxKernelDirect({ kernelFilePath: 'C:\\boot\\vmlinux', initRdPath: 'C:\\boot\\initrd.img', kernelCmdLine: 'quiet' });
  return b;
}

function windows(host = HOST): Builder {
  const b = createBuilder({ os: 'windows', host });
  b.memory.setSizeInMB(2048);
  b.processor.setCount(2);
  b.boot.setUefi({ bootThis: { devicePath: '\\EFI\\Microsoft\\Boot\\bootmgfw.efi' } });
  return b;
}

const parsed = (b: Builder) => JSON.parse(b.toJson()) as ComputeSystem;

describe('createBuilder', () => {
  it('gives a minimal Linux VM the hcsshim builder defaults: schema 2.1, terminate on last handle, stop on reset, Plan9 and the hvsock bind descriptor', () => {
    expect(parsed(linux())).toEqual({
      SchemaVersion: { Major: 2, Minor: 1 },
      VirtualMachine: {
        StopOnReset: true,
        Chipset: { LinuxKernelDirect: { KernelFilePath: 'C:\\boot\\vmlinux', InitRdPath: 'C:\\boot\\initrd.img', KernelCmdLine: 'quiet' } },
        ComputeTopology: { Memory: { SizeInMB: 1024 }, Processor: { Count: 2 } },
        Devices: { HvSocket: { HvSocketConfig: { DefaultBindSecurityDescriptor: 'D:P(A;;FA;;;SY)(A;;FA;;;BA)' } }, Plan9: {} },
      },
      ShouldTerminateOnLastHandleClosed: true,
    });
  });

  it('gives a Windows VM VSMB instead of Plan9', () => {
    const devices = parsed(windows()).VirtualMachine?.Devices;
    expect(devices).toHaveProperty('VirtualSmb', {});
    expect(devices).not.toHaveProperty('Plan9');
  });

  it('lists every problem of an empty builder at once', () => {
    expect(issuePaths(() => createBuilder({ os: 'linux', host: HOST }).build()).sort()).toEqual([
      '/VirtualMachine/Chipset',
      '/VirtualMachine/ComputeTopology/Memory/SizeInMB',
      '/VirtualMachine/ComputeTopology/Processor/Count',
    ]);
  });

  it('throws a ValidationError whose message lists each path and how to fix it', () => {
    try {
      createBuilder({ os: 'linux', host: HOST }).build();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe('ERR_UVM_VALIDATION');
      expect((error as ValidationError).message).toContain('/VirtualMachine/ComputeTopology/Memory/SizeInMB: The memory size is required');
    }
  });

  it('never throws from a setter, even for nonsense, and reports it from build()', () => {
    const b = linux();
    expect(() => b.devices.addScsiDisk(null as never).addVsmbShare(undefined as never)).not.toThrow();
    expect(() => b.build()).toThrow(ValidationError);
  });

  it('keeps its intent when the caller mutates the objects it passed', () => {
    const b = linux();
    const disk = { controller: 0, lun: 1, path: 'C:\\d.vhdx' };
    b.devices.addScsiController(0).addScsiDisk(disk);
    disk.path = 'C:\\other.vhdx';
    expect(b.build().VirtualMachine?.Devices?.Scsi?.[SCSI[0]]?.Attachments?.['1']?.Path).toBe('C:\\d.vhdx');
  });

  it('returns a new document from each build, so changing one does not change the builder', () => {
    const b = linux();
    const first = b.build();
    first.VirtualMachine!.ComputeTopology!.Processor!.Count = 99;
    expect(b.build().VirtualMachine?.ComputeTopology?.Processor?.Count).toBe(2);
  });
});

describe('top-level settings', () => {
  it('sets owner, stop-on-reset, terminate-on-close and the resource partition (lower-cased)', () => {
    const doc = parsed(linux().setOwner('my-shim').setStopOnReset(false).setTerminateOnLastHandleClosed(false).setResourcePartitionId('2A0C2E6F-1D5E-4F7B-9A55-7C9F1B3C5D71'));
    expect(doc.Owner).toBe('my-shim');
    expect(doc.VirtualMachine).not.toHaveProperty('StopOnReset');
    expect(doc).not.toHaveProperty('ShouldTerminateOnLastHandleClosed');
    expect(doc.VirtualMachine?.ResourcePartitionId).toBe('2a0c2e6f-1d5e-4f7b-9a55-7c9f1b3c5d71');
  });

  it('keeps a pinned schema version the host supports', () => {
    expect(parsed(linux().setSchemaVersion({ Major: 2, Minor: 5 })).SchemaVersion).toEqual({ Major: 2, Minor: 5 });
  });

  it('chooses schema 2.5 by itself for a confidential VM', () => {
    const b = linux();
    b.boot.clear().setUefi({ applySecureBootTemplate: 'Apply', secureBootTemplateId: '1734c6e8-3154-4dda-ba5f-a874cc483422' });
    b.security.setIsolation({ type: 'SecureNestedPaging' }).setGuestState({ guestStateFilePath: 'C:\\b\\kernel.vmgs', guestStateFileType: 'FileMode' });
    expect(parsed(b).SchemaVersion).toEqual({ Major: 2, Minor: 5 });
  });

  it('writes registry values and debug options for a Windows guest', () => {
    const b = windows()
      .addRegistryValue({ key: { hive: 'System', name: 'CurrentControlSet\\Services\\gns' }, name: 'EnableCompartmentNamespace', type: 'DWord', dWordValue: 1 })
      .setDebugOptions({ bugcheckSavedStateFileName: 'C:\\dumps\\vm-savedstate.vmrs' })
      .setVirtualMachineVersion({ Major: 12 });
    const vm = parsed(b).VirtualMachine;
    expect(vm?.RegistryChanges).toEqual({
      AddValues: [{ Key: { Hive: 'System', Name: 'CurrentControlSet\\Services\\gns' }, Name: 'EnableCompartmentNamespace', Type: 'DWord', DWordValue: 1 }],
    });
    expect(vm?.DebugOptions).toEqual({ BugcheckSavedStateFileName: 'C:\\dumps\\vm-savedstate.vmrs' });
    expect(vm?.Version).toEqual({ Major: 12 });
  });
});

describe('memory', () => {
  it('writes every memory setting under its HCS name (note the Mmio spelling)', () => {
    const b = linux();
    b.memory
      .setSizeInMB(2048)
      .setAllowOvercommit(true)
      .setDeferredCommit(true)
      .setHotHint(true)
      .setColdHint(true)
      .setColdDiscardHint(true)
      .setMmio({ lowGapInMB: 256, highBaseInMB: 65536, highGapInMB: 4096 })
      .setSlitType('Firmware');
    expect(parsed(b).VirtualMachine?.ComputeTopology?.Memory).toEqual({
      SizeInMB: 2048,
      AllowOvercommit: true,
      EnableHotHint: true,
      EnableColdHint: true,
      EnableColdDiscardHint: true,
      EnableDeferredCommit: true,
      LowMmioGapInMB: 256,
      HighMmioBaseInMB: 65536,
      HighMmioGapInMB: 4096,
      SlitType: 'Firmware',
    });
  });

  it('derives overcommit from the backing as hcsshim does', () => {
    const virtual = linux();
    virtual.memory.setBacking('Virtual');
    expect(parsed(virtual).VirtualMachine?.ComputeTopology?.Memory).toEqual({ SizeInMB: 1024, Backing: 'Virtual', AllowOvercommit: true });
    const physical = linux();
    physical.memory.setBacking('Physical');
    expect(parsed(physical).VirtualMachine?.ComputeTopology?.Memory).toEqual({ SizeInMB: 1024, Backing: 'Physical' });
  });
});

describe('processor', () => {
  it('writes count, limit, weight, reservation and the CPU group', () => {
    const b = linux();
    b.processor.setCount(4).setLimit(50_000).setWeight(200).setReservation(10_000).setCpuGroup('8FBFE2E4-39A4-4B52-8B8C-1B2A9C3F0E11');
    expect(parsed(b).VirtualMachine?.ComputeTopology?.Processor).toEqual({
      Count: 4,
      Limit: 50_000,
      Weight: 200,
      Reservation: 10_000,
      CpuGroup: { Id: '8fbfe2e4-39a4-4b52-8b8c-1b2a9c3f0e11' },
    });
  });

  it('clamps the count to the host when asked, as hcsshim does, and warns', () => {
    const warnings: unknown[] = [];
    const b = createBuilder({ os: 'linux', host: HOST, logger: { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (...a: unknown[]) => warnings.push(a) } });
    b.memory.setSizeInMB(1024);
    b.boot.setLinuxKernelDirect({ kernelFilePath: 'C:\\boot\\vmlinux' });
    b.processor.setCount(64, { clampToHost: true });
    expect(b.build().VirtualMachine?.ComputeTopology?.Processor?.Count).toBe(8);
    expect(warnings).toHaveLength(1);
  });
});

describe('numa', () => {
  it('writes an implicit topology with the snake_case processor keys and the fallback SLIT', () => {
    const b = linux();
    b.memory.setAllowOvercommit(false);
    b.numa.setImplicit({ maxProcessorsPerNode: 2, maxSizePerNodeInMB: 512, nodesPerSocket: 1 });
    const topology = parsed(b).VirtualMachine?.ComputeTopology;
    expect(topology?.Processor?.NumaProcessorsSettings).toEqual({ count_per_node: { max: 2 }, node_per_socket: 1 });
    expect(topology?.Numa).toEqual({ MaxSizePerNode: 512 });
    expect(topology?.Memory?.SlitType).toBe('FirmwareFallbackMeasured');
  });

  it('keeps an explicitly chosen SLIT type with a topology', () => {
    const b = linux();
    b.memory.setAllowOvercommit(false).setSlitType('Measured');
    b.numa.setExplicit({ nodes: [{ physicalNode: 0, countOfProcessors: 2, countOfMemoryBlocks: 1024 }] });
    expect(parsed(b).VirtualMachine?.ComputeTopology?.Memory?.SlitType).toBe('Measured');
  });

  it('can be cleared', () => {
    const b = linux();
    b.numa.setImplicit({ maxProcessorsPerNode: 2, maxSizePerNodeInMB: 512 }).clear();
    expect(parsed(b).VirtualMachine?.ComputeTopology).not.toHaveProperty('Numa');
  });
});

describe('devices', () => {
  it('adds SCSI controllers by index, in index order, with their attachments', () => {
    const b = linux();
    b.devices
      .addScsiController(2)
      .addScsiController(0)
      .addScsiController(0)
      .addScsiDisk({ controller: 0, lun: 0, path: 'C:\\rootfs.vhd', readOnly: true })
      .addScsiDisk({ controller: 2, lun: 63, path: '\\\\.\\PhysicalDrive2', type: 'PassThru' })
      .addScsiDisk({ controller: 0, lun: 1, path: 'vdisk://x', type: 'ExtensibleVirtualDisk', extensibleVirtualDiskType: 'space', cachingMode: 'ReadOnlyCached' });
    const scsi = parsed(b).VirtualMachine?.Devices?.Scsi;
    expect(Object.keys(scsi ?? {})).toEqual([SCSI[0], SCSI[2]].sort());
    expect(scsi?.[SCSI[0]]?.Attachments).toEqual({
      '0': { Type: 'VirtualDisk', Path: 'C:\\rootfs.vhd', ReadOnly: true },
      '1': { Type: 'ExtensibleVirtualDisk', Path: 'vdisk://x', CachingMode: 'ReadOnlyCached', ExtensibleVirtualDiskType: 'space' },
    });
    expect(scsi?.[SCSI[2]]?.Attachments).toEqual({ '63': { Type: 'PassThru', Path: '\\\\.\\PhysicalDrive2' } });
  });

  it('writes the VPMem controller and its devices, Vhd1 by default', () => {
    const b = linux();
    b.devices.setVPMemController({ maximumCount: 64, maximumSizeBytes: 4 * 1024 ** 3 }).addVPMemDevice({ index: 0, hostPath: 'C:\\layers\\0.vhd', readOnly: true });
    expect(parsed(b).VirtualMachine?.Devices?.VirtualPMem).toEqual({
      Devices: { '0': { HostPath: 'C:\\layers\\0.vhd', ReadOnly: true, ImageFormat: 'Vhd1' } },
      MaximumCount: 64,
      MaximumSizeBytes: 4294967296,
    });
    expect(b.vpmemMultiMapping).toBe(true);
  });

  it('says VPMem multi-mapping is off by default before build 18362', () => {
    const b = linux({ ...HOST, windowsBuild: 18286 });
    b.devices.setVPMemController({ maximumCount: 1, maximumSizeBytes: 4096 });
    expect(b.vpmemMultiMapping).toBe(false);
  });

  it('writes Plan9 shares with hcsshim defaults: access name = name, port 564, LinuxMetadata, plus ReadOnly and RestrictFileAccess', () => {
    const b = linux();
    b.devices
      .addPlan9Share({ name: '0', path: 'C:\\share' })
      .addPlan9Share({ name: '1', path: 'C:\\files', readOnly: true, allowedFiles: ['config.json'] });
    expect(parsed(b).VirtualMachine?.Devices?.Plan9).toEqual({
      Shares: [
        { Name: '0', AccessName: '0', Path: 'C:\\share', Port: 564, Flags: 4 },
        { Name: '1', AccessName: '1', Path: 'C:\\files', Port: 564, Flags: 0x85, AllowedFiles: ['config.json'] },
      ],
    });
  });

  it('drops Plan9 when asked', () => {
    const b = linux();
    b.devices.setPlan9Enabled(false);
    expect(parsed(b).VirtualMachine?.Devices).not.toHaveProperty('Plan9');
  });

  it('writes VSMB shares with their options and the direct-map size', () => {
    const b = windows();
    b.devices.setVsmbDirectFileMappingInMB(1024).addVsmbShare({ name: 'os', path: 'C:\\uvm\\Files', options: { readOnly: true, shareRead: true, takeBackupPrivilege: true } });
    expect(parsed(b).VirtualMachine?.Devices?.VirtualSmb).toEqual({
      Shares: [{ Name: 'os', Path: 'C:\\uvm\\Files', Options: { ReadOnly: true, ShareRead: true, TakeBackupPrivilege: true } }],
      DirectFileMappingInMB: 1024,
    });
  });

  it('writes network adapters with lower-case endpoint ids and pointer IOV settings, zero included', () => {
    const b = linux();
    b.devices.addNetworkAdapter('nic0', { endpointId: 'A1B2C3D4-0000-4000-8000-000000000001', macAddress: '00-15-5D-52-C0-00', iov: { offloadWeight: 0, interruptModeration: 'Off' } });
    expect(JSON.parse(b.toJson())).toMatchObject({
      VirtualMachine: {
        Devices: {
          NetworkAdapters: {
            nic0: { EndpointId: 'a1b2c3d4-0000-4000-8000-000000000001', MacAddress: '00-15-5D-52-C0-00', IovSettings: { OffloadWeight: 0, InterruptModeration: 'Off' } },
          },
        },
      },
    });
  });

  it('keys vPCI devices by the injected GUID and writes PropagateNumaAffinity even when false', () => {
    const b = linux();
    b.devices
      .addVpciDevice({ functions: [{ deviceInstancePath: 'PCIP\\GPU\\0' }], propagateNumaAffinity: false })
      .addVpciDevice({ functions: [{ deviceInstancePath: 'PCIP\\NIC\\0', virtualFunction: 2 }], vmbusGuid: 'ABCDEF01-0000-4000-8000-000000000000' });
    expect(parsed(b).VirtualMachine?.Devices?.VirtualPci).toEqual({
      '00000000-0000-4000-8000-000000000001': { Functions: [{ DeviceInstancePath: 'PCIP\\GPU\\0' }], PropagateNumaAffinity: false },
      'abcdef01-0000-4000-8000-000000000000': { Functions: [{ DeviceInstancePath: 'PCIP\\NIC\\0', VirtualFunction: 2 }] },
    });
  });

  it('connects COM ports to named pipes', () => {
    const b = linux();
    b.devices.addComPort(0, { namedPipe: '\\\\.\\pipe\\com1' }).addComPort(1, { namedPipe: '\\\\.\\pipe\\com2', optimizeForDebugger: true });
    expect(parsed(b).VirtualMachine?.Devices?.ComPorts).toEqual({
      '0': { NamedPipe: '\\\\.\\pipe\\com1' },
      '1': { NamedPipe: '\\\\.\\pipe\\com2', OptimizeForDebugger: true },
    });
  });

  it('writes the hvsock defaults and service table, replacing a service set twice', () => {
    const b = linux();
    b.devices
      .setHvSocketDefaults({ bindSecurityDescriptor: 'D:P(A;;FA;;;WD)', connectSecurityDescriptor: 'D:P(A;;FA;;;SY)' })
      .setHvSocketService('0000006D-FACB-11E6-BD58-64006A7986D3', { bindSecurityDescriptor: 'D:P(A;;FA;;;SY)' })
      .setHvSocketService('0000006d-facb-11e6-bd58-64006a7986d3', { allowWildcardBinds: true, disabled: false });
    expect(parsed(b).VirtualMachine?.Devices?.HvSocket).toEqual({
      HvSocketConfig: {
        DefaultBindSecurityDescriptor: 'D:P(A;;FA;;;WD)',
        DefaultConnectSecurityDescriptor: 'D:P(A;;FA;;;SY)',
        ServiceTable: { '0000006d-facb-11e6-bd58-64006a7986d3': { AllowWildcardBinds: true } },
      },
    });
  });

  it("enables hcsshim's graphics console, a mouse, and crash reporting for a Windows guest", () => {
    const b = windows();
    b.devices.enableGraphicsConsole().enableMouse().setGuestCrashReporting({ dumpFileName: 'C:\\dumps\\vm-windows-crash', dumpType: 'Full' });
    const devices = parsed(b).VirtualMachine?.Devices;
    expect(devices).toMatchObject({
      Keyboard: {},
      Mouse: {},
      EnhancedModeVideo: {},
      VideoMonitor: {},
      GuestCrashReporting: { WindowsCrashSettings: { DumpFileName: 'C:\\dumps\\vm-windows-crash', DumpType: 'Full' } },
    });
  });

  it('writes a video monitor with its resolution and RDP access', () => {
    const b = windows();
    b.devices.setVideoMonitor({ horizontalResolution: 1920, verticalResolution: 1080, connectionOptions: { accessSids: ['S-1-5-32-544'], namedPipe: '\\\\.\\pipe\\rdp' } });
    expect(parsed(b).VirtualMachine?.Devices?.VideoMonitor).toEqual({
      HorizontalResolution: 1920,
      VerticalResolution: 1080,
      ConnectionOptions: { AccessSids: ['S-1-5-32-544'], NamedPipe: '\\\\.\\pipe\\rdp' },
    });
  });
});

describe('boot', () => {
  it('writes a UEFI VmbFs boot entry and a secure boot template', () => {
    const b = windows();
    b.boot.setUefi({
      bootThis: { devicePath: '\\EFI\\Microsoft\\Boot\\bootmgfw.efi', vmbFsRootPath: 'C:\\uvm', diskNumber: 1, optionalData: 'x' },
      applySecureBootTemplate: 'Apply',
      secureBootTemplateId: '1734C6E8-3154-4DDA-BA5F-A874CC483422',
    });
    expect(parsed(b).VirtualMachine?.Chipset).toEqual({
      Uefi: {
        ApplySecureBootTemplate: 'Apply',
        SecureBootTemplateId: '1734c6e8-3154-4dda-ba5f-a874cc483422',
        BootThis: { DeviceType: 'VmbFs', DevicePath: '\\EFI\\Microsoft\\Boot\\bootmgfw.efi', DiskNumber: 1, OptionalData: 'x', VmbFsRootPath: 'C:\\uvm' },
      },
    });
  });

  it('writes firmware parameters as base64', () => {
    const b = windows();
    b.boot.setFirmwareParameters(new TextEncoder().encode('hello'));
    expect(parsed(b).VirtualMachine?.Chipset?.FirmwareFile).toEqual({ Parameters: 'aGVsbG8=' });
  });
});

describe('storageQoS', () => {
  it('writes the limits that are set', () => {
    const b = linux();
    b.storageQoS.setIopsMaximum(1000).setBandwidthMaximum(1_000_000);
    expect(parsed(b).VirtualMachine?.StorageQoS).toEqual({ IopsMaximum: 1000, BandwidthMaximum: 1_000_000 });
  });

  it('leaves the section out when every limit is zero', () => {
    const b = linux();
    b.storageQoS.setIopsMaximum(0);
    expect(parsed(b).VirtualMachine).not.toHaveProperty('StorageQoS');
  });
});

describe('security', () => {
  function confidential(): Builder {
    const b = linux();
    b.boot.clear().setUefi({ applySecureBootTemplate: 'Apply', secureBootTemplateId: '1734c6e8-3154-4dda-ba5f-a874cc483422' });
    return b;
  }

  it('computes the launch data from the policy and locks the hvsock table down', () => {
    const b = confidential();
    b.security
      .setIsolation({ type: 'SecureNestedPaging', hclEnabled: true })
      .setLaunchDataFromPolicy('e30=')
      .setGuestState({ guestStateFilePath: 'C:\\b\\kernel.vmgs', guestStateFileType: 'FileMode', forceTransientState: true })
      .lockDownHvSocket([1]);
    const vm = parsed(b).VirtualMachine;
    expect(vm?.SecuritySettings).toEqual({
      Isolation: { IsolationType: 'SecureNestedPaging', LaunchData: 'RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=', HclEnabled: true },
    });
    expect(vm?.GuestState).toEqual({ GuestStateFilePath: 'C:\\b\\kernel.vmgs', GuestStateFileType: 'FileMode', ForceTransientState: true });
    expect(vm?.Devices?.HvSocket?.HvSocketConfig).toEqual({
      DefaultBindSecurityDescriptor: 'D:P(A;;FA;;;WD)',
      DefaultConnectSecurityDescriptor: 'D:P(A;;FA;;;SY)(A;;FA;;;BA)',
      ServiceTable: {
        '00000001-facb-11e6-bd58-64006a7986d3': {
          BindSecurityDescriptor: 'D:P(A;;FA;;;WD)',
          ConnectSecurityDescriptor: 'D:P(A;;FA;;;SY)(A;;FA;;;BA)',
          AllowWildcardBinds: true,
        },
      },
    });
  });

  it('enables the TPM', () => {
    const b = windows();
    b.security.enableTpm();
    expect(parsed(b).VirtualMachine?.SecuritySettings).toEqual({ EnableTpm: true });
  });

  it('reports a policy that is not base64 at the launch data', () => {
    const b = confidential();
    b.security.setIsolation({ type: 'SecureNestedPaging' }).setLaunchDataFromPolicy('%%%').setGuestState({ guestStateFilePath: 'C:\\b\\kernel.vmgs' });
    expect(issuesOf(() => b.build())).toEqual([
      { path: '/VirtualMachine/SecuritySettings/Isolation/LaunchData', message: expect.stringContaining('security policy digest') as unknown },
    ]);
  });
});
