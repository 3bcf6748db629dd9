import { randomUUID } from 'node:crypto';
import {
  SchemaVersion,
  showValue,
  silentLogger,
  toHcsJson,
  validateComputeSystem,
  ValidationError,
  type ComputeSystem,
  type DebugOptions,
  type HostFacts,
  type Logger,
  type RegistryHive,
  type RegistryValue,
  type RegistryValueType,
  type ValidationIssue,
  type Version,
  type VirtualMachine,
} from '@uvm/types';
import { BootBuilderImpl, type BootBuilder } from './bootBuilder.js';
import { BuilderCore } from './builderCore.js';
import { optionIssues, runRules } from './checkComputeSystem.js';
import { DevicesBuilderImpl, type DevicesBuilder } from './devicesBuilder.js';
import { DocPath } from './documentPaths.js';
import { lowerGuid } from './guidText.js';
import { IssueList } from './issueList.js';
import { jsonPointer } from './jsonPointer.js';
import { MemoryBuilderImpl, type MemoryBuilder } from './memoryBuilder.js';
import { NumaBuilderImpl, type NumaBuilder } from './numaBuilder.js';
import { ProcessorBuilderImpl, type ProcessorBuilder } from './processorBuilder.js';
import type { GuestOs } from './ruleContext.js';
import { SecurityBuilderImpl, type SecurityBuilder } from './securityBuilder.js';
import { StorageQoSBuilderImpl, type StorageQoSBuilder } from './storageQoSBuilder.js';
import { isRecord, withoutUndefined } from './values.js';

/** What `createBuilder` needs: the guest, the host the VM will run on, and optional injections. */
export interface BuilderOptions {
  readonly os: GuestOs;
  /** The host facts the rules depend on (build number, architecture, logical processors). */
  readonly host: HostFacts;
  /** Source of the VMBus GUIDs of vPCI devices; default `crypto.randomUUID`. Inject one for exact tests. */
  readonly newGuid?: () => string;
  /** Receives warnings (for example a processor count clamped by a preset); silent by default. */
  readonly logger?: Logger;
}

/** A registry value written into a Windows guest at boot. Give exactly one of the `*Value` fields. */
export interface RegistryValueOptions {
  readonly key: { readonly hive: RegistryHive; readonly name: string; readonly volatile?: boolean };
  readonly name: string;
  readonly type: RegistryValueType;
  readonly stringValue?: string;
  /** Base64, as HCS expects `BinaryValue`. */
  readonly binaryValue?: string;
  readonly dWordValue?: number;
  readonly qWordValue?: number;
  readonly customType?: number;
}

/** Files HCS writes when a Windows guest crashes. */
export interface DebugOptionsIntent {
  readonly bugcheckSavedStateFileName?: string;
  readonly bugcheckNoCrashdumpSavedStateFileName?: string;
  readonly tripleFaultSavedStateFileName?: string;
  readonly firmwareDumpFileName?: string;
}

/**
 * Builds one utility VM document. Setters only record intent and return the builder (or
 * sub-builder) for chaining; nothing is checked until `build()`, which checks the whole document
 * and throws one `ValidationError` listing every problem, each with the JSON pointer of the place
 * it lands in the document and a sentence saying how to fix it.
 */
export interface Builder {
  readonly os: GuestOs;
  readonly host: HostFacts;
  readonly memory: MemoryBuilder;
  readonly processor: ProcessorBuilder;
  readonly numa: NumaBuilder;
  readonly devices: DevicesBuilder;
  readonly boot: BootBuilder;
  readonly storageQoS: StorageQoSBuilder;
  readonly security: SecurityBuilder;
  /** The owner HCS records; default none. */
  setOwner(owner: string): this;
  /** Pins the schema version; by default 2.1 (build 17763 and later), or 2.5 when isolation is set. */
  setSchemaVersion(version: Version): this;
  /** Default true: a crashed Node process must not leak a VM. */
  setTerminateOnLastHandleClosed(terminate: boolean): this;
  /** Default true: a guest reboot stops the VM, as hcsshim sets. */
  setStopOnReset(stop: boolean): this;
  /** Runs the VM in a host resource partition (GUID); excludes a CPU group. */
  setResourcePartitionId(partitionId: string): this;
  /** `VirtualMachine.Version` (confidential WCOW uses 12). */
  setVirtualMachineVersion(version: Version): this;
  addRegistryValue(value: RegistryValueOptions): this;
  setDebugOptions(options: DebugOptionsIntent): this;
  /** Whether layers may be multi-mapped into VPMem devices (a host-side decision, not in the document). */
  readonly vpmemMultiMapping: boolean;
  /** The checked document; throws `ValidationError` with every issue. Each call returns a new object. */
  build(): ComputeSystem;
  /** `build()` written as HCS expects it (Go's encoding/json shape). */
  toJson(): string;
}

