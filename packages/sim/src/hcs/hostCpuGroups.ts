import { isGuid, type CpuGroupConfigurations } from '@uvm/types';
import { SimulatedHResult, simulatedFailure } from './simulatedFailure.js';

/**
 * The host's CPU groups, changed through HcsModifyServiceSettings (`PropertyType: "CpuGroup"`,
 * Settings a HostProcessorModificationRequest) and read back as the `CpuGroup` service property.
 * A VM can only be moved into a group that exists.
 */
export class HostCpuGroups {
  private readonly groups = new Map<string, readonly number[]>();

  constructor(private readonly logicalProcessorCount: number) {}

  has(id: string): boolean {
    return this.groups.has(id.toLowerCase());
  }

  configurations(): CpuGroupConfigurations {
    return {
      CpuGroups: [...this.groups].map(([id, lps]) => ({ GroupId: id, Affinity: { LogicalProcessorCount: lps.length, LogicalProcessors: [...lps] } })),
    };
  }

  change(settings: unknown, operation: string): void {
    const fail = (hresult: number, message: string) => simulatedFailure({ hresult, operation, errorMessage: message });
    const request = settings as { Operation?: unknown; OperationDetails?: { GroupId?: unknown; LogicalProcessors?: unknown } } | undefined;
    const details = request?.OperationDetails;
    const id = typeof details?.GroupId === 'string' && isGuid(details.GroupId) ? details.GroupId.toLowerCase() : undefined;
    if (id === undefined) throw fail(SimulatedHResult.invalidArgument, 'A CPU group operation needs OperationDetails.GroupId, a GUID.');
    switch (request?.Operation) {
      case 'CreateGroup': {
        if (this.groups.has(id)) throw fail(SimulatedHResult.alreadyExists, `CPU group ${id} already exists.`);
        const lps: unknown = details?.LogicalProcessors;
        const count = this.logicalProcessorCount;
        const valid = (lp: unknown): lp is number => typeof lp === 'number' && Number.isInteger(lp) && lp >= 0 && lp < count;
        if (!Array.isArray(lps) || lps.length === 0 || !lps.every(valid)) {
          throw fail(SimulatedHResult.invalidArgument, `CreateGroup needs LogicalProcessors: indexes from 0 to ${count - 1} (the host has ${count}).`);
        }
        this.groups.set(id, [...(lps)]);
        return;
      }
      case 'DeleteGroup':
        if (!this.groups.delete(id)) throw fail(SimulatedHResult.elementNotFound, `CPU group ${id} does not exist.`);
        return;
      case 'SetProperty':
        if (!this.groups.has(id)) throw fail(SimulatedHResult.elementNotFound, `CPU group ${id} does not exist.`);
        return;
      default:
        throw fail(SimulatedHResult.invalidArgument, 'The CPU group Operation must be CreateGroup, DeleteGroup or SetProperty.');
    }
  }
}
