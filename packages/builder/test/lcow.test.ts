import { describe, expect, it } from 'vitest';
import { lcow, type LcowOptions } from '@uvm/builder';
import type { ComputeSystem, Logger } from '@uvm/types';
import { BOOT_DIR, HOST, SCSI, countingGuids, example, issuesOf } from './helpers.js';

const DEFAULTS: LcowOptions = { host: HOST, owner: 'uvm-example', bootFilesPath: BOOT_DIR, bootFiles: ['vmlinux', 'initrd.img'] };
const json = (options: Partial<LcowOptions>): ComputeSystem => JSON.parse(lcow({ ...DEFAULTS, ...options }).toJson()) as ComputeSystem;
const cmdline = (doc: ComputeSystem) => doc.VirtualMachine?.Chipset?.LinuxKernelDirect?.KernelCmdLine ?? doc.VirtualMachine?.Chipset?.Uefi?.BootThis?.OptionalData;

describe('lcow', () => {
  it("reproduces hcsshim's default LCOW document (docs/examples/lcow-default.json)", () => {
    expect(JSON.parse(lcow(DEFAULTS).toJson())).toEqual(example('lcow-default.json'));
  });

  it('builds the README example', () => {
    const builder = lcow({
      host: { windowsBuild: 26100, architecture: 'amd64', logicalProcessorCount: 8 },
      owner: 'my-shim',
      bootFilesPath: 'C:\\ContainerPlat\\LinuxBootFiles',
      bootFiles: ['vmlinux', 'initrd.img'],
    });
    builder.memory.setSizeInMB(2048);
    builder.devices.addScsiDisk({ controller: 1, lun: 0, path: 'C:\\layers\\base.vhdx', readOnly: true });
    const doc = JSON.parse(builder.toJson()) as ComputeSystem;
    expect(doc.Owner).toBe('my-shim');
    expect(doc.VirtualMachine?.ComputeTopology?.Memory).toEqual({ SizeInMB: 2048, AllowOvercommit: true });
    expect(doc.VirtualMachine?.Devices?.Scsi?.[SCSI[1]]).toEqual({ Attachments: { '0': { Type: 'VirtualDisk', Path: 'C:\\layers\\base.vhdx', ReadOnly: true } } });
  });

  it('builds the same document every time it is built', () => {
    const builder = lcow(DEFAULTS);
    expect(builder.toJson()).toBe(builder.toJson());
    expect(builder.build()).not.toBe(builder.build());
  });

  it.each([
    [undefined, 1024],
    [0, 1024],
    [1023, 1024],
    [1025, 1026],
    [2048, 2048],
  ])('turns memory size %s into %i MB (0 means 1024, then rounded up to even)', (memorySizeInMB, expected) => {
    expect(json(memorySizeInMB === undefined ? {} : { memorySizeInMB }).VirtualMachine?.ComputeTopology?.Memory?.SizeInMB).toBe(expected);
  });

  it('defaults to one vCPU when the process sees a single CPU', () => {
    const doc = json({ host: { ...HOST, processCpuCount: 1 } });
    expect(doc.VirtualMachine?.ComputeTopology?.Processor?.Count).toBe(1);
    expect(cmdline(doc)).toContain(' nr_cpus=1 ');
  });

  it('clamps the processor count to the host and warns, using the clamped count on the command line', () => {
    const warnings: unknown[] = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (...args: unknown[]) => warnings.push(args) };
    const doc = JSON.parse(lcow({ ...DEFAULTS, processorCount: 64, logger }).toJson()) as ComputeSystem;
    expect(doc.VirtualMachine?.ComputeTopology?.Processor?.Count).toBe(8);
    expect(cmdline(doc)).toContain(' nr_cpus=8 ');
    expect(warnings).toHaveLength(1);
  });

  it('boots a VHD root from SCSI controller 0, LUN 0, read-only, when rootfs.vhd is among the boot files', () => {
    const doc = json({ bootFiles: ['vmlinux', 'rootfs.vhd'] });
    expect(doc.VirtualMachine?.Devices?.Scsi?.[SCSI[0]]).toEqual({
      Attachments: { '0': { Type: 'VirtualDisk', Path: `${BOOT_DIR}\\rootfs.vhd`, ReadOnly: true } },
    });
    expect(doc.VirtualMachine?.Chipset?.LinuxKernelDirect).toEqual({
      KernelFilePath: `${BOOT_DIR}\\vmlinux`,
      KernelCmdLine: expect.stringMatching(/^root=\/dev\/sda ro rootwait init=\/init initcall_blacklist=virtio_vsock_init /) as unknown,
    });
  });

  it('prefers the initrd when asked, even with rootfs.vhd present', () => {
    const doc = json({ bootFiles: ['vmlinux', 'rootfs.vhd', 'initrd.img'], preferredRootFsType: 'initrd' });
    expect(doc.VirtualMachine?.Chipset?.LinuxKernelDirect?.InitRdPath).toBe(`${BOOT_DIR}\\initrd.img`);
    expect(doc.VirtualMachine?.Devices?.Scsi?.[SCSI[0]]).toEqual({});
  });

  it('uses the compressed kernel for kernel-direct boot when vmlinux is absent', () => {
    expect(json({ bootFiles: ['kernel', 'initrd.img'] }).VirtualMachine?.Chipset?.LinuxKernelDirect?.KernelFilePath).toBe(`${BOOT_DIR}\\kernel`);
  });

  it('boots the kernel through UEFI from a VmbFs share, with the initrd on the command line', () => {
    const doc = json({ kernelDirect: false, bootFiles: ['kernel', 'initrd.img'] });
    expect(doc.VirtualMachine?.Chipset).toEqual({
      Uefi: {
        BootThis: {
          DeviceType: 'VmbFs',
          DevicePath: '\\kernel',
          VmbFsRootPath: BOOT_DIR,
          OptionalData:
            'initrd=/initrd.img initcall_blacklist=virtio_vsock_init 8250_core.nr_uarts=0 panic=-1 quiet pci=off nr_cpus=2 brd.rd_nr=0 pmtmr=0 -- -e 1 /bin/vsockexec -e 109 /bin/gcs -v4 -log-format json -loglevel info',
        },
      },
    });
  });

  it('rejects hosts older than build 17763, which cannot run schema 2.x documents', () => {
    const issues = issuesOf(() => lcow({ ...DEFAULTS, host: { ...HOST, windowsBuild: 17134 }, kernelDirect: false, bootFiles: ['kernel', 'initrd.img'] }).build());
    expect(issues).toEqual([{ path: '/SchemaVersion', message: expect.stringContaining('17763') as unknown }]);
  });

  it('leaves Plan9 out of a live-migratable sandbox and lets vsockexec reconnect', () => {
    const doc = json({ liveMigration: true });
    expect(doc.VirtualMachine?.Devices).not.toHaveProperty('Plan9');
    expect(cmdline(doc)).toContain('/bin/vsockexec -r -e 109 ');
  });

  it('connects COM1 to the console pipe and opens the console on the command line', () => {
    const doc = json({ consolePipe: '\\\\.\\pipe\\uvm-console' });
    expect(doc.VirtualMachine?.Devices?.ComPorts).toEqual({ '0': { NamedPipe: '\\\\.\\pipe\\uvm-console' } });
    expect(cmdline(doc)).toContain('console=ttyS0,115200');
    expect(cmdline(doc)).toMatch(/sh -c"\/bin\/vsockexec .*& exec sh"$/);
  });

  it('adds the hvsock services it is given, with lower-case GUID keys', () => {
    const doc = json({ hvSocketServiceTable: { 'ABCDEF01-2345-6789-ABCD-EF0123456789': { bindSecurityDescriptor: 'D:P(A;;FA;;;WD)', allowWildcardBinds: true } } });
    expect(doc.VirtualMachine?.Devices?.HvSocket?.HvSocketConfig?.ServiceTable).toEqual({
      'abcdef01-2345-6789-abcd-ef0123456789': { BindSecurityDescriptor: 'D:P(A;;FA;;;WD)', AllowWildcardBinds: true },
    });
  });

  it('writes storage QoS only when a limit is set', () => {
    expect(json({ storageQoS: { iopsMaximum: 0, bandwidthMaximum: 0 } }).VirtualMachine).not.toHaveProperty('StorageQoS');
    expect(json({ storageQoS: { iopsMaximum: 500 } }).VirtualMachine?.StorageQoS).toEqual({ IopsMaximum: 500 });
  });

  it('assigns vPCI devices with the injected VMBus GUIDs and skips id types hcsshim does not assign', () => {
    const doc = JSON.parse(
      lcow({
        ...DEFAULTS,
        newGuid: countingGuids(),
        vpciEnabled: true,
        devices: [
          { id: 'PCIP\\VEN_10DE&DEV_13F2\\6&17F903&0&00400000', idType: 'vpci-instance-id' },
          { id: 'PCIP/VEN_8086&DEV_1572/4&2b4f2ad&0&0008/3', idType: 'gpu' },
          { id: 'class/5B45201D-F2F2-4F3B-85BB-30FF1F953599', idType: 'class' },
        ],
      }).toJson(),
    ) as ComputeSystem;
    expect(doc.VirtualMachine?.Devices?.VirtualPci).toEqual({
      '00000000-0000-4000-8000-000000000001': { Functions: [{ DeviceInstancePath: 'PCIP\\VEN_10DE&DEV_13F2\\6&17F903&0&00400000' }] },
      '00000000-0000-4000-8000-000000000002': { Functions: [{ DeviceInstancePath: 'PCIP\\VEN_8086&DEV_1572\\4&2b4f2ad&0&0008', VirtualFunction: 3 }] },
    });
    expect(cmdline(doc)).not.toContain('pci=off');
  });

  it('propagates NUMA affinity to vPCI devices with an implicit vNUMA topology on build 26100', () => {
    const doc = JSON.parse(
      lcow({
        ...DEFAULTS,
        newGuid: countingGuids(),
        fullyPhysicallyBacked: true,
        numa: { maxProcessorsPerNode: 1, maxSizePerNodeInMB: 512, preferredPhysicalNodes: [0, 1] },
        devices: [{ id: 'PCIP\\GPU\\1', idType: 'gpu' }],
      }).toJson(),
    ) as ComputeSystem;
    const topology = doc.VirtualMachine?.ComputeTopology;
    expect(topology?.Numa).toEqual({ PreferredPhysicalNodes: [0, 1], MaxSizePerNode: 512 });
    expect(topology?.Processor?.NumaProcessorsSettings).toEqual({ count_per_node: { max: 1 } });
    expect(topology?.Memory).toEqual({ SizeInMB: 1024, SlitType: 'FirmwareFallbackMeasured' });
    expect(doc.VirtualMachine?.Devices?.VirtualPci?.['00000000-0000-4000-8000-000000000001']?.PropagateNumaAffinity).toBe(true);
  });

  it('maps an explicit vNUMA topology node by node, physically backed', () => {
    const doc = json({
      fullyPhysicallyBacked: true,
      memorySizeInMB: 2048,
      numa: { mappedPhysicalNodes: [0, 1], countOfProcessors: [1, 1], countOfMemoryBlocks: [1024, 1024] },
    });
    expect(doc.VirtualMachine?.ComputeTopology?.Numa).toEqual({
      VirtualNodeCount: 2,
      Settings: [
        { CountOfProcessors: 1, CountOfMemoryBlocks: 1024, MemoryBackingType: 'Physical' },
        { VirtualNodeNumber: 1, PhysicalNodeNumber: 1, VirtualSocketNumber: 1, CountOfProcessors: 1, CountOfMemoryBlocks: 1024, MemoryBackingType: 'Physical' },
      ],
    });
  });

  it('matches the confidential (SEV-SNP) document of §4.10', () => {
    const doc = JSON.parse(
      lcow({
        ...DEFAULTS,
        bootFiles: ['kernel.vmgs', 'rootfs.vhd'],
        consolePipe: '\\\\.\\pipe\\ignored-for-snp',
        confidential: { securityPolicy: 'e30=', bundlePath: 'C:\\bundles\\sandbox1', hclEnabled: false, extraVsockPorts: [8000] },
      }).toJson(),
    ) as unknown;
    const lockedDown = { BindSecurityDescriptor: 'D:P(A;;FA;;;WD)', ConnectSecurityDescriptor: 'D:P(A;;FA;;;SY)(A;;FA;;;BA)', AllowWildcardBinds: true };
    expect(doc).toEqual({
      Owner: 'uvm-example',
      SchemaVersion: { Major: 2, Minor: 5 },
      VirtualMachine: {
        StopOnReset: true,
        Chipset: { Uefi: { ApplySecureBootTemplate: 'Apply', SecureBootTemplateId: '1734c6e8-3154-4dda-ba5f-a874cc483422' } },
        ComputeTopology: { Memory: { SizeInMB: 1024 }, Processor: { Count: 2 } },
        Devices: {
          Scsi: {
            [SCSI[0]]: { Attachments: { '0': { Type: 'VirtualDisk', Path: 'C:\\bundles\\sandbox1\\rootfs.vhd', ReadOnly: true } } },
            [SCSI[1]]: {},
            [SCSI[2]]: {},
            [SCSI[3]]: {},
          },
          HvSocket: {
            HvSocketConfig: {
              DefaultBindSecurityDescriptor: 'D:P(A;;FA;;;WD)',
              DefaultConnectSecurityDescriptor: 'D:P(A;;FA;;;SY)(A;;FA;;;BA)',
              ServiceTable: {
                '00000001-facb-11e6-bd58-64006a7986d3': lockedDown,
                '0000006d-facb-11e6-bd58-64006a7986d3': lockedDown,
                '00001f40-facb-11e6-bd58-64006a7986d3': lockedDown,
                '40000000-facb-11e6-bd58-64006a7986d3': lockedDown,
                '40000001-facb-11e6-bd58-64006a7986d3': lockedDown,
              },
            },
          },
          Plan9: {},
        },
        GuestState: { GuestStateFilePath: 'C:\\bundles\\sandbox1\\kernel.vmgs', GuestStateFileType: 'FileMode', ForceTransientState: true },
        SecuritySettings: {
          Isolation: { IsolationType: 'SecureNestedPaging', LaunchData: 'RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=', HclEnabled: false },
        },
      },
      ShouldTerminateOnLastHandleClosed: true,
    });
  });

  it('can be customised after the preset', () => {
    const builder = lcow(DEFAULTS);
    builder.devices.addScsiDisk({ controller: 1, lun: 0, path: 'C:\\layers\\base.vhdx', readOnly: true });
    builder.memory.setSizeInMB(4096);
    const doc = builder.build();
    expect(doc.VirtualMachine?.Devices?.Scsi?.[SCSI[1]]).toEqual({ Attachments: { '0': { Type: 'VirtualDisk', Path: 'C:\\layers\\base.vhdx', ReadOnly: true } } });
    expect(doc.VirtualMachine?.ComputeTopology?.Memory?.SizeInMB).toBe(4096);
  });

  describe("reports hcsshim's errors with the option's path", () => {
    it.each<[string, Partial<LcowOptions>, string, RegExp]>([
      ['a CPU group before build 19043', { host: { ...HOST, windowsBuild: 19042 }, cpuGroupId: '8fbfe2e4-39a4-4b52-8b8c-1b2a9c3f0e11' }, '/options/cpuGroupId', /19043/],
      ['a resource partition that is not a GUID', { resourcePartitionId: 'partition-1' }, '/options/resourcePartitionId', /GUID/],
      [
        'a CPU group and a resource partition together',
        { cpuGroupId: '8fbfe2e4-39a4-4b52-8b8c-1b2a9c3f0e11', resourcePartitionId: '2a0c2e6f-1d5e-4f7b-9a55-7c9f1b3c5d71' },
        '/options/resourcePartitionId',
        /at the same time/,
      ],
      ['deferred commit on physically backed memory', { fullyPhysicallyBacked: true, enableDeferredCommit: true }, '/options/enableDeferredCommit', /physically backed/],
      ['the cold discard hint before build 18967', { host: { ...HOST, windowsBuild: 18362 }, enableColdDiscardHint: true }, '/options/enableColdDiscardHint', /18967/],
      ['vNUMA before build 26100', { host: { ...HOST, windowsBuild: 20348 }, numa: { maxProcessorsPerNode: 2, maxSizePerNodeInMB: 512 } }, '/options/numa', /26100/],
      ['implicit vNUMA without a size per node', { numa: { maxProcessorsPerNode: 2 } }, '/options/numa/maxSizePerNodeInMB', /max size per node/i],
      ['explicit vNUMA lists of different lengths', { numa: { mappedPhysicalNodes: [0, 1], countOfProcessors: [1], countOfMemoryBlocks: [512, 512] } }, '/options/numa', /mismatch/i],
      ['kernel-direct boot before build 18286', { host: { ...HOST, windowsBuild: 17763 }, kernelDirect: true }, '/options/kernelDirect', /18286/],
      ['kernel-direct boot on arm64', { host: { ...HOST, architecture: 'arm64' }, kernelDirect: true }, '/options/kernelDirect', /arm64/],
      ['no kernel for kernel-direct boot', { bootFiles: ['initrd.img'] }, '/options/bootFiles', /kernel file not found/i],
      ['no kernel for UEFI boot', { kernelDirect: false, bootFiles: ['vmlinux', 'initrd.img'] }, '/options/bootFiles', /"kernel" not found/],
      ['a preferred root file system that is missing', { preferredRootFsType: 'vhd' }, '/options/bootFiles', /rootfs\.vhd/],
      ['an unknown preferred root file system type', { preferredRootFsType: 'squashfs' as 'vhd' }, '/options/preferredRootFsType', /PreferredRootFSType/],
      ['VPMem devices', { vpmemMaximumCount: 64 }, '/options/vpmemMaximumCount', /do not support vPMem/],
      [
        'the same vPCI device twice',
        { devices: [{ id: 'PCIP\\A\\1', idType: 'gpu' }, { id: 'PCIP/A/1', idType: 'vpci' }] },
        '/options/devices/1/id',
        /specified multiple times/,
      ],
      ['a console that is not a named pipe', { consolePipe: 'COM1' }, '/options/consolePipe', /not a named pipe/],
      ['dm-verity without its table', { bootFiles: ['vmlinux', 'rootfs.vhd'], dmVerity: true }, '/options/dmVerityCreateArgs', /DmVerityCreateArgs/],
      [
        'a confidential sandbox without its VMGS file',
        { bootFiles: ['rootfs.vhd'], confidential: { securityPolicy: 'e30=', bundlePath: 'C:\\b' } },
        '/options/bootFiles',
        /vmgs file/,
      ],
      [
        'a confidential policy that is not base64',
        { bootFiles: ['rootfs.vhd', 'kernel.vmgs'], confidential: { securityPolicy: 'not base64!', bundlePath: 'C:\\b' } },
        '/options/confidential/securityPolicy',
        /security policy digest/,
      ],
    ])('%s', (_name, options, path, message) => {
      const issues = issuesOf(() => lcow({ ...DEFAULTS, ...options }).build());
      expect(issues.find((i) => i.path === path)?.message).toMatch(message);
    });
  });
});