/** A builder for a `linux` or `windows` guest on `host`. Never throws; problems surface in `build()`. */
export function createBuilder(options: BuilderOptions): Builder {
  return new UtilityVmBuilder(options);
}

const SUBJECT = 'ComputeSystem';

export class UtilityVmBuilder implements Builder {
  readonly memory: MemoryBuilderImpl;
  readonly processor: ProcessorBuilderImpl;
  readonly numa: NumaBuilderImpl;
  readonly devices: DevicesBuilderImpl;
  readonly boot: BootBuilderImpl;
  readonly storageQoS: StorageQoSBuilderImpl;
  readonly security: SecurityBuilderImpl;
  readonly #core: BuilderCore;
  readonly #optionIssues: ValidationIssue[];
  #owner: string | undefined;
  #schemaVersion: Version | undefined;
  #terminateOnLastHandleClosed = true;
  #stopOnReset = true;
  #resourcePartitionId: string | undefined;
  #vmVersion: Version | undefined;
  readonly #registryValues: RegistryValueOptions[] = [];
  #debugOptions: DebugOptionsIntent | undefined;

  constructor(options: BuilderOptions) {
    const o: Partial<BuilderOptions> = isRecord(options) ? options : {};
    this.#optionIssues = optionIssues({ os: o.os, host: o.host });
    if (o.newGuid !== undefined && typeof o.newGuid !== 'function') {
      this.#optionIssues.push({ path: '/options/newGuid', message: `newGuid must be a function returning GUIDs; got ${showValue(o.newGuid)}.` });
    }
    const os: GuestOs = o.os === 'windows' ? 'windows' : 'linux';
    const host = isRecord(o.host) ? { ...o.host } : ({} as HostFacts);
    const newGuid = typeof o.newGuid === 'function' ? o.newGuid : randomUUID;
    this.#core = new BuilderCore(os, host, newGuid, o.logger ?? silentLogger);
    this.memory = new MemoryBuilderImpl(this.#core);
    this.processor = new ProcessorBuilderImpl(this.#core);
    this.numa = new NumaBuilderImpl(this.#core);
    this.devices = new DevicesBuilderImpl(this.#core);
    this.boot = new BootBuilderImpl(this.#core);
    this.storageQoS = new StorageQoSBuilderImpl();
    this.security = new SecurityBuilderImpl(this.#core);
  }

  get os(): GuestOs {
    return this.#core.os;
  }

  get host(): HostFacts {
    return this.#core.host;
  }

  /** For presets: the shared core, to record option issues and reach the logger. */
  get core(): BuilderCore {
    return this.#core;
  }

  get vpmemMultiMapping(): boolean {
    return this.devices.vpmemMultiMapping;
  }

  setOwner(owner: string): this {
    this.#owner = owner;
    return this;
  }

  setSchemaVersion(version: Version): this {
    this.#core.guard(DocPath.schemaVersion, 'The schema version', () => (this.#schemaVersion = { ...version }));
    return this;
  }

  setTerminateOnLastHandleClosed(terminate: boolean): this {
    this.#terminateOnLastHandleClosed = terminate;
    return this;
  }

  setStopOnReset(stop: boolean): this {
    this.#stopOnReset = stop;
    return this;
  }

  setResourcePartitionId(partitionId: string): this {
    this.#resourcePartitionId = partitionId;
    return this;
  }

  setVirtualMachineVersion(version: Version): this {
    this.#core.guard(DocPath.vmVersion, 'The VM version', () => (this.#vmVersion = { ...version }));
    return this;
  }

  addRegistryValue(value: RegistryValueOptions): this {
    this.#core.guard(`${DocPath.registryChanges}/AddValues`, 'The registry value', () => {
      this.#registryValues.push({ ...value, key: { ...value.key } });
    });
    return this;
  }

  setDebugOptions(options: DebugOptionsIntent): this {
    this.#core.guard(DocPath.debugOptions, 'The debug options', () => (this.#debugOptions = { ...options }));
    return this;
  }

  build(): ComputeSystem {
    const issues = new IssueList();
    let doc: ComputeSystem | undefined;
    try {
      issues.addAll(this.#optionIssues);
      issues.addAll(this.#core.recorded);
      doc = this.#compose(issues);
      runRules(doc, { os: this.#core.os, host: this.#core.host }, issues);
      const schema = validateComputeSystem(doc);
      if (!schema.ok) issues.addAll(schema.issues);
    } catch (error) {
      // Every expected problem is an issue; reaching this is a bug, still reported the documented way.
      issues.add('', `The builder failed unexpectedly (${error instanceof Error ? error.message : showValue(error)}); this is a bug in @uvm/builder.`);
      throw new ValidationError(SUBJECT, issues.toArray(), { cause: error });
    }
    if (issues.size > 0) throw new ValidationError(SUBJECT, issues.toArray());
    return doc;
  }

  toJson(): string {
    return toHcsJson(this.build());
  }

  #compose(issues: IssueList): ComputeSystem {
    const memory = this.memory.compose(issues);
    const processor = this.processor.compose();
    const { numa, numaProcessors } = this.numa.compose(issues);
    if (numaProcessors !== undefined) processor.NumaProcessorsSettings = numaProcessors;
    // hcsshim pairs every vNUMA topology with this SLIT type (hcs-host.md §4.4).
    if (this.numa.configured && memory.SlitType === undefined) memory.SlitType = 'FirmwareFallbackMeasured';
    const { securitySettings, guestState } = this.security.compose(issues);
    const vm = withoutUndefined<VirtualMachine>({
      Version: this.#vmVersion === undefined ? undefined : { ...this.#vmVersion },
      StopOnReset: this.#stopOnReset,
      Chipset: this.boot.compose(),
      ComputeTopology: withoutUndefined({ Memory: memory, Processor: processor, Numa: numa }),
      Devices: this.devices.compose(issues, this.security.hvSocketLockDown(issues)),
      GuestState: guestState,
      RegistryChanges: this.#composeRegistry(issues),
      StorageQoS: this.storageQoS.compose(),
      DebugOptions: this.#debugOptions === undefined ? undefined : debugOptions(this.#debugOptions),
      SecuritySettings: securitySettings,
      ResourcePartitionId: this.#resourcePartitionId === undefined ? undefined : lowerGuid(this.#resourcePartitionId),
    });
    return withoutUndefined<ComputeSystem>({
      Owner: this.#owner,
      SchemaVersion: { ...(this.#schemaVersion ?? (this.security.isolated ? SchemaVersion.V2_5 : SchemaVersion.V2_1)) },
      VirtualMachine: vm,
      ShouldTerminateOnLastHandleClosed: this.#terminateOnLastHandleClosed,
    });
  }

  #composeRegistry(issues: IssueList): VirtualMachine['RegistryChanges'] {
    if (this.#registryValues.length === 0) return undefined;
    const values = this.#registryValues.map((v, i): RegistryValue => {
      const kinds = [v.stringValue, v.binaryValue, v.dWordValue, v.qWordValue].filter((x) => x !== undefined).length;
      if (kinds !== 1) {
        issues.add(
          jsonPointer('VirtualMachine', 'RegistryChanges', 'AddValues', i),
          `A registry value holds exactly one kind of data; ${kinds} are given. Set one of stringValue, binaryValue, dWordValue or qWordValue.`,
        );
      }
      return withoutUndefined<RegistryValue>({
        Key: withoutUndefined({ Hive: v.key.hive, Name: v.key.name, Volatile: v.key.volatile }),
        Name: v.name,
        Type: v.type,
        StringValue: v.stringValue,
        BinaryValue: v.binaryValue,
        DWordValue: v.dWordValue,
        QWordValue: v.qWordValue,
        CustomType: v.customType,
      });
    });
    return { AddValues: values };
  }
}

function debugOptions(o: DebugOptionsIntent): DebugOptions {
  return withoutUndefined<DebugOptions>({
    BugcheckSavedStateFileName: o.bugcheckSavedStateFileName,
    BugcheckNoCrashdumpSavedStateFileName: o.bugcheckNoCrashdumpSavedStateFileName,
    TripleFaultSavedStateFileName: o.tripleFaultSavedStateFileName,
    FirmwareDumpFileName: o.firmwareDumpFileName,
  });
}
