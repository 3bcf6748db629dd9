import { describe, expect, it } from 'vitest';
import { parseGcsCapabilities } from '@uvm/types';

// The Capabilities of the Linux guest's NegotiateProtocol response in gcs-bridge.md §2.9.
const LINUX_RESPONSE =
  '{"Result":0,"ActivityId":"00000000-0000-0000-0000-000000000000","Version":4,"Capabilities":{"SupportedSchemaVersions":[{"Major":2,"Minor":1}],"RuntimeOsType":"Linux","GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true,"SignalProcessSupported":true,"DumpStacksSupported":true,"DeleteContainerStateSupported":true}}}';

describe('parseGcsCapabilities', () => {
  it('reads the §2.9 Linux response: linux, schema 2.1, four flags, no host messages requested', () => {
    const { Capabilities } = JSON.parse(LINUX_RESPONSE) as { Capabilities: unknown };
    const parsed = parseGcsCapabilities(Capabilities);
    expect(parsed.issues).toEqual([]);
    expect(parsed.os).toBe('linux');
    expect(parsed.capabilities).toEqual({
      SupportedSchemaVersions: [{ Major: 2, Minor: 1 }],
      RuntimeOsType: 'Linux',
      GuestDefinedCapabilities: { NamespaceAddRequestSupported: true, SignalProcessSupported: true, DumpStacksSupported: true, DeleteContainerStateSupported: true },
    });
    expect(parsed.capabilities.SendHostCreateMessage).toBeUndefined();
  });

  it('reads a Windows guest with the host-message flags and the Windows-only capabilities', () => {
    const parsed = parseGcsCapabilities({
      SendHostCreateMessage: true,
      SendHostStartMessage: true,
      HvSocketConfigOnStartup: false,
      ModifyServiceSettingsSupported: true,
      SendLifecycleNotifications: false,
      RuntimeOsType: '',
      GuestDefinedCapabilities: { LogForwardingSupported: true, HostProcessContainerSupported: true, UpdateContainerSupported: false, FutureFlag: true },
    });
    expect(parsed.issues).toEqual([]);
    expect(parsed.os).toBe('windows');
    expect(parsed.capabilities).toEqual({
      SendHostCreateMessage: true,
      SendHostStartMessage: true,
      HvSocketConfigOnStartup: false,
      SendLifecycleNotifications: false,
      ModifyServiceSettingsSupported: true,
      RuntimeOsType: '',
      GuestDefinedCapabilities: { UpdateContainerSupported: false, LogForwardingSupported: true, HostProcessContainerSupported: true },
    });
  });

  it('treats the OS name case-insensitively and an absent one as Windows, as the Go host does', () => {
    expect(parseGcsCapabilities({ RuntimeOsType: 'LINUX' }).os).toBe('linux');
    expect(parseGcsCapabilities({ RuntimeOsType: 'windows' }).os).toBe('windows');
    expect(parseGcsCapabilities({}).os).toBe('windows');
    expect(parseGcsCapabilities(undefined)).toEqual({ capabilities: {}, os: 'windows', issues: [] });
  });

  it('reports an OS it does not know instead of guessing one', () => {
    const parsed = parseGcsCapabilities({ RuntimeOsType: 'FreeBSD' });
    expect(parsed.os).toBeUndefined();
    expect(parsed.issues).toEqual([{ path: '/RuntimeOsType', message: expect.stringContaining('"FreeBSD"') as string }]);
  });

  it('never throws on garbage: it keeps the usable fields and lists the rest with their paths', () => {
    const garbage: unknown[] = [42, 'caps', [], true, Symbol('x'), () => 1, 10n];
    for (const value of garbage) {
      const parsed = parseGcsCapabilities(value);
      expect(parsed.capabilities).toEqual({});
      expect(parsed.issues).toHaveLength(1);
    }
    const parsed = parseGcsCapabilities({
      SendHostCreateMessage: 'yes',
      SupportedSchemaVersions: [{ Major: 2, Minor: 1 }, { Major: '2' }, null, { Major: 1.5 }],
      RuntimeOsType: 7,
      GuestDefinedCapabilities: { SignalProcessSupported: 1, DumpStacksSupported: true },
    });
    expect(parsed.capabilities).toEqual({ SupportedSchemaVersions: [{ Major: 2, Minor: 1 }], GuestDefinedCapabilities: { DumpStacksSupported: true } });
    expect(parsed.issues.map((i) => i.path)).toEqual([
      '/SendHostCreateMessage',
      '/SupportedSchemaVersions/1',
      '/SupportedSchemaVersions/2',
      '/SupportedSchemaVersions/3',
      '/RuntimeOsType',
      '/GuestDefinedCapabilities/SignalProcessSupported',
    ]);
    expect(parseGcsCapabilities({ SupportedSchemaVersions: {}, GuestDefinedCapabilities: [] }).issues.map((i) => i.path)).toEqual([
      '/SupportedSchemaVersions',
      '/GuestDefinedCapabilities',
    ]);
  });
});
