import {
  PropertyQuerySchema,
  SCSI_CONTROLLER_GUIDS,
  type HcsDocument,
  type PropertyQuery,
  type MemoryInformationForVm,
  type ProcessDetails,
  type Properties,
  type Statistics,
} from '@uvm/types';
import { readDocument } from './documentChecks.js';
import { SimulatedHResult, simulatedFailure } from './simulatedFailure.js';
import type { SimulatedSystem } from './simulatedSystem.js';

const MIB = 1024 * 1024;
const PAGES_PER_MIB = 256;
const TICKS_PER_MS = 10_000;
const ZERO_TIME = '0001-01-01T00:00:00Z';
/** Share of each virtual processor the simulated guest keeps busy. */
const CPU_LOAD = 0.05;
const KERNEL_SHARE = 0.3;
/** Working set the guest starts with, and how fast it grows, until it reaches the VM's memory. */
const BASE_WORKING_SET = 32 * MIB;
const WORKING_SET_GROWTH_PER_SECOND = 1 * MIB;

/** Property types a schema-2 query can name that the simulator answers. */
const ANSWERED = new Set(['Memory', 'Statistics', 'ProcessList', 'TerminateOnLastHandleClosed', 'SharedMemoryRegion', 'SystemGUID']);
/** The schema-1 type whose answer lists SCSI disks (hcs-host.md §2.2, §2.4). */
const V1_MAPPED_VIRTUAL_DISK = 'MappedVirtualDisk';

/**
 * Answers HcsGetComputeSystemProperties: the basic fields always, plus a section per requested
 * property type. Numbers that change over time come from the injected clock, so they are
 * deterministic in tests.
 */
export function systemProperties(system: SimulatedSystem, propertyTypes: readonly string[], now: number, operation: string): Properties {
  const properties: Properties & Record<string, unknown> = {
    Id: system.id,
    SystemType: system.systemType,
    ...(system.runtimeOsType === undefined ? {} : { RuntimeOsType: system.runtimeOsType }),
    ...(system.document.Owner === undefined ? {} : { Owner: system.document.Owner }),
    RuntimeId: system.runtimeId,
    State: system.state,
    ...(system.stopped ? { Stopped: true } : {}),
    ...(system.exit?.ExitType === undefined ? {} : { ExitType: system.exit.ExitType }),
  };
  for (const type of propertyTypes) {
    switch (type) {
      case 'Memory':
        properties.Memory = memoryInformation(system);
        break;
      case 'Statistics':
        properties.Statistics = statistics(system, now);
        break;
      case 'ProcessList':
        properties.ProcessList = processList(system);
        break;
      case 'TerminateOnLastHandleClosed':
        if (system.document.ShouldTerminateOnLastHandleClosed === true) properties.TerminateOnLastHandleClosed = true;
        break;
      case 'SharedMemoryRegion':
        properties.SharedMemoryRegionInfo = (system.document.VirtualMachine?.Devices?.SharedMemory?.Regions ?? []).map((region, index) => ({
          ...(region.SectionName === undefined ? {} : { SectionName: region.SectionName }),
          GuestPhysicalAddress: 0x10000000 + index * 0x100000,
        }));
        break;
      case 'SystemGUID':
        properties.SystemGUID = system.runtimeId;
        break;
      case V1_MAPPED_VIRTUAL_DISK:
        properties.MappedVirtualDiskControllers = mappedVirtualDisks(system);
        break;
      default:
        throw simulatedFailure({
          hresult: SimulatedHResult.notSupported,
          operation,
          systemId: system.id,
          errorMessage: `The simulator does not model the "${type}" property type; it answers ${[...ANSWERED, V1_MAPPED_VIRTUAL_DISK].join(', ')}.`,
        });
    }
  }
  return properties;
}

/** Whether a property type is one the schema-2 `PropertyType` enum lacks but the simulator answers. */
export function isSchema1PropertyType(type: unknown): boolean {
  return type === V1_MAPPED_VIRTUAL_DISK;
}

function uptimeMs(system: SimulatedSystem, now: number): number {
  if (system.startedAt === undefined) return 0;
  return Math.max(0, (system.stoppedAt ?? now) - system.startedAt);
}

function memorySizeMiB(system: SimulatedSystem): number {
  return system.document.VirtualMachine?.ComputeTopology?.Memory?.SizeInMB ?? 0;
}

function processorCount(system: SimulatedSystem): number {
  return system.document.VirtualMachine?.ComputeTopology?.Processor?.Count ?? 1;
}

