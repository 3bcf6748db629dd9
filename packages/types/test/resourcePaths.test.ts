import { describe, expect, it } from 'vitest';
import {
  CPU_FREQUENCY_POWER_CAP_RESOURCE_PATH,
  CPU_GROUP_RESOURCE_PATH,
  CPU_LIMITS_RESOURCE_PATH,
  GPU_RESOURCE_PATH,
  IDLED_PROCESSORS_RESOURCE_PATH,
  LICENSING_RESOURCE_PATH,
  LIVE_MIGRATION_SOCKET_URI,
  MEMORY_RESOURCE_PATH,
  PLAN9_SHARES_RESOURCE_PATH,
  SHARED_MEMORY_REGIONS_RESOURCE_PATH,
  SILO_DEVICES_RESOURCE_PATH,
  SILO_MAPPED_DIRECTORIES_RESOURCE_PATH,
  SILO_MAPPED_PIPES_RESOURCE_PATH,
  SILO_MEMORY_RESOURCE_PATH,
  SILO_PROCESSOR_RESOURCE_PATH,
  SILO_REGISTRY_FLUSH_STATE_RESOURCE_PATH,
  VSMB_SHARES_RESOURCE_PATH,
  ValidationError,
  comPortPath,
  flexibleIovPath,
  hvSocketServicePath,
  mappedPipePath,
  networkAdapterPath,
  scsiAttachmentPath,
  virtualPciPath,
  vpmemDevicePath,
  vpmemMappingPath,
  vsockServiceId,
} from '@uvm/types';

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

describe('fixed resource paths', () => {
  it('are the verbatim paths of hcs-host.md §3.3', () => {
    expect({
      GPU_RESOURCE_PATH,
      MEMORY_RESOURCE_PATH,
      CPU_GROUP_RESOURCE_PATH,
      IDLED_PROCESSORS_RESOURCE_PATH,
      CPU_FREQUENCY_POWER_CAP_RESOURCE_PATH,
      CPU_LIMITS_RESOURCE_PATH,
      LICENSING_RESOURCE_PATH,
      PLAN9_SHARES_RESOURCE_PATH,
      SHARED_MEMORY_REGIONS_RESOURCE_PATH,
      VSMB_SHARES_RESOURCE_PATH,
      LIVE_MIGRATION_SOCKET_URI,
      SILO_DEVICES_RESOURCE_PATH,
      SILO_MAPPED_DIRECTORIES_RESOURCE_PATH,
      SILO_MAPPED_PIPES_RESOURCE_PATH,
      SILO_MEMORY_RESOURCE_PATH,
      SILO_REGISTRY_FLUSH_STATE_RESOURCE_PATH,
      SILO_PROCESSOR_RESOURCE_PATH,
    }).toEqual({
      GPU_RESOURCE_PATH: 'VirtualMachine/ComputeTopology/Gpu',
      MEMORY_RESOURCE_PATH: 'VirtualMachine/ComputeTopology/Memory/SizeInMB',
      CPU_GROUP_RESOURCE_PATH: 'VirtualMachine/ComputeTopology/Processor/CpuGroup',
      IDLED_PROCESSORS_RESOURCE_PATH: 'VirtualMachine/ComputeTopology/Processor/IdledProcessors',
      CPU_FREQUENCY_POWER_CAP_RESOURCE_PATH: 'VirtualMachine/ComputeTopology/Processor/CpuFrequencyPowerCap',
      CPU_LIMITS_RESOURCE_PATH: 'VirtualMachine/ComputeTopology/Processor/Limits',
      LICENSING_RESOURCE_PATH: 'VirtualMachine/Devices/Licensing',
      PLAN9_SHARES_RESOURCE_PATH: 'VirtualMachine/Devices/Plan9/Shares',
      SHARED_MEMORY_REGIONS_RESOURCE_PATH: 'VirtualMachine/Devices/SharedMemory/Regions',
      VSMB_SHARES_RESOURCE_PATH: 'VirtualMachine/Devices/VirtualSmb/Shares',
      LIVE_MIGRATION_SOCKET_URI: 'hcs:/VirtualMachine/LiveMigrationSocket',
      SILO_DEVICES_RESOURCE_PATH: 'Container/Devices/Generic',
      SILO_MAPPED_DIRECTORIES_RESOURCE_PATH: 'Container/MappedDirectories',
      SILO_MAPPED_PIPES_RESOURCE_PATH: 'Container/MappedPipes',
      SILO_MEMORY_RESOURCE_PATH: 'Container/Memory/SizeInMB',
      SILO_REGISTRY_FLUSH_STATE_RESOURCE_PATH: 'Container/RegistryFlushState',
      SILO_PROCESSOR_RESOURCE_PATH: 'Container/Processor',
    });
  });
});

describe('scsiAttachmentPath', () => {
  it('names the controller by its GUID and the LUN in decimal', () => {
    expect(scsiAttachmentPath(0, 0)).toBe('VirtualMachine/Devices/Scsi/df6d0690-79e5-55b6-a5ec-c1e2f77f580a/Attachments/0');
    expect(scsiAttachmentPath(3, 63)).toBe('VirtualMachine/Devices/Scsi/305891a9-b251-5dfe-91a2-c25d9212275b/Attachments/63');
  });

  it.each([[-1], [64], [1.5], [Number.NaN], ['0']])('rejects LUN %s at /lun and says LUNs run from 0 to 63', (lun) => {
    const error = validationError(() => scsiAttachmentPath(0, lun as number));
    expect(error.issues).toEqual([{ path: '/lun', message: expect.stringContaining('from 0 to 63') as string }]);
  });

  it('rejects a controller index past the fourth at /controller', () => {
    const error = validationError(() => scsiAttachmentPath(4, 0));
    expect(error.issues.map((i) => i.path)).toEqual(['/controller']);
    expect(error.message).toContain('at most 4 SCSI controllers');
  });

  it('reports a bad controller and a bad LUN together', () => {
    expect(validationError(() => scsiAttachmentPath(-1, 64)).issues.map((i) => i.path)).toEqual(['/controller', '/lun']);
  });
});

