import type { HostFacts, Logger } from '@uvm/types';
import type { HvSocketServiceOptions } from './devicesBuilder.js';

/** A virtual NUMA request in hcsshim's terms (hcs-host.md §4.4): implicit limits or an explicit node list. */
export interface PresetNumaOptions {
  /** Implicit topology: at most this many processors per node (needs `maxSizePerNodeInMB`). */
  readonly maxProcessorsPerNode?: number;
  readonly maxSizePerNodeInMB?: number;
  readonly preferredPhysicalNodes?: readonly number[];
  /** Explicit topology: the host node of each virtual node; the three lists have one entry per node. */
  readonly mappedPhysicalNodes?: readonly number[];
  readonly countOfProcessors?: readonly number[];
  readonly countOfMemoryBlocks?: readonly number[];
}

/** What the LCOW and WCOW presets share: host, owner, processors, memory, NUMA, storage QoS, hvsock, console. */
export interface PresetOptions {
  readonly host: HostFacts;
  /** Recorded by HCS as the VM's owner. */
  readonly owner?: string;
  /** Default 1024; rounded up to an even number. */
  readonly memorySizeInMB?: number;
  /** Default 2 (1 when the process sees one CPU); clamped to the host's logical processors. */
  readonly processorCount?: number;
  readonly processorLimit?: number;
  readonly processorWeight?: number;
  /** Needs Windows build 19043; excludes `resourcePartitionId`. */
  readonly cpuGroupId?: string;
  readonly resourcePartitionId?: string;
  readonly lowMmioGapInMB?: number;
  readonly highMmioBaseInMB?: number;
  readonly highMmioGapInMB?: number;
  /** Default true (virtually backed memory). */
  readonly allowOvercommit?: boolean;
  /** Back all memory physically: no overcommit (and for LCOW, no VPMem; for WCOW, no VSMB direct map). */
  readonly fullyPhysicallyBacked?: boolean;
  readonly enableDeferredCommit?: boolean;
  /** Needs Windows build 18967. */
  readonly enableColdDiscardHint?: boolean;
  readonly numa?: PresetNumaOptions;
  readonly storageQoS?: { readonly iopsMaximum?: number; readonly bandwidthMaximum?: number };
  /** `\\.\pipe\<name>`: COM1 goes to this pipe. */
  readonly consolePipe?: string;
  /** Extra hvsock services by GUID. */
  readonly hvSocketServiceTable?: Readonly<Record<string, HvSocketServiceOptions>>;
  readonly newGuid?: () => string;
  readonly logger?: Logger;
}
