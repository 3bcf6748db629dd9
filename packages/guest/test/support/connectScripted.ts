import { Guest, type GuestConnectOptions, type GuestOs } from '@uvm/guest';
import { ScriptedGuest, WINDOWS_NEGOTIATE_RESPONSE } from './scriptedGuest.js';
import { socketDir, socketPair, stdioListeners } from './unixSockets.js';

export const NULL_GUID = '00000000-0000-0000-0000-000000000000';
export const RUNTIME_ID = '6a5c4e7b-31b5-4b4e-9a3e-2f1c0d9e8b7a';
const OK = '{"Result":0}';

export interface Scripted<O extends GuestOs> {
  readonly guest: Guest<O>;
  readonly scripted: ScriptedGuest;
  readonly dir: string;
  /** Stdio ports the guest bound listeners on, in order. */
  readonly boundPorts: number[];
  close(): Promise<void>;
}

/**
 * A Guest connected to a scripted GCS that answers the handshake (and, by default, every
 * ModifySettings, Create and Start) with success.
 */
export async function connectScripted<O extends GuestOs>(
  os: O,
  options: Partial<GuestConnectOptions<O>> = {},
  prepare?: (scripted: ScriptedGuest, dir: string) => void,
): Promise<Scripted<O>> {
  const dir = socketDir();
  const pair = await socketPair(dir.path);
  const scripted = ScriptedGuest.linux(pair.guest);
  if (os === 'windows') scripted.auto.set('NegotiateProtocol', WINDOWS_NEGOTIATE_RESPONSE);
  for (const procedure of ['ModifySettings', 'Create', 'Start']) scripted.auto.set(procedure, OK);
  prepare?.(scripted, dir.path);
  const boundPorts: number[] = [];
  const connectOptions: GuestConnectOptions<O> = {
    os,
    stdioListener: stdioListeners(dir.path, boundPorts),
    ...(os === 'windows' ? { runtimeId: RUNTIME_ID } : {}),
    ...options,
  };
  const guest = await Guest.connect(pair.host, connectOptions);
  return {
    guest,
    scripted,
    dir: dir.path,
    boundPorts,
    async close() {
      await guest.close();
      scripted.socket.destroy();
      dir.dispose();
    },
  };
}

/** The JSON text of the request base for the UVM (the Go host's shape). */
export const UVM_BASE = `"ContainerId":"${NULL_GUID}","ActivityId":"${NULL_GUID}"`;
