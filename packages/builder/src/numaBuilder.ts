import type { Numa, NumaProcessors, NumaSetting } from '@uvm/types';
import type { BuilderCore } from './builderCore.js';
import { DocPath } from './documentPaths.js';
import type { IssueList } from './issueList.js';
import { isList, isRecord, withoutUndefined } from './values.js';

/** One node of an explicit vNUMA topology. */
export interface NumaNodeOptions {
  /** The host NUMA node backing it: 0–63, or 255 to let Hyper-V choose (then for every node). */
  readonly physicalNode: number;
  readonly countOfProcessors: number;
  /** Memory of the node; hcsshim requires the nodes' total to equal the VM's memory size in MB. */
  readonly countOfMemoryBlocks: number;
  /** Default: the node's index in `nodes`. */
  readonly virtualNode?: number;
  /** Default: the node's index in `nodes`. */
  readonly virtualSocket?: number;
}

/** An explicit topology: each virtual node mapped to a host node with its processors and memory. */
export interface ExplicitNumaOptions {
  readonly nodes: readonly NumaNodeOptions[];
  readonly preferredPhysicalNodes?: readonly number[];
}

/** An implicit topology: Hyper-V splits the VM into nodes of at most these sizes. */
export interface ImplicitNumaOptions {
  readonly maxProcessorsPerNode: number;
  readonly maxSizePerNodeInMB: number;
  readonly preferredPhysicalNodes?: readonly number[];
  readonly nodesPerSocket?: number;
}

/**
 * Virtual NUMA (hcs-host.md §4.4): needs Windows build 26100, physically backed memory (no
 * overcommit), and totals that match the VM's processors and memory.
 */
export interface NumaBuilder {
  setImplicit(options: ImplicitNumaOptions): this;
  setExplicit(options: ExplicitNumaOptions): this;
  /** Removes the topology. */
  clear(): this;
}

type Topology = { readonly kind: 'implicit'; readonly options: ImplicitNumaOptions } | { readonly kind: 'explicit'; readonly options: ExplicitNumaOptions };

const WHAT = 'The NUMA options';

export class NumaBuilderImpl implements NumaBuilder {
  #topology: Topology | undefined;

  constructor(private readonly core: BuilderCore) {}

  setImplicit(options: ImplicitNumaOptions): this {
    this.core.guard(DocPath.numa, WHAT, () => {
      this.#topology = {
        kind: 'implicit',
        options: withoutUndefined<ImplicitNumaOptions>({
          maxProcessorsPerNode: options.maxProcessorsPerNode,
          maxSizePerNodeInMB: options.maxSizePerNodeInMB,
          preferredPhysicalNodes: copyList(options.preferredPhysicalNodes),
          nodesPerSocket: options.nodesPerSocket,
        }),
      };
    });
    return this;
  }

  setExplicit(options: ExplicitNumaOptions): this {
    this.core.guard(DocPath.numa, WHAT, () => {
      const nodes = isList(options.nodes) ? options.nodes.map((n) => (isRecord(n) ? { ...n } : n)) : options.nodes;
      this.#topology = {
        kind: 'explicit',
        options: withoutUndefined<ExplicitNumaOptions>({ nodes, preferredPhysicalNodes: copyList(options.preferredPhysicalNodes) }),
      };
    });
    return this;
  }

  clear(): this {
    this.#topology = undefined;
    return this;
  }

  get configured(): boolean {
    return this.#topology !== undefined;
  }

  /** True for the implicit topology, the one hcsshim propagates to vPCI devices' NUMA affinity. */
  get implicit(): boolean {
    return this.#topology?.kind === 'implicit';
  }

  compose(issues: IssueList): { numa?: Numa; numaProcessors?: NumaProcessors } {
    const topology = this.#topology;
    if (topology === undefined) return {};
    const preferred = topology.options.preferredPhysicalNodes;
    const preferredList = preferred !== undefined && preferred.length > 0 ? [...preferred] : undefined;
    if (topology.kind === 'implicit') {
      const o = topology.options;
      if (o.maxProcessorsPerNode === 0) {
        issues.add(
          `${DocPath.processor}/NumaProcessorsSettings/count_per_node/max`,
          'An implicit vNUMA topology needs the maximum processors per node (at least 1).',
        );
      }
      return {
        numa: withoutUndefined<Numa>({ PreferredPhysicalNodes: preferredList, MaxSizePerNode: o.maxSizePerNodeInMB }),
        numaProcessors: withoutUndefined<NumaProcessors>({ count_per_node: { max: o.maxProcessorsPerNode }, node_per_socket: o.nodesPerSocket }),
      };
    }
    const nodes: readonly unknown[] = isList(topology.options.nodes) ? topology.options.nodes : [];
    if (nodes.length === 0) {
      issues.add(`${DocPath.numa}/Settings`, 'An explicit vNUMA topology needs at least one node (physical node, processors, memory blocks).');
    }
    const settings = nodes.map((node, i): NumaSetting => {
      const n = isRecord(node) ? (node as Partial<NumaNodeOptions>) : {};
      return withoutUndefined<NumaSetting>({
        VirtualNodeNumber: n.virtualNode ?? i,
        PhysicalNodeNumber: n.physicalNode,
        VirtualSocketNumber: n.virtualSocket ?? i,
        CountOfProcessors: n.countOfProcessors,
        CountOfMemoryBlocks: n.countOfMemoryBlocks,
        MemoryBackingType: 'Physical',
      });
    });
    return { numa: withoutUndefined<Numa>({ VirtualNodeCount: settings.length, PreferredPhysicalNodes: preferredList, Settings: settings }) };
  }
}

function copyList(list: readonly number[] | undefined): readonly number[] | undefined {
  return isList(list) ? [...list] : list;
}
