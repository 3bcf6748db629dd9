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

/** Documents per second: whole batches until at least MIN_MS have passed. */
function rate(fn: () => void): number {
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    for (let i = 0; i < 200; i++) fn();
    iterations += 200;
    elapsed = performance.now() - start;
  }
  return (iterations * 1000) / elapsed;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const format = (n: number) => `${Math.round(n).toLocaleString('en-US')} docs/s`;

rate(buildValidateSerialize); // warm up: compile the validator and the writer, let the JIT settle
rate(fromOptions);
rate(floor);
const builtRates: number[] = [];
const optionRates: number[] = [];
const floorRates: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  builtRates.push(rate(buildValidateSerialize));
  optionRates.push(rate(fromOptions));
  floorRates.push(rate(floor));
  console.log(
    `round ${round}: build+validate+serialize ${format(builtRates.at(-1) ?? 0)}, from options ${format(optionRates.at(-1) ?? 0)}, JSON.stringify ${format(floorRates.at(-1) ?? 0)}`,
  );
}
console.log(`full LCOW document (${json.length} bytes of JSON), median of ${ROUNDS} rounds:`);
console.log(`  builder.toJson() (build + validate + serialize)   ${format(median(builtRates))}`);
console.log(`  lcow(options) + customising + toJson()             ${format(median(optionRates))}`);
console.log(`  JSON.stringify(finished document)                  ${format(median(floorRates))}`);
console.log(`  ratio ${(median(floorRates) / median(builtRates)).toFixed(2)}x the floor (aim: at most 5x)`);
console.log(`  ratio from options ${(median(floorRates) / median(optionRates)).toFixed(2)}x the floor`);
// Using the results keeps the engine from optimising the work away.
if (sink === 0) throw new Error('nothing was measured');