function statistics(system: SimulatedSystem, now: number): Statistics {
  const uptime = uptimeMs(system, now);
  const ticks = Math.floor(uptime * TICKS_PER_MS);
  const cpuTicks = Math.floor(ticks * processorCount(system) * CPU_LOAD);
  const kernelTicks = Math.floor(cpuTicks * KERNEL_SHARE);
  const commitBytes = memorySizeMiB(system) * MIB;
  const workingSet = Math.min(commitBytes, BASE_WORKING_SET + Math.floor((uptime / 1000) * WORKING_SET_GROWTH_PER_SECOND));
  const seconds = Math.floor(uptime / 1000);
  return {
    Timestamp: new Date(now).toISOString(),
    ContainerStartTime: system.startedAt === undefined ? ZERO_TIME : new Date(system.startedAt).toISOString(),
    Uptime100ns: ticks,
    Processor: { TotalRuntime100ns: cpuTicks, RuntimeUser100ns: cpuTicks - kernelTicks, RuntimeKernel100ns: kernelTicks },
    Memory: {
      MemoryUsageCommitBytes: commitBytes,
      MemoryUsageCommitPeakBytes: commitBytes,
      MemoryUsagePrivateWorkingSetBytes: system.startedAt === undefined ? 0 : workingSet,
    },
    Storage: { ReadCountNormalized: seconds * 20, ReadSizeBytes: seconds * 20 * 4096, WriteCountNormalized: seconds * 5, WriteSizeBytes: seconds * 5 * 4096 },
  };
}

function memoryInformation(system: SimulatedSystem): MemoryInformationForVm {
  const pages = memorySizeMiB(system) * PAGES_PER_MIB;
  return {
    VirtualNodeCount: 1,
    VirtualMachineMemory: { AssignedMemory: system.state === 'Running' || system.state === 'Paused' ? pages : 0 },
    VirtualNodes: [{ VirtualNodeIndex: 0, PhysicalNodeNumber: 0, VirtualProcessorCount: processorCount(system), MemoryUsageInPages: pages }],
  };
}

function processList(system: SimulatedSystem): ProcessDetails[] {
  const list: ProcessDetails[] = [];
  for (const process of system.processes.values()) {
    if (process.exited) continue;
    const p = process.parameters;
    const image = p.ApplicationName ?? p.CommandArgs?.[0] ?? p.CommandLine?.split(' ')[0];
    list.push({
      ProcessId: process.processId,
      ...(image === undefined || image === '' ? {} : { ImageName: image }),
      CreateTimestamp: new Date(process.createdAt).toISOString(),
    });
  }
  return list;
}

/**
 * The schema-1 answer for SCSI disks: controller index → LUN → disk. Only the host path and the
 * read-only flag are filled in; the spec names the `MappedVirtualDiskControllers` key but not the
 * fields of its entries, so the simulator keeps to the ones schema-1 shares with `Attachment`.
 */
function mappedVirtualDisks(system: SimulatedSystem): Record<string, { MappedVirtualDisks: Record<string, { HostPath?: string; ReadOnly?: boolean }> }> {
  const controllers: Record<string, { MappedVirtualDisks: Record<string, { HostPath?: string; ReadOnly?: boolean }> }> = {};
  const scsi = system.document.VirtualMachine?.Devices?.Scsi ?? {};
  SCSI_CONTROLLER_GUIDS.forEach((guid, index) => {
    const attachments = scsi[guid]?.Attachments;
    if (attachments === undefined) return;
    const disks: Record<string, { HostPath?: string; ReadOnly?: boolean }> = {};
    for (const [lun, attachment] of Object.entries(attachments)) {
      disks[lun] = { ...(attachment.Path === undefined ? {} : { HostPath: attachment.Path }), ...(attachment.ReadOnly === true ? { ReadOnly: true } : {}) };
    }
    controllers[String(index)] = { MappedVirtualDisks: disks };
  });
  return controllers;
}

/**
 * The property types a query asks for. Schema-1 types are let through (the schema-2 query schema
 * does not know their names); 2.5 `Queries` are refused as not modelled.
 */
export function readPropertyQuery(query: HcsDocument<PropertyQuery>, context: { readonly operation: string; readonly strict: boolean; readonly systemId: string }): string[] {
  let value: unknown = query;
  if (typeof query === 'string') {
    try {
      value = query.trim() === '' ? {} : JSON.parse(query);
    } catch {
      value = query;
    }
  }
  // Schema-1 property types are answered too; the schema-2 query schema would reject their names.
  const types = (value as { PropertyTypes?: unknown } | null)?.PropertyTypes;
  const schema1 = Array.isArray(types) ? types.filter(isSchema1PropertyType) : [];
  const rest = schema1.length === 0 ? value : { ...(value as object), PropertyTypes: (types as unknown[]).filter((t) => !isSchema1PropertyType(t)) };
  const parsed = readDocument(typeof rest === 'string' ? rest : (rest as PropertyQuery), PropertyQuerySchema, 'property query', context);
  if (parsed.Queries !== undefined && Object.keys(parsed.Queries).length > 0) {
    throw simulatedFailure({
      hresult: SimulatedHResult.notSupported,
      operation: context.operation,
      systemId: context.systemId,
      errorMessage: `The simulator does not answer schema 2.5 Queries (${Object.keys(parsed.Queries).join(', ')}).`,
    });
  }
  return [...(parsed.PropertyTypes ?? []), ...(schema1 as string[])];
}

