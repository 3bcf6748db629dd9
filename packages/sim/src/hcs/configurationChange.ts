import type { Static, TSchema } from 'typebox';
import {
  AttachmentSchema,
  CpuGroupSchema,
  HvSocketServiceConfigSchema,
  NULL_GUID,
  NetworkAdapterSchema,
  Plan9ShareSchema,
  ProcessorLimitsSchema,
  SCSI_LUNS_PER_CONTROLLER,
  VirtualPMemDeviceSchema,
  VirtualPMemMappingSchema,
  VirtualPciDeviceSchema,
  VirtualSmbShareSchema,
  isGuid,
  validateWith,
  type ComputeSystem,
  type Devices,
  type HcsError,
  type ModifySettingRequest,
  type ValidationIssue,
  type VirtualMachine,
  type VirtualPMemMapping,
} from '@uvm/types';
import { SimulatedHResult, invalidDocument, simulatedFailure } from './simulatedFailure.js';
import { copyJson } from './copyJson.js';
import type { SimulatedSystem } from './simulatedSystem.js';

/** What applying a request needs from the rest of the simulator. */
export interface ChangeContext {
  readonly operation: string;
  readonly strict: boolean;
  /** Host CPU groups created through HcsModifyServiceSettings. */
  readonly cpuGroups: { has(id: string): boolean };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const MAX_VPMEM_DEVICES = 128;

/**
 * Applies one HcsModifyComputeSystem request to the system's stored configuration, or throws the
 * HcsError HCS would answer with. Nothing changes when it throws.
 */
export function applyConfigurationChange(system: SimulatedSystem, request: ModifySettingRequest, context: ChangeContext): void {
  const fail = (hresult: number, message: string): HcsError =>
    simulatedFailure({ hresult, operation: context.operation, systemId: system.id, errorMessage: message });
  if (request.GuestRequest !== undefined) {
    throw fail(
      SimulatedHResult.notSupported,
      'The simulator does not model HCS\'s internal guest bridge, so it cannot forward a GuestRequest; send guest requests through the GCS (@uvm/guest).',
    );
  }
  const path = request.ResourcePath;
  if (path === undefined || path === '') throw fail(SimulatedHResult.invalidArgument, 'The request has no ResourcePath.');
  const vm = system.document.VirtualMachine;
  if (vm === undefined) throw fail(SimulatedHResult.notSupported, 'The simulator applies modify requests to virtual machines only.');

  // Work on a copy so a request that fails half-way leaves the configuration as it was.
  const document = copyJson(system.document) as Mutable<ComputeSystem>;
  const machine = document.VirtualMachine as Mutable<VirtualMachine>;
  const devices = (machine.Devices ?? {}) as Mutable<Devices>;
  const type = request.RequestType;
  const settings = <S extends TSchema>(schema: S, subject: string): Static<S> => {
    if (request.Settings === undefined) throw fail(SimulatedHResult.invalidArgument, `A ${type ?? 'modify'} request for ${path} needs Settings (${subject}).`);
    const result = validateWith(schema, request.Settings, { strict: context.strict });
    if (!result.ok) {
      throw invalidDocument(context.operation, `${subject} settings`, result.issues.map((i: ValidationIssue) => ({ ...i, path: `/Settings${i.path}` })), system.id);
    }
    return copyJson(result.value);
  };
  const requestTypes = (...allowed: (string | undefined)[]) => {
    if (!allowed.includes(type)) {
      const names = allowed.map((a) => (a === undefined ? '(omitted)' : a)).join(', ');
      throw fail(SimulatedHResult.invalidArgument, `RequestType ${type ?? '(omitted)'} is not valid for ${path}; use ${names}.`);
    }
  };
  const keyed = <V>(map: Record<string, V> | undefined, key: string, what: string, add: () => V): Record<string, V> | undefined => {
    const next = { ...(map ?? {}) };
    if (type === 'Add') {
      if (next[key] !== undefined) throw fail(SimulatedHResult.alreadyExists, `${what} already exists; remove it first or use another ${what.split(' ')[0] === 'SCSI' ? 'LUN' : 'id'}.`);
      next[key] = add();
    } else if (type === 'Remove') {
      if (next[key] === undefined) throw fail(SimulatedHResult.elementNotFound, `${what} does not exist: it was never added or was already removed.`);
      Reflect.deleteProperty(next, key);
    } else {
      if (next[key] === undefined) throw fail(SimulatedHResult.elementNotFound, `${what} does not exist, so it cannot be updated.`);
      next[key] = add();
    }
    return Object.keys(next).length === 0 ? undefined : next;
  };
  const named = <V extends { Name?: string }>(list: readonly V[] | undefined, what: string, add: () => V): V[] => {
    const share = type === 'Remove' ? (request.Settings as { Name?: unknown } | undefined) : add();
    const name = share?.Name;
    if (typeof name !== 'string' || name === '') throw fail(SimulatedHResult.invalidArgument, `The ${what} in Settings needs a Name.`);
    const next = [...(list ?? [])];
    const index = next.findIndex((s) => s.Name === name);
    if (type === 'Add') {
      if (index >= 0) throw fail(SimulatedHResult.alreadyExists, `A ${what} named "${name}" already exists.`);
      next.push(share as V);
    } else if (index < 0) {
      throw fail(SimulatedHResult.elementNotFound, `There is no ${what} named "${name}": it was never added or was already removed.`);
    } else if (type === 'Remove') {
      next.splice(index, 1);
    } else {
      next[index] = share as V;
    }
    return next;
  };

  // Changes to what the document has no place for, made only once the whole request is accepted.
  const sideTables: (() => void)[] = [];
  let match: RegExpExecArray | null;
  if ((match = /^VirtualMachine\/Devices\/NetworkAdapters\/([^/]+)$/.exec(path)) !== null) {
    requestTypes('Add', 'Remove', 'Update');
    const id = match[1] as string;
    assign(devices, 'NetworkAdapters', keyed(devices.NetworkAdapters, id, `network adapter ${id}`, () => settings(NetworkAdapterSchema, 'NetworkAdapter')));
  } else if ((match = /^VirtualMachine\/Devices\/Scsi\/([^/]+)\/Attachments\/([^/]+)$/.exec(path)) !== null) {
    requestTypes('Add', 'Remove');
    const controllerKey = match[1] as string;
    const lunText = match[2] as string;
    const controller = devices.Scsi?.[controllerKey] ?? devices.Scsi?.[controllerKey.toLowerCase()];
    if (controller === undefined) {
      const present = Object.keys(devices.Scsi ?? {});
      throw fail(
        SimulatedHResult.invalidArgument,
        `The VM has no SCSI controller ${controllerKey} (${present.length === 0 ? 'it has none' : `it has ${present.join(', ')}`}); a controller cannot be hot-added.`,
      );
    }
    const lun = /^(0|[1-9][0-9]*)$/.test(lunText) ? Number(lunText) : Number.NaN;
    if (!(lun >= 0 && lun < SCSI_LUNS_PER_CONTROLLER)) {
      throw fail(SimulatedHResult.invalidArgument, `"${lunText}" is not a LUN: a SCSI controller has LUNs 0 to ${SCSI_LUNS_PER_CONTROLLER - 1}.`);
    }
    const key = Object.keys(devices.Scsi ?? {}).find((k) => k.toLowerCase() === controllerKey.toLowerCase()) as string;
    const attachments = keyed(controller.Attachments, String(lun), `SCSI LUN ${lun} of controller ${key}`, () => settings(AttachmentSchema, 'Attachment'));
    devices.Scsi = { ...devices.Scsi, [key]: attachments === undefined ? {} : { Attachments: attachments } };
  } else if ((match = /^VirtualMachine\/Devices\/VirtualPci\/([^/]+)$/.exec(path)) !== null) {
    requestTypes('Add', 'Remove');
    const id = match[1] as string;
    if (!isGuidText(id)) throw fail(SimulatedHResult.invalidArgument, `"${id}" is not a VMBus instance GUID.`);
    assign(devices, 'VirtualPci', keyed(devices.VirtualPci, id.toLowerCase(), `virtual PCI device ${id.toLowerCase()}`, () => settings(VirtualPciDeviceSchema, 'VirtualPciDevice')));
  } else if ((match = /^VirtualMachine\/Devices\/MappedPipes\/(.+)$/.exec(path)) !== null) {
    requestTypes('Add', 'Remove');
    const pipe = match[1] as string;
    if (!/^\\\\\.\\pipe\\./i.test(pipe)) throw fail(SimulatedHResult.invalidArgument, `"${pipe}" is not a host named pipe path (\\\\.\\pipe\\<name>).`);
    if (type === 'Add' && system.mappedPipes.has(pipe)) throw fail(SimulatedHResult.alreadyExists, `The pipe ${pipe} is already mapped.`);
    if (type === 'Remove' && !system.mappedPipes.has(pipe)) {
      throw fail(SimulatedHResult.elementNotFound, `The pipe ${pipe} is not mapped: it was never added or was already removed.`);
    }
    sideTables.push(() => (type === 'Add' ? system.mappedPipes.add(pipe) : system.mappedPipes.delete(pipe)));
  } else if (path === 'VirtualMachine/Devices/Plan9/Shares') {
    requestTypes('Add', 'Remove');
    if (devices.Plan9 === undefined) throw fail(SimulatedHResult.invalidArgument, 'The VM has no Plan9 device (VirtualMachine.Devices.Plan9); add one to the document.');
    const shares = named(devices.Plan9.Shares, 'Plan9 share', () => settings(Plan9ShareSchema, 'Plan9Share'));
    devices.Plan9 = shares.length === 0 ? {} : { Shares: shares };
  } else if (path === 'VirtualMachine/Devices/VirtualSmb/Shares') {
    requestTypes('Add', 'Remove', 'Update');
    if (devices.VirtualSmb === undefined) throw fail(SimulatedHResult.invalidArgument, 'The VM has no virtual SMB device (VirtualMachine.Devices.VirtualSmb); add one to the document.');
    const shares = named(devices.VirtualSmb.Shares, 'VSMB share', () => settings(VirtualSmbShareSchema, 'VirtualSmbShare'));
    const { Shares: _old, ...rest } = devices.VirtualSmb;
    devices.VirtualSmb = shares.length === 0 ? rest : { ...rest, Shares: shares };
  } else if ((match = /^VirtualMachine\/Devices\/HvSocket\/HvSocketConfig\/ServiceTable\/([^/]+)$/.exec(path)) !== null) {
    requestTypes('Add', 'Update', 'Remove');
    const id = match[1] as string;
    if (!isGuidText(id)) throw fail(SimulatedHResult.invalidArgument, `"${id}" is not a service GUID.`);
    if (devices.HvSocket === undefined) throw fail(SimulatedHResult.invalidArgument, 'The VM has no HvSocket device (VirtualMachine.Devices.HvSocket).');
    const config = devices.HvSocket.HvSocketConfig ?? {};
    const table = { ...(config.ServiceTable ?? {}) };
    const key = id.toLowerCase();
    if (type === 'Remove') {
      if (table[key] === undefined) throw fail(SimulatedHResult.elementNotFound, `The HvSocket service ${key} is not in the service table.`);
      Reflect.deleteProperty(table, key);
    } else {
      const entry = settings(HvSocketServiceConfigSchema, 'HvSocketServiceConfig');
      if (type === 'Add' && table[key] !== undefined) throw fail(SimulatedHResult.alreadyExists, `The HvSocket service ${key} is already in the service table; send an Update.`);
      // hcs-host.md §3.2: an existing entry updated with no descriptors and Disabled is removed.
      const removes = table[key] !== undefined && entry.BindSecurityDescriptor === undefined && entry.ConnectSecurityDescriptor === undefined && entry.Disabled === true;
      if (removes) Reflect.deleteProperty(table, key);
      else table[key] = entry;
    }
    const { ServiceTable: _old, ...restConfig } = config;
    devices.HvSocket = { HvSocketConfig: Object.keys(table).length === 0 ? restConfig : { ...restConfig, ServiceTable: table } };
  } else if ((match = /^VirtualMachine\/Devices\/VirtualPMem\/Devices\/([^/]+)(?:\/Mappings\/([^/]+))?$/.exec(path)) !== null) {
    requestTypes('Add', 'Remove');
    const controller = devices.VirtualPMem;
    if (controller === undefined) throw fail(SimulatedHResult.invalidArgument, 'The VM has no VPMem controller (VirtualMachine.Devices.VirtualPMem).');
    const deviceText = match[1] as string;
    const limit = controller.MaximumCount ?? MAX_VPMEM_DEVICES;
    const index = /^(0|[1-9][0-9]*)$/.test(deviceText) ? Number(deviceText) : Number.NaN;
    if (!(index >= 0 && index < limit)) throw fail(SimulatedHResult.invalidArgument, `"${deviceText}" is not a VPMem device of this VM: it has devices 0 to ${limit - 1}.`);
    const offsetText = match[2];
    if (offsetText === undefined) {
      const next = keyed(controller.Devices, String(index), `VPMem device ${index}`, () => settings(VirtualPMemDeviceSchema, 'VirtualPMemDevice'));
      const { Devices: _old, ...rest } = controller;
      devices.VirtualPMem = next === undefined ? rest : { ...rest, Devices: next };
      if (type === 'Remove') sideTables.push(() => system.vpmemMappings.delete(index));
    } else {
      if (controller.Devices?.[String(index)] === undefined) throw fail(SimulatedHResult.elementNotFound, `VPMem device ${index} does not exist, so it has no mappings.`);
      const offset = /^(0|[1-9][0-9]*)$/.test(offsetText) ? Number(offsetText) : Number.NaN;
      if (!Number.isSafeInteger(offset)) throw fail(SimulatedHResult.invalidArgument, `"${offsetText}" is not a byte offset.`);
      const mappings = system.vpmemMappings.get(index);
      if (type === 'Add' && mappings?.has(offset) === true) throw fail(SimulatedHResult.alreadyExists, `VPMem device ${index} already has a mapping at offset ${offset}.`);
      if (type === 'Remove' && mappings?.has(offset) !== true) throw fail(SimulatedHResult.elementNotFound, `VPMem device ${index} has no mapping at offset ${offset}.`);
      if (type === 'Add') {
        const mapping = settings(VirtualPMemMappingSchema, 'VirtualPMemMapping');
        sideTables.push(() => {
          const table = system.vpmemMappings.get(index) ?? new Map<number, VirtualPMemMapping>();
          table.set(offset, mapping);
          system.vpmemMappings.set(index, table);
        });
      } else {
        sideTables.push(() => {
          mappings?.delete(offset);
          if (mappings?.size === 0) system.vpmemMappings.delete(index);
        });
      }
    }
  } else if (path === 'VirtualMachine/ComputeTopology/Processor/CpuGroup') {
    requestTypes(undefined, 'Update');
    const group = settings(CpuGroupSchema, 'CpuGroup');
    const id = group.Id?.toLowerCase();
    if (id === undefined) throw fail(SimulatedHResult.invalidArgument, 'The CpuGroup settings need an Id (the null GUID removes the VM from its group).');
    if (id !== NULL_GUID && !context.cpuGroups.has(id)) throw fail(SimulatedHResult.invalidArgument, `The host has no CPU group ${id}; create it with HcsModifyServiceSettings first.`);
    const topology = { ...machine.ComputeTopology };
    const { CpuGroup: _old, ...processor } = topology.Processor ?? {};
    topology.Processor = id === NULL_GUID ? processor : { ...processor, CpuGroup: { Id: id } };
    machine.ComputeTopology = topology;
  } else if (path === 'VirtualMachine/ComputeTopology/Processor/Limits') {
    requestTypes(undefined, 'Update');
    const limits = settings(ProcessorLimitsSchema, 'ProcessorLimits');
    const topology = { ...machine.ComputeTopology };
    const processor = { ...topology.Processor };
    for (const key of ['Limit', 'Weight', 'Reservation'] as const) {
      const value = limits[key];
      if (value === undefined) Reflect.deleteProperty(processor, key);
      else processor[key] = value;
    }
    topology.Processor = processor;
    machine.ComputeTopology = topology;
    sideTables.push(() => {
      system.maximumFrequencyMHz = limits.MaximumFrequencyMHz;
    });
  } else if (path === 'VirtualMachine/ComputeTopology/Memory/SizeInMB') {
    requestTypes(undefined, 'Update');
    const size = request.Settings;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0) {
      throw invalidDocument(context.operation, 'memory size', [{ path: '/Settings', message: `The memory size must be a positive whole number of MB; got ${JSON.stringify(size)}.` }], system.id);
    }
    const topology = { ...machine.ComputeTopology };
    topology.Memory = { ...topology.Memory, SizeInMB: size };
    machine.ComputeTopology = topology;
  } else {
    throw fail(SimulatedHResult.notSupported, `The simulator does not model the resource path "${path}".`);
  }

  // Every check passed: commit.
  if (Object.keys(devices).length > 0 || machine.Devices !== undefined) machine.Devices = devices;
  system.document = document;
  for (const commit of sideTables) commit();
  system.modifications++;
}

/** Sets an optional key, or removes it when the value is undefined (Go would omit it). */
function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) Reflect.deleteProperty(target, key);
  else target[key] = value;
}

/** `isGuid` without its type guard, so a failed check leaves the string typed as a string. */
function isGuidText(text: string): boolean {
  return isGuid(text);
}
