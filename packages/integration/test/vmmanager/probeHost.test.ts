import { describe, expect, it } from 'vitest';
import { HcsUnavailableError, ProtocolError, type Hcs } from '@uvm/types';
import { createHcsSimulator } from '@uvm/sim';
import { UtilityVM, probeHost } from '@uvm/vmmanager';
import { uvmDocument } from './vmFixtures.js';

describe('probeHost', () => {
  it('returns the build, architecture and logical processor count in the shape the builder takes', async () => {
    const sim = createHcsSimulator({ host: { windowsBuild: 20348, architecture: 'arm64', logicalProcessorCount: 16 } });
    const facts = await probeHost(sim);
    expect(facts).toMatchObject({ windowsBuild: 20348, architecture: 'arm64', logicalProcessorCount: 16 });
    expect(facts.processCpuCount).toBeGreaterThanOrEqual(1);
    expect(facts.processCpuCount).toBeLessThanOrEqual(16);
    await sim.close();
  });

  it('refuses an answer without a usable processor count', async () => {
    const sim = createHcsSimulator();
    const broken: Hcs = Object.assign(Object.create(sim) as Hcs, {
      getHostInfo: () => sim.getHostInfo(),
      getServiceProperties: () => Promise.resolve({ Properties: [{ LogicalProcessorCount: 0 }] }),
    });
    await expect(probeHost(broken)).rejects.toBeInstanceOf(ProtocolError);
    await sim.close();
  });

  it('honours an aborted signal', async () => {
    const sim = createHcsSimulator();
    await expect(probeHost(sim, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    await sim.close();
  });
});

describe.runIf(process.platform !== 'win32')('the default backend off Windows', () => {
  it('says HCS is unavailable here and how to use the simulator instead', async () => {
    const error = (await UtilityVM.create('uvm', uvmDocument()).catch((e: unknown) => e)) as HcsUnavailableError;
    expect(error).toBeInstanceOf(HcsUnavailableError);
    expect(error.reason).toBe('not-windows');
    expect(error.message).toContain('createHcsSimulator()');
    expect(error.message).toContain('UtilityVM.create(id, document, { hcs: createHcsSimulator() })');
  });
});
