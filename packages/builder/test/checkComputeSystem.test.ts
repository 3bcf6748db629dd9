import { describe, expect, it } from 'vitest';
import { checkComputeSystem } from '@uvm/builder';
import { HOST, example } from './helpers.js';

describe('checkComputeSystem', () => {
  it('finds nothing wrong with the default LCOW document', () => {
    expect(checkComputeSystem(example('lcow-default.json'), { os: 'linux', host: HOST })).toEqual([]);
  });

  it('finds what a schema-valid document gets wrong for its guest: VSMB shares in a Linux VM', () => {
    expect(checkComputeSystem(example('lcow-full.json'), { os: 'linux', host: HOST })).toEqual([
      { path: '/VirtualMachine/Devices/VirtualSmb/Shares', message: expect.stringContaining('Plan9') as unknown },
    ]);
  });

  it('judges the same document by the host it will run on', () => {
    const paths = checkComputeSystem(example('lcow-default.json'), { os: 'linux', host: { ...HOST, windowsBuild: 17763 } }).map((i) => i.path);
    expect(paths).toEqual(['/VirtualMachine/Chipset/LinuxKernelDirect']);
  });

  it('reports schema problems and rule problems together', () => {
    const doc = example('lcow-default.json') as { VirtualMachine: { ComputeTopology: { Memory: Record<string, unknown> } } };
    doc.VirtualMachine.ComputeTopology.Memory.SizeInMb = 1024;
    delete doc.VirtualMachine.ComputeTopology.Memory.SizeInMB;
    const issues = checkComputeSystem(doc, { os: 'linux', host: HOST });
    expect(issues.map((i) => i.path).sort()).toEqual(['/VirtualMachine/ComputeTopology/Memory/SizeInMB', '/VirtualMachine/ComputeTopology/Memory/SizeInMb']);
  });

  it('never throws, whatever it is given', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.VirtualMachine = cyclic;
    const getter = Object.defineProperty({}, 'VirtualMachine', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    for (const doc of [undefined, null, 0, 'doc', [], {}, { VirtualMachine: [] }, { VirtualMachine: { Devices: { Scsi: 'x', Plan9: 5 } } }, cyclic, getter, 10n]) {
      expect(() => checkComputeSystem(doc, { os: 'linux', host: HOST })).not.toThrow();
      expect(checkComputeSystem(doc, { os: 'linux', host: HOST }).length).toBeGreaterThan(0);
    }
  });

  it('checks a hand-written NUMA section that lacks count_per_node without failing', () => {
    const doc = example('lcow-default.json') as { VirtualMachine: { ComputeTopology: { Processor: Record<string, unknown> } } };
    doc.VirtualMachine.ComputeTopology.Processor.NumaProcessorsSettings = { node_per_socket: 1 };
    const messages = checkComputeSystem(doc, { os: 'linux', host: HOST }).map((i) => i.message);
    expect(messages.some((m) => m.includes('could not be checked'))).toBe(false);
    expect(messages.length).toBeGreaterThan(0);
  });

  it('reports bad host facts instead of guessing', () => {
    expect(checkComputeSystem(example('lcow-default.json'), { os: 'linux', host: { windowsBuild: 0, architecture: 'x86', logicalProcessorCount: 8 } as never })).toEqual([
      { path: '/options/host/windowsBuild', message: expect.stringContaining('positive integer') as unknown },
      { path: '/options/host/architecture', message: expect.stringContaining('amd64') as unknown },
    ]);
  });
});
