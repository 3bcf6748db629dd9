/**
 * What the configuration rules need to know about the host (hcs-host.md §4 intro): the builder
 * takes it, the VM manager's `probeHost` produces it, so neither depends on the other.
 */
export interface HostFacts {
  /** Windows build number, e.g. 26100 (LTSC 2025). */
  readonly windowsBuild: number;
  readonly architecture: 'amd64' | 'arm64';
  /** Logical processors HCS reports for the host (service property ProcessorTopology). */
  readonly logicalProcessorCount: number;
  /**
   * CPUs the calling process can use; hcsshim defaults a UVM to 1 vCPU when this is 1, else 2.
   * Defaults to `logicalProcessorCount`.
   */
  readonly processCpuCount?: number;
}
