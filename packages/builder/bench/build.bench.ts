// Build + validate + serialize of a full LCOW document against the floor of JSON.stringify of the
// finished document, in the same run. Run with `npx pnpm@12.21.0 --filter @uvm/builder bench`
// (after a build); not part of the tests.
import { lcow, type Builder } from '@uvm/builder';

const HOST = { windowsBuild: 26100, architecture: 'amd64', logicalProcessorCount: 16 } as const;
const ROUNDS = 5;
const MIN_MS = 1000;
let sink = 0;

/** hcsshim's LCOW sandbox with most of what a busy pod adds: NUMA, vPCI, disks, shares, NICs, hvsock services. */
function fullLcow(): Builder {
  let guid = 0;
  const b = lcow({
    host: HOST,
    owner: 'uvm-bench',
    bootFilesPath: 'C:\\ContainerPlat\\LinuxBootFiles',
    bootFiles: ['vmlinux', 'rootfs.vhd'],
    processorCount: 4,
    processorLimit: 80_000,
    processorWeight: 200,
    memorySizeInMB: 4096,
    fullyPhysicallyBacked: true,
    numa: { maxProcessorsPerNode: 2, maxSizePerNodeInMB: 2048, preferredPhysicalNodes: [0, 1] },
    storageQoS: { iopsMaximum: 5000, bandwidthMaximum: 200_000_000 },
    devices: [
      { id: 'PCIP\\VEN_10DE&DEV_13F2\\6&17F903&0&00400000', idType: 'gpu' },
      { id: 'PCIP\\VEN_8086&DEV_1572\\4&2B4F2AD&0&0008\\1', idType: 'vpci-instance-id' },
    ],
    vpciEnabled: true,
    consolePipe: '\\\\.\\pipe\\uvm-bench-console',
    kernelBootOptions: 'loglevel=7',
    writableOverlayDirs: true,
    logLevel: 'debug',
    scrubLogs: true,
    hvSocketServiceTable: {
      '0000006d-facb-11e6-bd58-64006a7986d3': { bindSecurityDescriptor: 'D:P(A;;FA;;;WD)', allowWildcardBinds: true },
      'e7a3c2b1-0d4f-4a5e-8b6c-7d8e9f0a1b2c': { disabled: true },
    },
    newGuid: () => `00000000-0000-4000-8000-${(++guid).toString(16).padStart(12, '0')}`,
  });
  for (let i = 0; i < 24; i++) {
    b.devices.addScsiDisk({ controller: 1 + (i % 3), lun: Math.floor(i / 3), path: `C:\\ProgramData\\uvm\\layers\\layer${i}.vhdx`, readOnly: true });
  }
  b.devices.addScsiDisk({ controller: 0, lun: 1, path: 'C:\\ProgramData\\uvm\\sandboxes\\bench\\sandbox.vhdx', cachingMode: 'Cached' });
  for (let i = 0; i < 4; i++) b.devices.addPlan9Share({ name: String(i), path: `C:\\ProgramData\\uvm\\shares\\${i}`, readOnly: i % 2 === 0 });
  b.devices.addNetworkAdapter('5f0b7e52-3c1a-4d8e-b2f4-6a7c8d9e0f12', { endpointId: '5f0b7e52-3c1a-4d8e-b2f4-6a7c8d9e0f12', macAddress: '00-15-5D-52-C0-01' });
  b.devices.addComPort(1, { namedPipe: '\\\\.\\pipe\\uvm-bench-com2' });
  return b;
}

const builder = fullLcow();
const finished = builder.build();
const json = builder.toJson();

function buildValidateSerialize(): void {
  sink += builder.toJson().length;
}

function fromOptions(): void {
  sink += fullLcow().toJson().length;
}

function floor(): void {
  sink += JSON.stringify(finished).length;
}

/** Time spent on `batch` calls of `fn`, in ms. */
function time(fn: () => void, batch: number): number {
  const start = performance.now();
  for (let i = 0; i < batch; i++) fn();
  return performance.now() - start;
}

/**
 * Documents per second of each function, measured in alternating short slices for at least MIN_MS
 * each, so that load from other processes on the machine falls on every side alike.
 */
function rates(fns: readonly (() => void)[]): number[] {
  const ms = fns.map(() => 0);
  const done = fns.map(() => 0);
  while (ms.some((t) => t < MIN_MS)) {
    fns.forEach((fn, i) => {
      ms[i] = (ms[i] ?? 0) + time(fn, 50);
      done[i] = (done[i] ?? 0) + 50;
    });
  }
  return fns.map((_, i) => ((done[i] ?? 0) * 1000) / (ms[i] ?? 1));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const format = (n: number) => `${Math.round(n).toLocaleString('en-US')} docs/s`;

rates([buildValidateSerialize, fromOptions, floor]); // warm up: compile the validator and the writer, let the JIT settle
const builtRates: number[] = [];
const optionRates: number[] = [];
const floorRates: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const [built = 0, options = 0, json = 0] = rates([buildValidateSerialize, fromOptions, floor]);
  builtRates.push(built);
  optionRates.push(options);
  floorRates.push(json);
  console.log(`round ${round}: build+validate+serialize ${format(built)}, from options ${format(options)}, JSON.stringify ${format(json)}`);
}
console.log(`full LCOW document (${json.length} bytes of JSON), median of ${ROUNDS} rounds:`);
console.log(`  builder.toJson() (build + validate + serialize)   ${format(median(builtRates))}`);
console.log(`  lcow(options) + customising + toJson()             ${format(median(optionRates))}`);
console.log(`  JSON.stringify(finished document)                  ${format(median(floorRates))}`);
console.log(`  ratio ${(median(floorRates) / median(builtRates)).toFixed(2)}x the floor (aim: at most 5x)`);
console.log(`  ratio from options ${(median(floorRates) / median(optionRates)).toFixed(2)}x the floor`);
// Using the results keeps the engine from optimising the work away.
if (sink === 0) throw new Error('nothing was measured');
