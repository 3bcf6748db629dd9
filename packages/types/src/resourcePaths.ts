import { guidIssue } from './guid.js';
import { integerIssue, segmentIssue, throwIfIssues } from './argumentChecks.js';
import { SCSI_CONTROLLER_GUIDS, SCSI_LUNS_PER_CONTROLLER, controllerIssue } from './scsi.js';
import { MAX_VPMEM_COUNT } from './vpmem.js';

// The `ResourcePath` of every HCS modify request uvm can send (hcs-host.md §3.3): constants for the
// fixed paths, functions for the ones that name a device. The functions check their arguments so a
// bad one is a ValidationError here, never a wrong path HCS applies to some other device.

/** GPU settings of the VM. */
export const GPU_RESOURCE_PATH = 'VirtualMachine/ComputeTopology/Gpu';
/** Memory size; the settings of an update are a bare JSON number of MB. */
export const MEMORY_RESOURCE_PATH = 'VirtualMachine/ComputeTopology/Memory/SizeInMB';
/** The CPU group the VM runs in. */
export const CPU_GROUP_RESOURCE_PATH = 'VirtualMachine/ComputeTopology/Processor/CpuGroup';
/** Idled processors. */
export const IDLED_PROCESSORS_RESOURCE_PATH = 'VirtualMachine/ComputeTopology/Processor/IdledProcessors';
/** The CPU frequency power cap. */
export const CPU_FREQUENCY_POWER_CAP_RESOURCE_PATH = 'VirtualMachine/ComputeTopology/Processor/CpuFrequencyPowerCap';
/** Processor limits (limit, weight, reservation, maximum frequency). */
export const CPU_LIMITS_RESOURCE_PATH = 'VirtualMachine/ComputeTopology/Processor/Limits';
/** The licensing device. */
export const LICENSING_RESOURCE_PATH = 'VirtualMachine/Devices/Licensing';
/** Plan 9 shares (a Linux UVM); the share itself goes in the settings. */
export const PLAN9_SHARES_RESOURCE_PATH = 'VirtualMachine/Devices/Plan9/Shares';
/** Shared memory regions. */
export const SHARED_MEMORY_REGIONS_RESOURCE_PATH = 'VirtualMachine/Devices/SharedMemory/Regions';
/** Virtual SMB shares (a Windows UVM); the share itself goes in the settings. */
export const VSMB_SHARES_RESOURCE_PATH = 'VirtualMachine/Devices/VirtualSmb/Shares';
/** The URI of the live migration socket, given with the socket handle to HcsAddResourceToOperation. */
export const LIVE_MIGRATION_SOCKET_URI = 'hcs:/VirtualMachine/LiveMigrationSocket';
/** Generic devices of a process-isolated container (silo). */
export const SILO_DEVICES_RESOURCE_PATH = 'Container/Devices/Generic';
/** Mapped directories of a container. */
export const SILO_MAPPED_DIRECTORIES_RESOURCE_PATH = 'Container/MappedDirectories';
/** Mapped pipes of a container. */
export const SILO_MAPPED_PIPES_RESOURCE_PATH = 'Container/MappedPipes';
/** Memory size of a container. */
export const SILO_MEMORY_RESOURCE_PATH = 'Container/Memory/SizeInMB';
/** Registry flush state of a container. */
export const SILO_REGISTRY_FLUSH_STATE_RESOURCE_PATH = 'Container/RegistryFlushState';
/** Processor settings of a container. */
export const SILO_PROCESSOR_RESOURCE_PATH = 'Container/Processor';

/** The highest COM port index: Hyper-V gives a VM COM1 (0) and COM2 (1). */
export const MAX_COM_PORT_INDEX = 1;

/**
 * The disk at `lun` (0–63) of SCSI controller `controller` (0–3), e.g.
 * `VirtualMachine/Devices/Scsi/df6d0690-79e5-55b6-a5ec-c1e2f77f580a/Attachments/0`.
 */
