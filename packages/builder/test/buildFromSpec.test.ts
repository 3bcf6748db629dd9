import { describe, expect, it } from 'vitest';
import { BuildSpecSchema, buildFromSpec, builderFromSpec, lcow, wcow, type BuildSpec } from '@uvm/builder';
import { ValidationError, validateWith } from '@uvm/types';
import { BOOT_DIR, HOST, SCSI, countingGuids, example, issuePaths, issuesOf } from './helpers.js';

const LCOW_PRESET = { owner: 'uvm-example', bootFilesPath: BOOT_DIR, bootFiles: ['vmlinux', 'initrd.img'] };

describe('buildFromSpec', () => {
  it("reproduces hcsshim's default LCOW document from a spec with the lcow preset", () => {
    const spec: BuildSpec = { host: HOST, preset: { lcow: LCOW_PRESET } };
    expect(JSON.parse(builderFromSpec(spec).toJson())).toEqual(example('lcow-default.json'));
  });

  it('survives a round trip through JSON text, as a spec file would', () => {
    const spec = JSON.parse(JSON.stringify({ host: HOST, preset: { lcow: { ...LCOW_PRESET, memorySizeInMB: 2048, consolePipe: '\\\\.\\pipe\\c' } } })) as BuildSpec;
    expect(buildFromSpec(spec)).toEqual(lcow({ host: HOST, ...LCOW_PRESET, memorySizeInMB: 2048, consolePipe: '\\\\.\\pipe\\c' }).build());
  });

  it('gives the same document as wcow() for the wcow preset', () => {
    const options = { owner: 'o', uvmLayerPath: 'C:\\uvm', scratchDirectory: 'C:\\s', processDumpLocation: 'C:\\d' };
    expect(buildFromSpec({ host: HOST, preset: { wcow: options } })).toEqual(wcow({ host: HOST, ...options }).build());
  });

  it('gives the same document as lcowFromAnnotations for the annotation preset', () => {
    const spec: BuildSpec = {
      host: HOST,
      preset: {
        lcowAnnotations: {
          annotations: {},
          runtimeOptions: { sandboxPlatform: 'linux/amd64', bootFilesRootPath: BOOT_DIR },
          context: { owner: 'uvm-example', bootFiles: ['vmlinux', 'initrd.img'] },
        },
      },
    };
    expect(JSON.parse(builderFromSpec(spec).toJson())).toEqual(example('lcow-default.json'));
  });

  it('applies customisations after the preset', () => {
    const doc = buildFromSpec(
      {
        host: HOST,
        preset: { lcow: LCOW_PRESET },
        memory: { sizeInMB: 4096 },
        devices: {
          scsiDisks: [{ controller: 1, lun: 0, path: 'C:\\layer.vhdx', readOnly: true }],
          vpci: [{ functions: [{ deviceInstancePath: 'PCIP\\GPU' }] }],
          comPorts: { '1': { namedPipe: '\\\\.\\pipe\\com2' } },
        },
      },
      { newGuid: countingGuids() },
    );
    expect(doc.VirtualMachine?.ComputeTopology?.Memory?.SizeInMB).toBe(4096);
    expect(doc.VirtualMachine?.Devices?.Scsi?.[SCSI[1]]?.Attachments?.['0']).toEqual({ Type: 'VirtualDisk', Path: 'C:\\layer.vhdx', ReadOnly: true });
    expect(Object.keys(doc.VirtualMachine?.Devices?.VirtualPci ?? {})).toEqual(['00000000-0000-4000-8000-000000000001']);
    expect(doc.VirtualMachine?.Devices?.ComPorts).toEqual({ '1': { NamedPipe: '\\\\.\\pipe\\com2' } });
  });

  it('builds a VM from sections alone, with every sub-builder', () => {
    const spec: BuildSpec = {
      os: 'windows',
      host: HOST,
      owner: 'spec',
      schemaVersion: { Major: 2, Minor: 1 },
      stopOnReset: false,
      terminateOnLastHandleClosed: true,
      memory: { sizeInMB: 4096, backing: 'Physical', mmio: { lowGapInMB: 128 }, slitType: 'FirmwareFallbackMeasured' },
      processor: { count: 2, limit: 80000, weight: 100, reservation: 0 },
      numa: { explicit: { nodes: [{ physicalNode: 0, countOfProcessors: 2, countOfMemoryBlocks: 4096 }] } },
      devices: {
        scsiControllers: [0],
        scsiDisks: [{ controller: 0, lun: 0, path: 'C:\\s\\sandbox.vhdx' }],
        vsmb: { directFileMappingInMB: 1024, shares: [{ name: 'os', path: 'C:\\uvm\\Files', options: { readOnly: true } }] },
        networkAdapters: { nic: { endpointId: '0b9b2a52-8d0e-4d7e-9a3e-2f1c5b7d9e01' } },
        hvSocket: { services: { 'acef5661-84a1-4e44-856b-6245e69f4620': { allowWildcardBinds: true } } },
        graphicsConsole: true,
        mouse: true,
        guestCrashReporting: { dumpFileName: 'C:\\d\\crash', dumpType: 'Full' },
      },
      boot: { uefi: { bootThis: { devicePath: '\\EFI\\Microsoft\\Boot\\bootmgfw.efi' } }, firmwareParameters: 'aGVsbG8=' },
      storageQoS: { iopsMaximum: 100 },
      security: { tpm: true },
      registryValues: [{ key: { hive: 'Software', name: 'A' }, name: 'v', type: 'String', stringValue: 'x' }],
      debugOptions: { firmwareDumpFileName: 'C:\\d\\fw.dmp' },
    };
    const doc = JSON.parse(builderFromSpec(spec).toJson()) as ReturnType<typeof buildFromSpec>;
    expect(doc.VirtualMachine).toMatchObject({
      Chipset: { FirmwareFile: { Parameters: 'aGVsbG8=' } },
      ComputeTopology: { Numa: { VirtualNodeCount: 1 }, Processor: { Count: 2, Limit: 80000 } },
      Devices: { Keyboard: {}, Mouse: {}, NetworkAdapters: { nic: {} } },
      SecuritySettings: { EnableTpm: true },
      StorageQoS: { IopsMaximum: 100 },
      DebugOptions: { FirmwareDumpFileName: 'C:\\d\\fw.dmp' },
    });
    expect(doc.VirtualMachine).not.toHaveProperty('StopOnReset');
  });

  it('exports a schema the CLI can validate spec files with', () => {
    expect(validateWith(BuildSpecSchema, { host: HOST, preset: { lcow: LCOW_PRESET } }).ok).toBe(true);
    const result = validateWith(BuildSpecSchema, { host: HOST, memory: { sizeInMb: 1024 } });
    expect(result.ok).toBe(false);
  });

  it('throws one ValidationError naming each bad field of the spec, with near-miss hints', () => {
    const paths = issuePaths(() => buildFromSpec({ host: { ...HOST, architecture: 'x86' }, memory: { sizeInMb: 1024 }, devices: { scsiDisks: [{ controller: 0 }] } } as never));
    expect(paths).toEqual(expect.arrayContaining(['/host/architecture', '/memory/sizeInMb', '/devices/scsiDisks/0/lun', '/devices/scsiDisks/0/path']));
    let caught: unknown;
    try {
      buildFromSpec({ host: HOST, memory: { sizeInMb: 1024 } } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).subject).toBe('BuildSpec');
    expect((caught as ValidationError).message).toContain('sizeInMB');
  });

  it('points preset option issues into the spec', () => {
    const issues = issuesOf(() => buildFromSpec({ host: HOST, preset: { lcow: { ...LCOW_PRESET, consolePipe: 'COM1' } } }));
    expect(issues.map((i) => i.path)).toEqual(['/preset/lcow/consolePipe']);
  });

  it('asks for the guest OS when there is no preset, and refuses one that contradicts the preset', () => {
    expect(issuePaths(() => buildFromSpec({ host: HOST, memory: { sizeInMB: 1024 } }))).toContain('/os');
    expect(issuePaths(() => buildFromSpec({ os: 'windows', host: HOST, preset: { lcow: LCOW_PRESET } }))).toContain('/os');
  });

  it('reports document problems with document paths', () => {
    expect(issuePaths(() => buildFromSpec({ host: HOST, preset: { lcow: LCOW_PRESET }, processor: { count: 64 } }))).toEqual(['/VirtualMachine/ComputeTopology/Processor/Count']);
  });
});
