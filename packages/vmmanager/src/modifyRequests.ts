import Type, { type Static, type TSchema } from 'typebox';
import {
  AttachmentSchema,
  CPU_GROUP_RESOURCE_PATH,
  CPU_LIMITS_RESOURCE_PATH,
  CpuGroupSchema,
  HvSocketServiceConfigSchema,
  MEMORY_RESOURCE_PATH,
  ModifySettingRequestSchema,
  NetworkAdapterSchema,
  PLAN9_SHARES_RESOURCE_PATH,
  Plan9ShareSchema,
  ProcessorLimitsSchema,
  VSMB_SHARES_RESOURCE_PATH,
  ValidationError,
  VirtualPMemDeviceSchema,
  VirtualPMemMappingSchema,
  VirtualPciDeviceSchema,
  VirtualSmbShareSchema,
  assertWith,
  hvSocketServicePath,
  mappedPipePath,
  networkAdapterPath,
  normalizeGuid,
  scsiAttachmentPath,
  showValue,
  toHcsJson,
  virtualPciPath,
  vpmemDevicePath,
  vpmemMappingPath,
  type RequestType,
} from '@uvm/types';

/** One HcsModifyComputeSystem request, ready to send. */
export interface HostModifyRequest {
  /** The VM manager method, for errors: `addScsiDisk`. */
  readonly operation: string;
  /** The resource it touches, for errors: `the SCSI disk at controller 0, LUN 3` (always starts with "the"). */
  readonly resource: string;
  /** Whether it releases something (a Remove): releasing on a VM that is gone succeeds. */
  readonly release: boolean;
  /** The request exactly as HCS receives it, in Go's encoding/json shape. */
  readonly json: string;
}

/** ModifySettingRequest with `Settings` typed, so the settings are written in Go's shape too. */
function requestSchema(settings: TSchema): TSchema {
  return Type.Object({ ...ModifySettingRequestSchema.properties, Settings: Type.Optional(settings) }, { title: 'ModifySettingRequest', additionalProperties: false });
}

const SIZE_IN_MB = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

const REQUEST_SCHEMAS = new Map<TSchema, TSchema>(
  [
    NetworkAdapterSchema,
    AttachmentSchema,
    VirtualPciDeviceSchema,
    Plan9ShareSchema,
    HvSocketServiceConfigSchema,
    VirtualPMemDeviceSchema,
    VirtualPMemMappingSchema,
    VirtualSmbShareSchema,
    CpuGroupSchema,
    ProcessorLimitsSchema,
    SIZE_IN_MB,
  ].map((schema) => [schema, requestSchema(schema)]),
);

function build(
  operation: string,
  resource: string,
  resourcePath: string,
  requestType: RequestType | undefined,
  settings?: { readonly schema: TSchema; readonly subject: string; readonly value: unknown },
): HostModifyRequest {
  let json: string;
  if (settings === undefined) {
    json = toHcsJson({ ResourcePath: resourcePath, ...(requestType === undefined ? {} : { RequestType: requestType }) }, ModifySettingRequestSchema);
  } else {
    const value = assertWith(settings.schema, settings.value, settings.subject);
    const request = { ResourcePath: resourcePath, ...(requestType === undefined ? {} : { RequestType: requestType }), Settings: value };
    json = toHcsJson(request, REQUEST_SCHEMAS.get(settings.schema) ?? requestSchema(settings.schema));
  }
  return { operation, resource, release: requestType === 'Remove', json };
}

function settingsOf<S extends TSchema>(schema: S, subject: string, value: Static<S> | undefined) {
  return { schema, subject, value };
}

export function networkAdapterRequest(requestType: 'Add' | 'Remove' | 'Update', nicId: string, adapter: unknown): HostModifyRequest {
  const operation = `${requestType.toLowerCase()}NetworkAdapter`;
  if (requestType === 'Update' && (adapter === undefined || adapter === null)) {
    throw new ValidationError('NetworkAdapter', [{ path: '', message: 'network adapter settings cannot be nil: pass the adapter to update to.' }]);
  }
  const settings = adapter === undefined ? undefined : settingsOf(NetworkAdapterSchema, 'NetworkAdapter', adapter as never);
  return build(operation, `the network adapter ${nicId}`, networkAdapterPath(nicId), requestType, settings);
}

export function scsiDiskRequest(requestType: 'Add' | 'Remove', controller: number, lun: number, attachment?: unknown): HostModifyRequest {
  const path = scsiAttachmentPath(controller, lun);
  const resource = `the SCSI disk at controller ${controller}, LUN ${lun}`;
  if (requestType === 'Remove') return build('removeScsiDisk', resource, path, 'Remove');
  return build('addScsiDisk', resource, path, 'Add', settingsOf(AttachmentSchema, 'Attachment', attachment as never));
}

