import koffi, { type TypeObject } from 'koffi';
import { AF_HYPERV, HV_PROTOCOL_RAW, HcsUnavailableError, abortReason, guidToBytes, throwIfAborted, type VmSocketListener } from '@uvm/types';
import { iocpPump } from './iocpPump.js';
import { AcceptExFn, ConnectExFn } from './nativeTypes.js';
import { NativeStream } from './nativeStream.js';
import { OverlappedAcceptDriver, OverlappedStreamDriver } from './overlappedDriver.js';
import { packHvSocketAddress, resolveServiceId, type HvServiceId } from './hvSocketAddress.js';
import { NativeSocketListener } from './socketListener.js';
import { windowsError } from './socketErrors.js';
import { WIN, winApi } from './winApi.js';

const LISTEN_BACKLOG = 16;

/** A Hyper-V socket listener bound to (VM id, service id). */
export class HvSocketListener extends NativeSocketListener implements VmSocketListener {
  constructor(
    driver: OverlappedAcceptDriver,
    readonly vmId: string,
    readonly serviceId: string,
  ) {
    super(driver, `hvsock:${vmId}:${serviceId}`);
  }
}

function requireWindows(operation: string): void {
  if (process.platform !== 'win32') {
    throw new HcsUnavailableError(
      'not-windows',
      `${operation}: Hyper-V sockets (AF_HYPERV) exist only on Windows hosts and this machine runs ${process.platform}. ` +
        'A Linux guest reaches its host with connectVsock(VSOCK_CID.host, port).',
    );
  }
}

function createHvSocket(): bigint {
  const w = winApi();
  const socket = w.WSASocketW(AF_HYPERV, WIN.SOCK_STREAM, HV_PROTOCOL_RAW, null, 0, WIN.WSA_FLAG_OVERLAPPED);
  if (socket === null || socket === WIN.INVALID_HANDLE_VALUE) throw windowsError(w.WSAGetLastError(), 'WSASocketW', 'AF_HYPERV');
  return socket;
}

const extensions = new Map<string, unknown>();

/** AcceptEx/ConnectEx are Winsock extension functions: their addresses come from WSAIoctl. */
function extension(socket: bigint, id: string, type: TypeObject): unknown {
  const known = extensions.get(id);
  if (known !== undefined) return known;
  const w = winApi();
  const pointer = Buffer.alloc(8);
  const input = Buffer.from(guidToBytes(id));
  if (w.WSAIoctl(socket, WIN.SIO_GET_EXTENSION_FUNCTION_POINTER, input, input.length, pointer, pointer.length, [0], null, null) !== 0) {
    throw windowsError(w.WSAGetLastError(), 'WSAIoctl');
  }
  const fn: unknown = koffi.decode(pointer.readBigUInt64LE(0), type);
  extensions.set(id, fn);
  return fn;
}

function bindTo(socket: bigint, address: Buffer, description: string): void {
  const w = winApi();
  if (w.bind(socket, address, address.length) !== 0) {
    const error = w.WSAGetLastError();
    w.closesocket(socket);
    throw windowsError(error, 'bind', description);
  }
}

/**
 * Listens on a Hyper-V socket (gcs-bridge.md §1.2). Bind before the VM starts: that is when the GCS,
 * entropy and log channels dial (gcs-bridge.md §5.2). Windows only.
 */
export function listenHvSocket(vmId: string, service: HvServiceId): HvSocketListener {
  requireWindows('listenHvSocket');
  const address = packHvSocketAddress(vmId, service);
  const serviceId = resolveServiceId(service);
  const description = `hvsock:${vmId}:${serviceId}`;
  const w = winApi();
  const pump = iocpPump();
  const socket = createHvSocket();
  bindTo(socket, address, description);
  try {
    if (w.listen(socket, LISTEN_BACKLOG) !== 0) throw windowsError(w.WSAGetLastError(), 'listen', description);
    pump.associate(socket);
    const acceptEx = extension(socket, WIN.WSAID_ACCEPTEX, AcceptExFn) as ConstructorParameters<typeof OverlappedAcceptDriver>[2];
    return new HvSocketListener(new OverlappedAcceptDriver(socket, pump, acceptEx, createHvSocket), vmId.toLowerCase(), serviceId);
  } catch (error) {
    w.closesocket(socket);
    throw error;
  }
}

type ConnectEx = (socket: bigint, name: bigint, length: number, send: null, sendLength: number, sent: null, overlapped: bigint) => number;

/** Connects to a service a VM listens on (VM id, service id). Windows only. */
export async function connectHvSocket(vmId: string, service: HvServiceId, options: { readonly signal?: AbortSignal } = {}): Promise<NativeStream> {
  requireWindows('connectHvSocket');
  const address = packHvSocketAddress(vmId, service);
  const description = `hvsock:${vmId}:${resolveServiceId(service)}`;
  throwIfAborted(options.signal, 'connectHvSocket');
  const w = winApi();
  const pump = iocpPump();
  const socket = createHvSocket();
  // ConnectEx needs a bound socket; go-winio binds to the address it dials, and so do we.
  bindTo(socket, address, description);
  let connectEx: ConnectEx;
  try {
    pump.associate(socket);
    connectEx = extension(socket, WIN.WSAID_CONNECTEX, ConnectExFn) as ConnectEx;
  } catch (error) {
    w.closesocket(socket);
    throw error;
  }
  const { signal } = options;
  // OVERLAPPED | SOCKADDR_HV, in memory that stays put while the connect is pending.
  const block = koffi.alloc('uint8_t', 32 + address.length) as bigint;
  new Uint8Array(koffi.view(block, 32 + address.length)).fill(0).set(address, 32);
  return new Promise<NativeStream>((resolve, reject) => {
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      // Closing cancels the pending ConnectEx; its completion still comes and settles the promise.
      w.closesocket(socket);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    pump.submit(
      socket,
      true,
      block,
      () => connectEx(socket, block + 32n, address.length, null, 0, null, block) !== 0,
      (error) => {
        signal?.removeEventListener('abort', onAbort);
        koffi.free(block);
        if (aborted) {
          reject(abortReason(signal as AbortSignal, 'connectHvSocket'));
          return;
        }
        if (error === 0 && w.setsockopt(socket, WIN.SOL_SOCKET, WIN.SO_UPDATE_CONNECT_CONTEXT, null, 0) !== 0) error = w.WSAGetLastError();
        if (error !== 0) {
          w.closesocket(socket);
          reject(windowsError(error, 'ConnectEx', description));
          return;
        }
        resolve(new NativeStream(new OverlappedStreamDriver(socket, true, pump, { associated: true })));
      },
    );
  });
}
