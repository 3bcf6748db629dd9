import { describe, expect, it } from 'vitest';
import { wcow, type WcowOptions } from '@uvm/builder';
import { HOST, SCSI, issuesOf } from './helpers.js';

const DEFAULTS: WcowOptions = { host: HOST, owner: 'uvm-example', uvmLayerPath: 'C:\\layers\\uvm', scratchDirectory: 'C:\\sandboxes\\s1' };
const json = (options: Partial<WcowOptions>) => JSON.parse(wcow({ ...DEFAULTS, ...options }).toJson()) as Record<string, unknown>;
const SYSTEM_ADMINS = 'D:P(A;;FA;;;SY)(A;;FA;;;BA)';
const LOG_SERVICE = { BindSecurityDescriptor: SYSTEM_ADMINS, ConnectSecurityDescriptor: SYSTEM_ADMINS, AllowWildcardBinds: true };
const COMPARTMENTS = { Key: { Hive: 'System', Name: 'CurrentControlSet\\Services\\gns' }, Name: 'EnableCompartmentNamespace', Type: 'DWord', DWordValue: 1 };
const CONFIDENTIAL = {
  securityPolicy: 'e30=',
  bootFilesPath: 'C:\\WindowsBootFiles\\confidential',
  efiVhdPath: 'C:\\WindowsBootFiles\\confidential\\efi.vhd',
  bootCimVhdPath: 'C:\\sandboxes\\s1\\boot.cim.vhd',
  bundlePath: 'C:\\sandboxes\\s1',
};

