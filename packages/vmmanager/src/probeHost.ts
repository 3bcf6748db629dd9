import { availableParallelism } from 'node:os';
import { ProcessorTopologySchema, ProtocolError, throwIfAborted, validateWith, type Hcs, type HostFacts } from '@uvm/types';
import type { CallOptions } from './managers.js';

/**
 * The host facts `@uvm/builder` takes: the Windows build and architecture (from the backend) and
 * the logical processor count HCS reports in its `ProcessorTopology` service property
 * (hcs-host.md §2.2), plus the CPUs this process may use.
 */
export async function probeHost(hcs: Hcs, options: CallOptions = {}): Promise<HostFacts> {
  throwIfAborted(options.signal, 'probeHost');
  const call = options.signal === undefined ? {} : { signal: options.signal };
  const [info, service] = await Promise.all([hcs.getHostInfo(call), hcs.getServiceProperties({ PropertyTypes: ['ProcessorTopology'] }, call)]);
  const answers = service.Properties ?? [];
  if (answers.length !== 1) {
    throw new ProtocolError(`HCS answered the ProcessorTopology query with ${answers.length} documents; exactly one was expected.`);
  }
  const topology = validateWith(ProcessorTopologySchema, answers[0], { strict: false });
  const count = topology.ok ? topology.value.LogicalProcessorCount : undefined;
  if (count === undefined || count < 1) {
    throw new ProtocolError(`HCS's ProcessorTopology has no usable LogicalProcessorCount (got ${JSON.stringify(answers[0])}).`);
  }
  return {
    windowsBuild: info.windowsBuild,
    architecture: info.architecture,
    logicalProcessorCount: count,
    processCpuCount: Math.min(availableParallelism(), count),
  };
}
