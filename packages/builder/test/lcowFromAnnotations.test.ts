import { describe, expect, it } from 'vitest';
import { LcowAnnotation as A, lcow, lcowFromAnnotations, type LcowAnnotationContext, type LcowRuntimeOptions } from '@uvm/builder';
import type { ComputeSystem } from '@uvm/types';
import { BOOT_DIR, HOST, countingGuids, example, issuesOf } from './helpers.js';

const RUNTIME: LcowRuntimeOptions = { sandboxPlatform: 'linux/amd64', bootFilesRootPath: BOOT_DIR };
const CONTEXT: LcowAnnotationContext = { owner: 'uvm-example', bootFiles: ['vmlinux', 'initrd.img'] };
const run = (annotations: Record<string, string>, runtime: LcowRuntimeOptions = RUNTIME, context: LcowAnnotationContext = CONTEXT) =>
  lcowFromAnnotations(annotations, runtime, HOST, context);
const doc = (annotations: Record<string, string>, runtime?: LcowRuntimeOptions, context?: LcowAnnotationContext) =>
  JSON.parse(run(annotations, runtime, context).builder.toJson()) as ComputeSystem;
const cmdline = (d: ComputeSystem) => d.VirtualMachine?.Chipset?.LinuxKernelDirect?.KernelCmdLine ?? '';

