/**
 * Values with a fixed meaning on the bridge.
 */

/** The `ContainerId` that addresses the UVM itself rather than a container. */
export const GCS_NULL_CONTAINER_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The first vsock port (LCOW) / `VsockServiceID` port (WCOW) the Go host allocates for process
 * stdio relays; it adds 1 per pipe and never reuses a port on a connection.
 */
export const GCS_STDIO_FIRST_PORT = 0x40000001;

/** The module name in the error records of the Linux GCS and of the confidential-WCOW sidecar. */
export const GcsErrorModuleName = { linux: 'gcs', sidecar: 'gcs-sidecar' } as const;