describe('wcow', () => {
  it('matches the WCOW document of §4b.3', () => {
    expect(json({})).toEqual({
      Owner: 'uvm-example',
      SchemaVersion: { Major: 2, Minor: 1 },
      VirtualMachine: {
        StopOnReset: true,
        Chipset: { Uefi: { BootThis: { DeviceType: 'VmbFs', DevicePath: '\\EFI\\Microsoft\\Boot\\bootmgfw.efi' } } },
        ComputeTopology: { Memory: { SizeInMB: 1024, AllowOvercommit: true, EnableHotHint: true }, Processor: { Count: 2 } },
        Devices: {
          Scsi: { [SCSI[0]]: { Attachments: { '0': { Type: 'VirtualDisk', Path: 'C:\\sandboxes\\s1\\sandbox.vhdx' } } } },
          HvSocket: { HvSocketConfig: { DefaultBindSecurityDescriptor: SYSTEM_ADMINS, ServiceTable: { '172dad59-976d-45f2-8b6c-6d1b13f2ac4d': LOG_SERVICE } } },
          VirtualSmb: {
            Shares: [
              {
                Name: 'os',
                Path: 'C:\\layers\\uvm\\UtilityVM\\Files',
                Options: { ReadOnly: true, ShareRead: true, CacheIo: true, TakeBackupPrivilege: true, PseudoOplocks: true },
              },
            ],
            DirectFileMappingInMB: 1024,
          },
        },
        RegistryChanges: { AddValues: [COMPARTMENTS] },
      },
      ShouldTerminateOnLastHandleClosed: true,
    });
  });

  it('adds the WER values first when process dumps are collected, and can leave out compartments', () => {
    const registry = (json({ processDumpLocation: 'C:\\dumps', disableCompartmentNamespace: true }).VirtualMachine as Record<string, unknown>).RegistryChanges;
    expect(registry).toEqual({
      AddValues: [
        { Key: { Hive: 'System', Name: 'ControlSet001\\Services\\WerSvc' }, Name: 'Start', Type: 'DWord', DWordValue: 2 },
        { Key: { Hive: 'Software', Name: 'Microsoft\\Windows\\Windows Error Reporting' }, Name: 'Disabled', Type: 'DWord', DWordValue: 1 },
      ],
    });
  });

  it('appends additional registry values after the built-in ones', () => {
    const extra = { key: { hive: 'Software' as const, name: 'Contoso\\Agent' }, name: 'Mode', type: 'String' as const, stringValue: 'fast' };
    const registry = (json({ additionalRegistryKeys: [extra] }).VirtualMachine as Record<string, unknown>).RegistryChanges;
    expect(registry).toEqual({ AddValues: [COMPARTMENTS, { Key: { Hive: 'Software', Name: 'Contoso\\Agent' }, Name: 'Mode', Type: 'String', StringValue: 'fast' }] });
  });

  it('turns direct mapping of the os share off for physically backed VMs, and hot hints with overcommit', () => {
    const vm = json({ fullyPhysicallyBacked: true }).VirtualMachine as Record<string, Record<string, unknown>>;
    expect(vm.Devices?.VirtualSmb).toMatchObject({ Shares: [{ Options: { NoDirectmap: true } }] });
    expect(vm.ComputeTopology).toMatchObject({ Memory: { SizeInMB: 1024 } });
    expect((vm.ComputeTopology?.Memory as Record<string, unknown>).EnableHotHint).toBeUndefined();
  });

  it('names the dump files after the UVM id', () => {
    const vm = json({ id: 'uvm1', dumpDirectoryPath: 'C:\\dumps' }).VirtualMachine as Record<string, Record<string, unknown>>;
    expect(vm.DebugOptions).toEqual({
      BugcheckSavedStateFileName: 'C:\\dumps\\uvm1-savedstate.vmrs',
      BugcheckNoCrashdumpSavedStateFileName: 'C:\\dumps\\uvm1-savedstate_nocrashdump.vmrs',
    });
    expect(vm.Devices?.GuestCrashReporting).toEqual({ WindowsCrashSettings: { DumpFileName: 'C:\\dumps\\uvm1-windows-crash', DumpType: 'Full' } });
  });

  it('adds the console pipe, the graphics console and extra hvsock services', () => {
    const devices = (json({
      consolePipe: '\\\\.\\pipe\\wcow',
      enableGraphicsConsole: true,
      logForwarding: false,
      hvSocketServiceTable: { 'acef5661-84a1-4e44-856b-6245e69f4620': { allowWildcardBinds: true } },
    }).VirtualMachine as Record<string, unknown>).Devices;
    expect(devices).toMatchObject({
      ComPorts: { '0': { NamedPipe: '\\\\.\\pipe\\wcow' } },
      Keyboard: {},
      EnhancedModeVideo: {},
      VideoMonitor: {},
      HvSocket: { HvSocketConfig: { ServiceTable: { 'acef5661-84a1-4e44-856b-6245e69f4620': { AllowWildcardBinds: true } } } },
    });
  });

  it('matches the confidential (BlockCIM) WCOW document of §4b.3', () => {
    const doc = json({ memorySizeInMB: 2048, confidential: { ...CONFIDENTIAL, firmwareParameters: 'x=1' } });
    expect(doc).toEqual({
      Owner: 'uvm-example',
      SchemaVersion: { Major: 2, Minor: 5 },
      VirtualMachine: {
        Version: { Major: 12 },
        StopOnReset: true,
        Chipset: {
          Uefi: { ApplySecureBootTemplate: 'Apply', SecureBootTemplateId: '1734c6e8-3154-4dda-ba5f-a874cc483422' },
          FirmwareFile: { Parameters: 'eD0x' },
        },
        ComputeTopology: { Memory: { SizeInMB: 2048 }, Processor: { Count: 2 } },
        Devices: {
          Scsi: {
            [SCSI[0]]: {
              Attachments: {
                '0': { Type: 'VirtualDisk', Path: 'C:\\sandboxes\\s1\\sandbox.vhdx' },
                '1': { Type: 'VirtualDisk', Path: 'C:\\WindowsBootFiles\\confidential\\efi.vhd', ReadOnly: true },
                '2': { Type: 'VirtualDisk', Path: 'C:\\sandboxes\\s1\\boot.cim.vhd', ReadOnly: true },
              },
            },
          },
          HvSocket: { HvSocketConfig: { DefaultBindSecurityDescriptor: SYSTEM_ADMINS } },
          VirtualSmb: {
            Shares: [{ Name: 'defaultEmptyShare', Path: 'C:\\sandboxes\\s1\\EmptyDoNotModify', Options: { ReadOnly: true, ShareRead: true, NoOplocks: true } }],
            DirectFileMappingInMB: 1024,
          },
        },
        GuestState: { GuestStateFilePath: 'C:\\WindowsBootFiles\\confidential\\cwcow.snp.vmgs', GuestStateFileType: 'BlockStorage' },
        RegistryChanges: { AddValues: [COMPARTMENTS] },
        SecuritySettings: { Isolation: { IsolationType: 'SecureNestedPaging', LaunchData: 'RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=', HclEnabled: true } },
      },
      ShouldTerminateOnLastHandleClosed: true,
    });
  });

  it('skips the secure boot template and picks the VBS guest state file when asked', () => {
    const vm = json({ memorySizeInMB: 4096, confidential: { ...CONFIDENTIAL, isolationType: 'VirtualizationBasedSecurity', disableSecureBoot: true, writableEfi: true } })
      .VirtualMachine as Record<string, Record<string, unknown>>;
    expect(vm.Chipset).toEqual({ Uefi: { ApplySecureBootTemplate: 'Skip' } });
    expect(vm.GuestState).toEqual({ GuestStateFilePath: 'C:\\WindowsBootFiles\\confidential\\cwcow.vbs.vmgs', GuestStateFileType: 'BlockStorage' });
    expect(vm.Devices).toMatchObject({ Scsi: { [SCSI[0]]: { Attachments: { '1': { Type: 'VirtualDisk', Path: CONFIDENTIAL.efiVhdPath } } } } });
  });

  describe("reports hcsshim's errors with the option's path", () => {
    it.each<[string, Partial<WcowOptions>, string, RegExp]>([
      ['less than 2048 MB for a confidential VM', { confidential: CONFIDENTIAL }, '/options/memorySizeInMB', /Minimum 2048MB/],
      ['a graphics console on an SNP VM', { memorySizeInMB: 2048, enableGraphicsConsole: true, confidential: CONFIDENTIAL }, '/options/enableGraphicsConsole', /graphics console/],
      ['a confidential VM without a guest state file', { memorySizeInMB: 2048, confidential: { ...CONFIDENTIAL, bootFilesPath: undefined as never } }, '/options/confidential/guestStateFilePath', /guest state file/],
      ['no utility VM image', { uvmLayerPath: undefined as never }, '/options/uvmLayerPath', /image layer is required/],
      ['no scratch directory', { scratchDirectory: '' }, '/options/scratchDirectory', /scratch directory is required/],
      ['dump files without the UVM id', { dumpDirectoryPath: 'C:\\dumps' }, '/options/id', /UVM id/],
      [
        'a registry key outside the allowed ones',
        { additionalRegistryKeys: [{ key: { hive: 'System', name: 'Setup' }, name: 'x', type: 'DWord', dWordValue: 1 }] },
        '/options/additionalRegistryKeys/0',
        /may not be changed/,
      ],
      [
        'a registry value without data',
        { additionalRegistryKeys: [{ key: { hive: 'Software', name: 'A' }, name: 'x', type: 'DWord' }] },
        '/options/additionalRegistryKeys/0',
        /exactly one kind/,
      ],
      ['deferred commit without overcommit', { allowOvercommit: false, enableDeferredCommit: true }, '/options/enableDeferredCommit', /physically backed/],
      ['a console that is not a named pipe', { consolePipe: 'COM1' }, '/options/consolePipe', /not a named pipe/],
    ])('%s', (_name, options, path, message) => {
      const issues = issuesOf(() => wcow({ ...DEFAULTS, ...options }).build());
      expect(issues.find((i) => i.path === path)?.message).toMatch(message);
    });
  });
});