export function scsiAttachmentPath(controller: number, lun: number): string {
  throwIfIssues('SCSI attachment path', [
    controllerIssue(controller, '/controller', 'controller'),
    integerIssue(lun, '/lun', 0, SCSI_LUNS_PER_CONTROLLER - 1, 'lun', `Each SCSI controller has ${SCSI_LUNS_PER_CONTROLLER} LUNs.`),
  ]);
  return `VirtualMachine/Devices/Scsi/${SCSI_CONTROLLER_GUIDS[controller] as string}/Attachments/${lun}`;
}

/** The network adapter `nicId` (usually the HNS endpoint's GUID), used verbatim. */
export function networkAdapterPath(nicId: string): string {
  throwIfIssues('network adapter path', [segmentIssue(nicId, '/nicId', 'nicId')]);
  return `VirtualMachine/Devices/NetworkAdapters/${nicId}`;
}

/** The virtual PCI device with VMBus instance GUID `vmbusGuid`, written in lower case. */
export function virtualPciPath(vmbusGuid: string): string {
  throwIfIssues('virtual PCI path', [guidIssue(vmbusGuid, '/vmbusGuid', 'vmbusGuid')]);
  return `VirtualMachine/Devices/VirtualPci/${vmbusGuid.toLowerCase()}`;
}

/** The host named pipe `hostPath` mapped into the VM, used verbatim (`\\.\pipe\name`). */
export function mappedPipePath(hostPath: string): string {
  throwIfIssues('mapped pipe path', [segmentIssue(hostPath, '/hostPath', 'hostPath')]);
  return `VirtualMachine/Devices/MappedPipes/${hostPath}`;
}

/** The serial port `port`: 0 for COM1, 1 for COM2. */
export function comPortPath(port: number): string {
  throwIfIssues('COM port path', [
    integerIssue(port, '/port', 0, MAX_COM_PORT_INDEX, 'port', 'Pass 0 for COM1 or 1 for COM2; a VM has no other serial ports.'),
  ]);
  return `VirtualMachine/Devices/ComPorts/${port}`;
}

/** The VPMem device `device` (0–127). */
export function vpmemDevicePath(device: number): string {
  throwIfIssues('VPMem device path', [vpmemDeviceIssue(device)]);
  return `VirtualMachine/Devices/VirtualPMem/Devices/${device}`;
}

/** The mapping at `offsetBytes` inside VPMem device `device`, for a layer multi-mapped onto one device. */
export function vpmemMappingPath(device: number, offsetBytes: number): string {
  throwIfIssues('VPMem mapping path', [
    vpmemDeviceIssue(device),
    integerIssue(offsetBytes, '/offsetBytes', 0, Number.MAX_SAFE_INTEGER, 'offsetBytes', 'It is the byte offset of the mapping in the device.'),
  ]);
  return `VirtualMachine/Devices/VirtualPMem/Devices/${device}/Mappings/${offsetBytes}`;
}

/** The HvSocket service table entry of `serviceId`, written in lower case. */
export function hvSocketServicePath(serviceId: string): string {
  throwIfIssues('HvSocket service path', [guidIssue(serviceId, '/serviceId', 'serviceId')]);
  return `VirtualMachine/Devices/HvSocket/HvSocketConfig/ServiceTable/${serviceId.toLowerCase()}`;
}

/** The flexible I/O device `id`, used verbatim. */
export function flexibleIovPath(id: string): string {
  throwIfIssues('flexible IOV path', [segmentIssue(id, '/id', 'id')]);
  return `VirtualMachine/Devices/FlexibleIov/${id}`;
}

function vpmemDeviceIssue(device: unknown) {
  return integerIssue(device, '/device', 0, MAX_VPMEM_COUNT - 1, 'device', `A UVM has at most ${MAX_VPMEM_COUNT} VPMem devices.`);
}
