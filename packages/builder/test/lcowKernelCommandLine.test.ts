import { describe, expect, it } from 'vitest';
import { lcowKernelCommandLine, type LcowKernelCommandLineOptions } from '@uvm/builder';

// Each expectation is written token by token from hcs-host.md §4.8, not from the implementation.
const GCS = '/bin/vsockexec -e 109 /bin/gcs -v4 -log-format json -loglevel info';
const NO_CONSOLE = ['8250_core.nr_uarts=0', 'panic=-1', 'quiet'];
const CONSOLE = ['8250_core.nr_uarts=1', '8250_core.skip_txen_test=1', 'console=ttyS0,115200'];
const TAIL = (cpus: number) => ['pci=off', `nr_cpus=${cpus}`, 'brd.rd_nr=0', 'pmtmr=0', '--'];

const cases: readonly [string, LcowKernelCommandLineOptions, readonly string[]][] = [
  [
    'kernel-direct initrd boot (the default document)',
    { rootFs: 'initrd', kernelDirect: true, processorCount: 2 },
    ['initcall_blacklist=virtio_vsock_init', ...NO_CONSOLE, ...TAIL(2), '-e', '1', ...GCS.split(' ')],
  ],
  [
    'UEFI initrd boot names the initrd',
    { rootFs: 'initrd', kernelDirect: false, processorCount: 2 },
    ['initrd=/initrd.img', 'initcall_blacklist=virtio_vsock_init', ...NO_CONSOLE, ...TAIL(2), '-e', '1', ...GCS.split(' ')],
  ],
  [
    'VHD root without dm-verity',
    { rootFs: 'vhd', kernelDirect: true, processorCount: 4 },
    ['root=/dev/sda', 'ro', 'rootwait', 'init=/init', 'initcall_blacklist=virtio_vsock_init', ...NO_CONSOLE, ...TAIL(4), '-e', '1', ...GCS.split(' ')],
  ],
  [
    'VHD root under UEFI is the same as kernel direct',
    { rootFs: 'vhd', kernelDirect: false, processorCount: 1 },
    ['root=/dev/sda', 'ro', 'rootwait', 'init=/init', 'initcall_blacklist=virtio_vsock_init', ...NO_CONSOLE, ...TAIL(1), '-e', '1', ...GCS.split(' ')],
  ],
  [
    'a console pipe switches the UART on and wraps the GCS in a shell',
    { rootFs: 'initrd', kernelDirect: true, processorCount: 2, hasConsole: true },
    ['initcall_blacklist=virtio_vsock_init', ...CONSOLE, ...TAIL(2), '-e', '1', 'sh', ...`-c"${GCS}&`.split(' '), 'exec', 'sh"'],
  ],
  [
    'user kernel options come after the console options and before pci=off',
    { rootFs: 'initrd', kernelDirect: true, processorCount: 2, kernelBootOptions: 'debug loglevel=7' },
    ['initcall_blacklist=virtio_vsock_init', ...NO_CONSOLE, 'debug', 'loglevel=7', ...TAIL(2), '-e', '1', ...GCS.split(' ')],
  ],
  [
    'vPCI keeps PCI enabled',
    { rootFs: 'initrd', kernelDirect: true, processorCount: 8, vpciEnabled: true },
    ['initcall_blacklist=virtio_vsock_init', ...NO_CONSOLE, 'nr_cpus=8', 'brd.rd_nr=0', 'pmtmr=0', '--', '-e', '1', ...GCS.split(' ')],
  ],
  [
    'writable overlay directories add -w on a VHD root',
    { rootFs: 'vhd', kernelDirect: true, processorCount: 2, writableOverlayDirs: true },
    ['root=/dev/sda', 'ro', 'rootwait', 'init=/init', 'initcall_blacklist=virtio_vsock_init', ...NO_CONSOLE, ...TAIL(2), '-e', '1', '-w', ...GCS.split(' ')],
  ],
  [
    'writable overlay directories are ignored on the initrd',
    { rootFs: 'initrd', kernelDirect: true, processorCount: 2, writableOverlayDirs: true },
    ['initcall_blacklist=virtio_vsock_init', ...NO_CONSOLE, ...TAIL(2), '-e', '1', ...GCS.split(' ')],
  ],
  [
    'live migration makes vsockexec reconnect',
    { rootFs: 'initrd', kernelDirect: true, processorCount: 2, liveMigration: true },
    ['initcall_blacklist=virtio_vsock_init', ...NO_CONSOLE, ...TAIL(2), '-e', '1', '/bin/vsockexec', '-r', '-e', '109', '/bin/gcs', '-v4', '-log-format', 'json', '-loglevel', 'info'],
  ],
  [
    'every GCS flag in its order',
    {
      rootFs: 'initrd',
      kernelDirect: true,
      processorCount: 2,
      logLevel: 'debug',
      disableTimeSync: true,
      scrubLogs: false,
      processDumpLocation: '/tmp/dumps',
      extraExecArgs: '-extra one',
    },
    [
      'initcall_blacklist=virtio_vsock_init', ...NO_CONSOLE, ...TAIL(2), '-e', '1',
      '/bin/vsockexec', '-e', '109', '/bin/gcs', '-v4', '-log-format', 'json', '-loglevel', 'debug',
      '-disable-time-sync', '-scrub-logs=false', '-core-dump-location', '/tmp/dumps', '-extra', 'one',
    ],
  ],
  [
    'scrubbing set to true is passed explicitly',
    { rootFs: 'initrd', kernelDirect: true, processorCount: 2, scrubLogs: true },
    ['initcall_blacklist=virtio_vsock_init', ...NO_CONSOLE, ...TAIL(2), '-e', '1', ...GCS.split(' '), '-scrub-logs=true'],
  ],
  [
    'everything at once: VHD, console, options, vPCI, -w, live migration',
    {
      rootFs: 'vhd',
      kernelDirect: false,
      processorCount: 3,
      hasConsole: true,
      kernelBootOptions: 'audit=0',
      vpciEnabled: true,
      writableOverlayDirs: true,
      liveMigration: true,
      logLevel: 'warning',
    },
    [
      'root=/dev/sda', 'ro', 'rootwait', 'init=/init', 'initcall_blacklist=virtio_vsock_init', ...CONSOLE, 'audit=0',
      'nr_cpus=3', 'brd.rd_nr=0', 'pmtmr=0', '--', '-e', '1', '-w',
      'sh', '-c"/bin/vsockexec', '-r', '-e', '109', '/bin/gcs', '-v4', '-log-format', 'json', '-loglevel', 'warning&', 'exec', 'sh"',
    ],
  ],
];

