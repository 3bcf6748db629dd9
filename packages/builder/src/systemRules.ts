import { isSchemaVersionSupported, showValue, type ComputeSystem } from '@uvm/types';
import { DocPath } from './documentPaths.js';
import { jsonPointer } from './jsonPointer.js';
import type { RuleContext } from './ruleContext.js';
import { elementsOf, isInteger, isRecord } from './values.js';

const REGISTRY_VALUE_KINDS = ['StringValue', 'BinaryValue', 'DWordValue', 'QWordValue'] as const;

/** Top-level rules: schema version, owner, resource partition, storage QoS, registry changes. */
export function checkSystem(doc: ComputeSystem, ctx: RuleContext): void {
  checkSchemaVersion(doc.SchemaVersion, ctx);
  if (typeof doc.Owner === 'string' && doc.Owner.includes('\0')) {
    ctx.issues.add(DocPath.owner, 'The owner contains a NUL character; remove it.');
  }
  const vm = doc.VirtualMachine;
  if (!isRecord(vm)) {
    ctx.issues.add(DocPath.vm, 'A utility VM document needs its VirtualMachine section.');
    return;
  }
  if (vm.ResourcePartitionId !== undefined && vm.ComputeTopology?.Processor?.CpuGroup !== undefined) {
    ctx.issues.add(DocPath.resourcePartitionId, 'A CPU group and a resource partition cannot be set at the same time: keep one of them.');
  }
  const qos = vm.StorageQoS;
  if (isRecord(qos)) {
    for (const key of ['IopsMaximum', 'BandwidthMaximum'] as const) {
      const value = qos[key];
      if (isInteger(value) && value < 0) ctx.issues.add(`${DocPath.storageQoS}/${key}`, `${key} must be 0 (unlimited) or more; got ${value}.`);
    }
  }
  checkRegistryChanges(vm.RegistryChanges, ctx);
}

function checkSchemaVersion(version: unknown, ctx: RuleContext): void {
  if (!isRecord(version)) {
    ctx.issues.add(DocPath.schemaVersion, 'The schema version is required: set it to 2.1 (or 2.5 for confidential VMs).');
    return;
  }
  const { Major: major, Minor: minor = 0 } = version;
  if (!isInteger(major) || !isInteger(minor)) return;
  if (major !== 2) {
    ctx.issues.add(DocPath.schemaVersion, `A utility VM document uses schema 2.x; got ${major}.${minor}. Use 2.1, or 2.5 for confidential VMs.`);
  } else if (ctx.hostKnown && !isSchemaVersionSupported({ Major: major, Minor: minor }, ctx.host.windowsBuild)) {
    ctx.issues.add(
      DocPath.schemaVersion,
      `Windows build ${ctx.host.windowsBuild} does not accept schema ${major}.${minor}: 2.1 needs build 17763 or later, 2.5 needs build 20348 or later.`,
    );
  }
}

function checkRegistryChanges(changes: unknown, ctx: RuleContext): void {
  if (!isRecord(changes)) return;
  if (ctx.os === 'linux') {
    ctx.issues.add(DocPath.registryChanges, 'Registry changes apply to Windows guests only: remove them.');
    return;
  }
  elementsOf(changes.AddValues).forEach((value, i) => {
    if (!isRecord(value)) return;
    const at = (...rest: string[]) => jsonPointer('VirtualMachine', 'RegistryChanges', 'AddValues', i, ...rest);
    const key = value.Key;
    if (!isRecord(key) || key.Hive === undefined || key.Name === undefined || key.Name === '') {
      ctx.issues.add(at('Key'), 'A registry value needs its key: a hive (System, Software, Security or Sam) and a key name.');
    }
    const kinds = REGISTRY_VALUE_KINDS.filter((kind) => value[kind] !== undefined);
    if (kinds.length > 1) {
      ctx.issues.add(at(), `A registry value holds exactly one kind of data; got ${kinds.join(' and ')}. Keep the one that matches Type ${showValue(value.Type)}.`);
    }
  });
}