export function pciDeviceRequest(requestType: 'Add' | 'Remove', vmbusGuid: string, device?: unknown): HostModifyRequest {
  const path = virtualPciPath(vmbusGuid);
  const resource = `the virtual PCI device ${vmbusGuid.toLowerCase()}`;
  if (requestType === 'Remove') return build('removePciDevice', resource, path, 'Remove');
  return build('addPciDevice', resource, path, 'Add', settingsOf(VirtualPciDeviceSchema, 'VirtualPciDevice', device as never));
}

export function pipeRequest(requestType: 'Add' | 'Remove', hostPath: string): HostModifyRequest {
  return build(requestType === 'Add' ? 'addPipe' : 'removePipe', `the mapped pipe ${hostPath}`, mappedPipePath(hostPath), requestType);
}

export function plan9ShareRequest(requestType: 'Add' | 'Remove', share: unknown): HostModifyRequest {
  const name = (share as { Name?: unknown } | undefined)?.Name;
  return build(
    requestType === 'Add' ? 'addPlan9Share' : 'removePlan9Share',
    `the Plan9 share ${typeof name === 'string' ? `"${name}"` : '(unnamed)'}`,
    PLAN9_SHARES_RESOURCE_PATH,
    requestType,
    settingsOf(Plan9ShareSchema, 'Plan9Share', share as never),
  );
}

export function hvSocketServiceRequest(requestType: 'Update' | 'Remove', serviceId: string, config?: unknown): HostModifyRequest {
  const path = hvSocketServicePath(serviceId);
  const resource = `the HvSocket service ${serviceId.toLowerCase()}`;
  if (requestType === 'Remove') return build('removeHvSocketService', resource, path, 'Remove');
  return build('updateHvSocketService', resource, path, 'Update', settingsOf(HvSocketServiceConfigSchema, 'HvSocketServiceConfig', config as never));
}

export function vpmemDeviceRequest(requestType: 'Add' | 'Remove', device: number, settings?: unknown): HostModifyRequest {
  const path = vpmemDevicePath(device);
  const resource = `the VPMem device ${device}`;
  if (requestType === 'Remove') return build('removeVpmemDevice', resource, path, 'Remove');
  return build('addVpmemDevice', resource, path, 'Add', settingsOf(VirtualPMemDeviceSchema, 'VirtualPMemDevice', settings as never));
}

export function vpmemMappingRequest(requestType: 'Add' | 'Remove', device: number, offsetBytes: number, mapping?: unknown): HostModifyRequest {
  const path = vpmemMappingPath(device, offsetBytes);
  const resource = `the VPMem mapping at offset ${offsetBytes} of device ${device}`;
  if (requestType === 'Remove') return build('removeVpmemMapping', resource, path, 'Remove');
  return build('addVpmemMapping', resource, path, 'Add', settingsOf(VirtualPMemMappingSchema, 'VirtualPMemMapping', mapping as never));
}

export function vsmbShareRequest(requestType: 'Add' | 'Update' | 'Remove', share: unknown): HostModifyRequest {
  const name = (share as { Name?: unknown } | undefined)?.Name;
  return build(
    `${requestType.toLowerCase()}VsmbShare`,
    `the VSMB share ${typeof name === 'string' ? `"${name}"` : '(unnamed)'}`,
    VSMB_SHARES_RESOURCE_PATH,
    requestType,
    settingsOf(VirtualSmbShareSchema, 'VirtualSmbShare', share as never),
  );
}

/** hcsshim sends the resource updates without a RequestType (hcs-host.md §3.2). */
export function cpuGroupRequest(groupId: string): HostModifyRequest {
  const id = normalizeGuid(groupId);
  return build('setCpuGroup', 'the CPU group', CPU_GROUP_RESOURCE_PATH, undefined, settingsOf(CpuGroupSchema, 'CpuGroup', { Id: id }));
}

export function processorLimitsRequest(limits: unknown): HostModifyRequest {
  return build('updateProcessorLimits', 'the processor limits', CPU_LIMITS_RESOURCE_PATH, undefined, settingsOf(ProcessorLimitsSchema, 'ProcessorLimits', limits as never));
}

export function memoryRequest(sizeInMB: unknown): HostModifyRequest {
  if (typeof sizeInMB !== 'number' || !Number.isSafeInteger(sizeInMB) || sizeInMB < 1) {
    throw new ValidationError('memory size', [{ path: '/sizeInMB', message: `sizeInMB must be a whole number of MB of at least 1; got ${showValue(sizeInMB)}.` }]);
  }
  return build('updateMemory', 'the memory size', MEMORY_RESOURCE_PATH, undefined, settingsOf(SIZE_IN_MB, 'memory size', sizeInMB));
}