describe('lcowKernelCommandLine', () => {
  it.each(cases)('matches §4.8 token by token: %s', (_name, options, tokens) => {
    expect(lcowKernelCommandLine(options).split(' ')).toEqual(tokens);
  });

  it('writes the console wrapper with no space after -c and none before &', () => {
    const line = lcowKernelCommandLine({ rootFs: 'initrd', kernelDirect: true, processorCount: 1, hasConsole: true });
    expect(line.endsWith(`-- -e 1 sh -c"${GCS}& exec sh"`)).toBe(true);
  });

  it('quotes the dm-verity table as Go %q does', () => {
    const table = 'dmverity,,,ro,0 8 verity 1 /dev/sda /dev/sdb 4096 4096 1 1 sha256 "abc" \\x';
    const line = lcowKernelCommandLine({ rootFs: 'vhd', kernelDirect: true, processorCount: 2, dmVerityCreateArgs: table });
    expect(line.startsWith('root=/dev/dm-0 dm-mod.create="dmverity,,,ro,0 8 verity 1 /dev/sda /dev/sdb 4096 4096 1 1 sha256 \\"abc\\" \\\\x" init=/init initcall_blacklist=virtio_vsock_init ')).toBe(true);
  });

  it('escapes control and non-printable characters in the dm-verity table like Go', () => {
    const line = lcowKernelCommandLine({ rootFs: 'vhd', kernelDirect: true, processorCount: 2, dmVerityCreateArgs: 'a\tb\nc\x01d\u00a0é😀' });
    expect(line).toContain('dm-mod.create="a\\tb\\nc\\x01d\\u00a0é😀" ');
  });

  it('ignores the dm-verity table for an initrd root', () => {
    const line = lcowKernelCommandLine({ rootFs: 'initrd', kernelDirect: true, processorCount: 2, dmVerityCreateArgs: 'x' });
    expect(line).not.toContain('dm-mod');
  });
});