describe('networkAdapterPath', () => {
  it('appends the NIC id verbatim', () => {
    expect(networkAdapterPath('6f2a6b57-2f5c-4d48-9d4c-0f5d8d1c2a11')).toBe('VirtualMachine/Devices/NetworkAdapters/6f2a6b57-2f5c-4d48-9d4c-0f5d8d1c2a11');
  });

  it.each([
    ['an empty id', '', 'must not be empty'],
    ['an id with a slash', 'a/b', 'must not contain "/"'],
    ['an id with a NUL', 'a\0b', 'NUL'],
    ['a non-string id', 7, 'must be a string'],
  ])('rejects %s at /nicId', (_what, nicId, says) => {
    const error = validationError(() => networkAdapterPath(nicId as string));
    expect(error.issues[0]?.path).toBe('/nicId');
    expect(error.issues[0]?.message).toContain(says);
  });
});

describe('virtualPciPath', () => {
  it('writes the VMBus GUID in lower case', () => {
    expect(virtualPciPath('0D2C1B4E-1E6A-4A3C-9F1B-2C3D4E5F6A7B')).toBe('VirtualMachine/Devices/VirtualPci/0d2c1b4e-1e6a-4a3c-9f1b-2c3d4e5f6a7b');
  });

  it('rejects a braced or malformed GUID at /vmbusGuid', () => {
    expect(validationError(() => virtualPciPath('{0d2c1b4e-1e6a-4a3c-9f1b-2c3d4e5f6a7b}')).issues[0]?.path).toBe('/vmbusGuid');
    expect(validationError(() => virtualPciPath('gpu0')).issues[0]?.path).toBe('/vmbusGuid');
  });
});

describe('mappedPipePath', () => {
  it('keeps the host pipe path verbatim, backslashes and all', () => {
    expect(mappedPipePath('\\\\.\\pipe\\x')).toBe('VirtualMachine/Devices/MappedPipes/\\\\.\\pipe\\x');
  });

  it('rejects an empty path or one with a slash at /hostPath', () => {
    expect(validationError(() => mappedPipePath('')).issues[0]?.path).toBe('/hostPath');
    expect(validationError(() => mappedPipePath('//./pipe/x')).issues[0]?.path).toBe('/hostPath');
  });
});

describe('comPortPath', () => {
  it('numbers COM1 as 0 and COM2 as 1', () => {
    expect(comPortPath(0)).toBe('VirtualMachine/Devices/ComPorts/0');
    expect(comPortPath(1)).toBe('VirtualMachine/Devices/ComPorts/1');
  });

  it('rejects other port numbers at /port and says which are allowed', () => {
    const error = validationError(() => comPortPath(2));
    expect(error.issues[0]?.path).toBe('/port');
    expect(error.message).toContain('0 for COM1 or 1 for COM2');
  });
});

describe('VPMem paths', () => {
  it('name a device and a mapping at a byte offset inside it', () => {
    expect(vpmemDevicePath(0)).toBe('VirtualMachine/Devices/VirtualPMem/Devices/0');
    expect(vpmemDevicePath(127)).toBe('VirtualMachine/Devices/VirtualPMem/Devices/127');
    expect(vpmemMappingPath(2, 4294967296)).toBe('VirtualMachine/Devices/VirtualPMem/Devices/2/Mappings/4294967296');
  });

  it('reject a device index past the VPMem limit at /device', () => {
    expect(validationError(() => vpmemDevicePath(128)).issues[0]?.path).toBe('/device');
    expect(validationError(() => vpmemMappingPath(-1, 0)).issues[0]?.path).toBe('/device');
  });

  it('reject a negative, fractional or unsafe offset at /offsetBytes', () => {
    for (const offset of [-4096, 0.5, 2 ** 53]) {
      expect(validationError(() => vpmemMappingPath(0, offset)).issues[0]?.path).toBe('/offsetBytes');
    }
  });
});

describe('hvSocketServicePath', () => {
  it('names the service table entry by the lower-case service id', () => {
    expect(hvSocketServicePath(vsockServiceId(0x40000000).toUpperCase())).toBe(
      'VirtualMachine/Devices/HvSocket/HvSocketConfig/ServiceTable/40000000-facb-11e6-bd58-64006a7986d3',
    );
  });

  it('rejects a service id that is not a GUID at /serviceId', () => {
    expect(validationError(() => hvSocketServicePath('1073741824')).issues[0]?.path).toBe('/serviceId');
  });
});

describe('flexibleIovPath', () => {
  it('appends the device id verbatim', () => {
    expect(flexibleIovPath('nic0')).toBe('VirtualMachine/Devices/FlexibleIov/nic0');
  });

  it('rejects an empty id or one with a slash at /id', () => {
    expect(validationError(() => flexibleIovPath('')).issues[0]?.path).toBe('/id');
    expect(validationError(() => flexibleIovPath('../Scsi')).issues[0]?.path).toBe('/id');
  });
});