describe('lcowFromAnnotations', () => {
  it("gives hcsshim's default LCOW document for no annotations", () => {
    expect(doc({})).toEqual(example('lcow-default.json'));
  });

  it('returns the default side-car sandbox options', () => {
    expect(run({}).sandboxOptions).toEqual({
      architecture: 'amd64',
      policyBasedRouting: false,
      noWritableFileShares: false,
      enableScratchEncryption: false,
      fullyPhysicallyBacked: false,
    });
  });

  it('gives the same document as lcow() for the same settings', () => {
    const annotations = {
      [A.ProcessorCount]: '4',
      [A.MemorySizeInMB]: '3071',
      [A.UVMConsolePipe]: '\\\\.\\pipe\\console',
      [A.KernelBootOptions]: 'debug',
      [A.VPCIEnabled]: 'true',
      [A.StorageQoSIopsMaximum]: '300',
      [A.LiveMigrationSupportEnabled]: 'True',
      [A.ContainerProcessDumpLocation]: '/dumps',
    };
    const fromOptions = lcow({
      host: HOST,
      owner: 'uvm-example',
      bootFilesPath: BOOT_DIR,
      bootFiles: ['vmlinux', 'initrd.img'],
      processorCount: 4,
      memorySizeInMB: 3071,
      consolePipe: '\\\\.\\pipe\\console',
      kernelBootOptions: 'debug',
      vpciEnabled: true,
      storageQoS: { iopsMaximum: 300 },
      liveMigration: true,
      processDumpLocation: '/dumps',
      logLevel: 'debug',
    }).toJson();
    expect(run(annotations, { ...RUNTIME, logLevel: 'debug' }).builder.toJson()).toBe(fromOptions);
  });

  it('takes processor count and memory from the runtime options unless annotated', () => {
    const fromRuntime = doc({}, { ...RUNTIME, vmProcessorCount: 4, vmMemorySizeInMb: 2048 });
    expect(fromRuntime.VirtualMachine?.ComputeTopology).toMatchObject({ Memory: { SizeInMB: 2048 }, Processor: { Count: 4 } });
    const annotated = doc({ [A.ProcessorCount]: '1', [A.MemorySizeInMB]: '512' }, { ...RUNTIME, vmProcessorCount: 4, vmMemorySizeInMb: 2048 });
    expect(annotated.VirtualMachine?.ComputeTopology).toMatchObject({ Memory: { SizeInMB: 512 }, Processor: { Count: 1 } });
  });

  it("parses booleans as Go's ParseBool does", () => {
    for (const yes of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(cmdline(doc({ [A.VPCIEnabled]: yes }))).not.toContain('pci=off');
    for (const no of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(cmdline(doc({ [A.VPCIEnabled]: no }))).toContain('pci=off');
  });

  it('falls back to the default with a warning for a value Go cannot parse', () => {
    for (const [key, value] of [
      [A.VPCIEnabled, 'yes'],
      [A.ProcessorCount, 'two'],
      [A.ProcessorCount, '+'],
      [A.MemorySizeInMB, '-1'],
      [A.MemorySizeInMB, '1_024'],
      [A.ProcessorCount, '2147483648'],
    ] as const) {
      const result = run({ [key]: value });
      expect(JSON.parse(result.builder.toJson())).toEqual(example('lcow-default.json'));
      expect(result.warnings.map((w) => w.path)).toEqual([`/annotations/${key}`]);
    }
  });

  it('reads signed int32 counts with a sign, as Go does', () => {
    expect(doc({ [A.ProcessorCount]: '+4' }).VirtualMachine?.ComputeTopology?.Processor?.Count).toBe(4);
    expect(doc({ [A.ProcessorCount]: '-4' }).VirtualMachine?.ComputeTopology?.Processor?.Count).toBe(2);
  });

  it('rejects a whole comma list when one element is bad', () => {
    const result = run({ [A.NumaMappedPhysicalNodes]: '0,x', [A.NumaCountOfProcessors]: '1,1', [A.NumaCountOfMemoryBlocks]: '512,512' });
    expect(result.warnings.map((w) => w.path)).toEqual([`/annotations/${A.NumaMappedPhysicalNodes}`]);
    expect(JSON.parse(result.builder.toJson())).toEqual(example('lcow-default.json'));
  });

  it('reads hvsock services from the service-table annotations, lower-casing the GUID and ignoring bad entries', () => {
    const result = run({
      [`${A.UVMHyperVSocketConfigPrefix}0000006D-FACB-11E6-BD58-64006A7986D3`]: '{"allowwildcardbinds": true, "BindSecurityDescriptor": "D:P(A;;FA;;;WD)", "Unknown": 1}',
      [`${A.UVMHyperVSocketConfigPrefix}not-a-guid`]: '{}',
      [`${A.UVMHyperVSocketConfigPrefix}00000001-facb-11e6-bd58-64006a7986d3`]: '{"Disabled": "yes"}',
    });
    expect(JSON.parse(result.builder.toJson())).toMatchObject({
      VirtualMachine: {
        Devices: {
          HvSocket: { HvSocketConfig: { ServiceTable: { '0000006d-facb-11e6-bd58-64006a7986d3': { BindSecurityDescriptor: 'D:P(A;;FA;;;WD)', AllowWildcardBinds: true } } } },
        },
      },
    });
    expect(result.warnings).toHaveLength(2);
  });

  it('applies default annotations the sandbox does not set', () => {
    const d = doc({ [A.ProcessorCount]: '1' }, { ...RUNTIME, defaultContainerAnnotations: { [A.ProcessorCount]: '4', [A.MemorySizeInMB]: '2048' } });
    expect(d.VirtualMachine?.ComputeTopology).toMatchObject({ Memory: { SizeInMB: 2048 }, Processor: { Count: 1 } });
  });

  it('expands io.microsoft.disable-unsafe-operations into the annotations it stands for', () => {
    const result = run({ [A.DisableUnsafeOperations]: 'true' });
    expect(result.annotations).toMatchObject({
      [A.WCOWDisableGMSA]: 'true',
      [A.DisableWritableFileShares]: 'true',
      [A.VSMBNoDirectMap]: 'true',
      [A.DisableHostProcessContainer]: 'true',
    });
    expect(result.sandboxOptions.noWritableFileShares).toBe(true);
  });

  it('reports a physically backed sandbox in the side-car options', () => {
    expect(run({ [A.FullyPhysicallyBacked]: 'true' }).sandboxOptions.fullyPhysicallyBacked).toBe(true);
    expect(run({ [A.AllowOvercommit]: 'false' }).sandboxOptions.fullyPhysicallyBacked).toBe(true);
  });

  it('uses the boot files root path annotation over the runtime options', () => {
    const d = doc({ [A.BootFilesRootPath]: 'D:\\boot' });
    expect(d.VirtualMachine?.Chipset?.LinuxKernelDirect?.KernelFilePath).toBe('D:\\boot\\vmlinux');
  });

  it('assigns the spec devices over vPCI', () => {
    const d = doc({}, RUNTIME, { ...CONTEXT, newGuid: countingGuids(), devices: [{ id: 'PCIP\\GPU\\4&1F2E3D', idType: 'gpu' }] });
    expect(d.VirtualMachine?.Devices?.VirtualPci).toEqual({ '00000000-0000-4000-8000-000000000001': { Functions: [{ DeviceInstancePath: 'PCIP\\GPU\\4&1F2E3D' }] } });
  });

  it('builds the confidential document and config from a security policy', () => {
    const result = run(
      { [A.LCOWSecurityPolicy]: 'e30=', [A.LCOWHclEnabled]: 'true', [A.ExtraVSockPorts]: '8000,8001' },
      RUNTIME,
      { ...CONTEXT, bootFiles: ['kernel.vmgs', 'rootfs.vhd'], bundlePath: 'C:\\bundles\\s1' },
    );
    expect(result.sandboxOptions).toEqual({
      architecture: 'amd64',
      policyBasedRouting: false,
      noWritableFileShares: false,
      confidentialConfig: {
        securityPolicy: 'e30=',
        securityPolicyEnforcer: 'rego',
        uvmReferenceInfoFile: 'reference_info.cose',
        uvmHashEnvelopeReferenceInfoFile: 'reference_info_hash_envelope.cose',
      },
      enableScratchEncryption: true,
      fullyPhysicallyBacked: true,
    });
    const d = JSON.parse(result.builder.toJson()) as ComputeSystem;
    expect(d.SchemaVersion).toEqual({ Major: 2, Minor: 5 });
    expect(d.VirtualMachine?.SecuritySettings?.Isolation).toEqual({ IsolationType: 'SecureNestedPaging', LaunchData: 'RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=', HclEnabled: true });
    expect(Object.keys(d.VirtualMachine?.Devices?.HvSocket?.HvSocketConfig?.ServiceTable ?? {})).toHaveLength(6);
  });

  it('keeps the standard document without security hardware, but still passes the policy to the guest', () => {
    const result = run({ [A.LCOWSecurityPolicy]: 'e30=', [A.NoSecurityHardware]: 'true' });
    expect(JSON.parse(result.builder.toJson())).toEqual(example('lcow-default.json'));
    expect(result.sandboxOptions.confidentialConfig?.securityPolicy).toBe('e30=');
  });

  describe("reports hcsshim's errors with the annotation in the path", () => {
    it.each<[string, Record<string, string>, LcowRuntimeOptions, string, RegExp]>([
      ['a CPU group before build 19043 (escaped pointer)', { [A.CPUGroupID]: '8fbfe2e4-39a4-4b52-8b8c-1b2a9c3f0e11' }, RUNTIME, '/annotations/io.microsoft.virtualmachine.cpugroup.id', /19043/],
      [
        'conflicting host-process annotations (the "/" in the key escaped as ~1)',
        { [A.HostProcessContainer]: 'true', [A.DisableHostProcessContainer]: 'true' },
        RUNTIME,
        '/annotations/microsoft.com~1hostprocess-container',
        /cannot both be true/,
      ],
      [
        'an expansion that conflicts with an explicit annotation',
        { [A.DisableUnsafeOperations]: 'true', [A.DisableWritableFileShares]: 'false' },
        RUNTIME,
        `/annotations/${A.DisableWritableFileShares}`,
        /expansion conflict/,
      ],
      ['ncproxy', { [A.NetworkConfigProxy]: '\\\\.\\pipe\\ncproxy' }, RUNTIME, `/annotations/${A.NetworkConfigProxy}`, /not supported/],
      ['VPMem no-multi-mapping', { [A.VPMemNoMultiMapping]: 'true' }, RUNTIME, `/annotations/${A.VPMemNoMultiMapping}`, /not supported/],
      ['kernel drivers', { [A.VirtualMachineKernelDrivers]: 'C:\\drivers' }, RUNTIME, `/annotations/${A.VirtualMachineKernelDrivers}`, /not supported/],
      ['an unsupported sandbox platform', {}, { ...RUNTIME, sandboxPlatform: 'windows/amd64' }, '/runtimeOptions/sandboxPlatform', /Unsupported sandbox platform/],
      ['a resource partition that is not a GUID', { [A.ResourcePartitionID]: 'p1' }, RUNTIME, `/annotations/${A.ResourcePartitionID}`, /GUID/],
      ['deferred commit on physically backed memory', { [A.AllowOvercommit]: 'false', [A.EnableDeferredCommit]: 'true' }, RUNTIME, `/annotations/${A.EnableDeferredCommit}`, /physically backed/],
      ['implicit vNUMA without a size per node', { [A.NumaMaximumProcessorsPerNode]: '2' }, RUNTIME, `/annotations/${A.NumaMaximumMemorySizePerNode}`, /max size per node/i],
      [
        'explicit vNUMA lists of different lengths',
        { [A.NumaMappedPhysicalNodes]: '0,1', [A.NumaCountOfProcessors]: '2', [A.NumaCountOfMemoryBlocks]: '512,512' },
        RUNTIME,
        `/annotations/${A.NumaMappedPhysicalNodes}`,
        /mismatch/i,
      ],
      ['an invalid preferred root file system', { [A.PreferredRootFSType]: 'ext4' }, RUNTIME, `/annotations/${A.PreferredRootFSType}`, /PreferredRootFSType/],
      ['VPMem devices', { [A.VPMemCount]: '4' }, RUNTIME, `/annotations/${A.VPMemCount}`, /vPMem/],
      ['a console that is not a named pipe', { [A.UVMConsolePipe]: 'COM1' }, RUNTIME, `/annotations/${A.UVMConsolePipe}`, /not a named pipe/],
      ['dm-verity without its table', { [A.DmVerityMode]: 'true', [A.PreferredRootFSType]: 'vhd' }, RUNTIME, `/annotations/${A.DmVerityCreateArgs}`, /DmVerityCreateArgs/],
      ['no runtime options', {}, undefined as never, '/runtimeOptions', /No options provided/],
      ['a negative memory size in the runtime options', {}, { ...RUNTIME, vmMemorySizeInMb: -1 }, '/runtimeOptions/vmMemorySizeInMb', /negative/],
      ['no kernel in the boot files', {}, { ...RUNTIME }, '/context/bootFiles', /not found/],
    ])('%s', (name, annotations, runtime, path, message) => {
      const context = name === 'no kernel in the boot files' ? { ...CONTEXT, bootFiles: ['initrd.img'] } : { ...CONTEXT, bootFiles: ['vmlinux', 'initrd.img', 'rootfs.vhd'] };
      const host = name.startsWith('a CPU group') ? { ...HOST, windowsBuild: 19041 } : HOST;
      const issues = issuesOf(() => lcowFromAnnotations(annotations, runtime, host, context).builder.build());
      expect(issues.find((i) => i.path === path)?.message, JSON.stringify(issues)).toMatch(message);
    });

    it('reports a VMGS that is missing for a confidential sandbox against the boot files', () => {
      const issues = issuesOf(() => run({ [A.LCOWSecurityPolicy]: 'e30=' }, RUNTIME, { ...CONTEXT, bundlePath: 'C:\\b', bootFiles: ['rootfs.vhd'] }).builder.build());
      expect(issues.find((i) => i.path === '/context/bootFiles')?.message).toMatch(/vmgs file .*kernel\.vmgs/);
    });

    it('reports a policy that is not base64 at the policy annotation', () => {
      const issues = issuesOf(() => run({ [A.LCOWSecurityPolicy]: '{}' }, RUNTIME, { ...CONTEXT, bundlePath: 'C:\\b', bootFiles: ['rootfs.vhd', 'kernel.vmgs'] }).builder.build());
      expect(issues.find((i) => i.path === `/annotations/${A.LCOWSecurityPolicy}`)?.message).toMatch(/security policy digest/);
    });
  });
});
