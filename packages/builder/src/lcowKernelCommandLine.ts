import { VSOCK_PORT } from '@uvm/types';
import { goQuote } from './goQuote.js';

/** What the LCOW kernel command line depends on (hcs-host.md §4.8). */
export interface LcowKernelCommandLineOptions {
  /** The root file system: the initrd (`initrd.img`) or a read-only VHD on SCSI (`rootfs.vhd`). */
  readonly rootFs: 'initrd' | 'vhd';
  /** Kernel-direct boot passes the initrd through `InitRdPath`; UEFI boot names it on the command line. */
  readonly kernelDirect: boolean;
  /** Final vCPU count (after clamping to the host), written as `nr_cpus=`. */
  readonly processorCount: number;
  /** The VHD root is a dm-verity device built from this `dm-mod.create` table (VHD root only). */
  readonly dmVerityCreateArgs?: string;
  /** A serial console is attached (COM1 to a named pipe): the kernel logs to ttyS0 and init keeps a shell. */
  readonly hasConsole?: boolean;
  /** Extra kernel options, inserted verbatim after the console options. */
  readonly kernelBootOptions?: string;
  /** Keep PCI enabled (omit `pci=off`) for vPCI devices. */
  readonly vpciEnabled?: boolean;
  /** Pass `-w` to init: writable overlay directories on a VHD root (ignored for the initrd, which is writable). */
  readonly writableOverlayDirs?: boolean;
  /** The sandbox can live-migrate: vsockexec reconnects its log stream (`-r`). */
  readonly liveMigration?: boolean;
  /** GCS log level; default `info`. */
  readonly logLevel?: string;
  /** Pass `-disable-time-sync` to the GCS. */
  readonly disableTimeSync?: boolean;
  /** Pass `-scrub-logs=<value>` to the GCS; absent leaves the GCS default. */
  readonly scrubLogs?: boolean;
  /** Pass `-core-dump-location <path>` to the GCS. */
  readonly processDumpLocation?: string;
  /** Appended verbatim to the GCS command. */
  readonly extraExecArgs?: string;
}

/** The file name the UEFI loader finds the initrd under. */
const INITRD_FILE = 'initrd.img';

/**
 * The LCOW kernel command line exactly as hcsshim assembles it (hcs-host.md §4.8): root file system,
 * vsock transport, console, user options, PCI, CPUs, ramdisk and timer, then `--` and the init
 * arguments that start the GCS.
 */
export function lcowKernelCommandLine(o: LcowKernelCommandLineOptions): string {
  const tokens: string[] = [];
  if (o.rootFs === 'initrd') {
    if (!o.kernelDirect) tokens.push(`initrd=/${INITRD_FILE}`);
  } else if (o.dmVerityCreateArgs !== undefined) {
    tokens.push(`root=/dev/dm-0 dm-mod.create=${goQuote(o.dmVerityCreateArgs)} init=/init`);
  } else {
    tokens.push('root=/dev/sda ro rootwait init=/init');
  }
  // hv_sock, not virtio-vsock, carries the GCS connection.
  tokens.push('initcall_blacklist=virtio_vsock_init');
  const hasConsole = o.hasConsole === true;
  if (hasConsole) {
    tokens.push('8250_core.nr_uarts=1 8250_core.skip_txen_test=1 console=ttyS0,115200');
  } else {
    // Without a console nobody can debug a panic: let the VM exit instead.
    tokens.push('8250_core.nr_uarts=0 panic=-1 quiet');
  }
  if (o.kernelBootOptions !== undefined && o.kernelBootOptions !== '') tokens.push(o.kernelBootOptions);
  if (o.vpciEnabled !== true) tokens.push('pci=off');
  tokens.push(`nr_cpus=${o.processorCount}`);
  tokens.push('brd.rd_nr=0 pmtmr=0');
  tokens.push('--', initArguments(o, hasConsole));
  return tokens.join(' ');
}

function initArguments(o: LcowKernelCommandLineOptions, hasConsole: boolean): string {
  const args = [`-e ${VSOCK_PORT.entropy}`];
  if (o.writableOverlayDirs === true && o.rootFs === 'vhd') args.push('-w');
  const gcs = gcsCommand(o);
  args.push(hasConsole ? `sh -c"${gcs}& exec sh"` : gcs);
  return args.join(' ');
}

function gcsCommand(o: LcowKernelCommandLineOptions): string {
  const logLevel = o.logLevel === undefined || o.logLevel === '' ? 'info' : o.logLevel;
  let cmd = `/bin/vsockexec${o.liveMigration === true ? ' -r' : ''} -e ${VSOCK_PORT.log}`;
  cmd += ` /bin/gcs -v4 -log-format json -loglevel ${logLevel}`;
  if (o.disableTimeSync === true) cmd += ' -disable-time-sync';
  if (o.scrubLogs !== undefined) cmd += ` -scrub-logs=${o.scrubLogs}`;
  if (o.processDumpLocation !== undefined && o.processDumpLocation !== '') cmd += ` -core-dump-location ${o.processDumpLocation}`;
  if (o.extraExecArgs !== undefined && o.extraExecArgs !== '') cmd += ` ${o.extraExecArgs}`;
  return cmd;
}
