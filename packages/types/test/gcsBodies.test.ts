import type { Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  decodeJsonInString,
  decodeJsonInStringFields,
  encodeJsonInString,
  GCS_INFINITE_WAIT_TIMEOUT_MS,
  GCS_NULL_CONTAINER_ID,
  GCS_PROTOCOL_VERSION,
  GcsContainerNotificationSchema,
  GcsCreateRequestSchema,
  GcsCreateResponseSchema,
  GcsErrorRecordSchema,
  GcsExecuteProcessRequestSchema,
  GcsExecuteProcessResponseSchema,
  GcsGetPropertiesRequestSchema,
  GcsGetPropertiesResponseSchema,
  GcsModifySettingsRequestSchema,
  gcsModifySettingsRequestSchema,
  GcsNegotiateProtocolRequestSchema,
  GcsNegotiateProtocolResponseSchema,
  GcsResizeConsoleRequestSchema,
  GcsResponseBaseSchema,
  GcsSignalProcessRequestSchema,
  GcsUvmConfigSchema,
  GcsWaitForProcessRequestSchema,
  GcsWaitForProcessResponseSchema,
  LcowContainerConfigSchema,
  LcowProcessParametersSchema,
  LinuxGuestContainerNotificationSchema,
  LinuxGuestCreateResponseSchema,
  LinuxGuestExecuteProcessResponseSchema,
  LinuxGuestGetPropertiesResponseSchema,
  LinuxGuestNegotiateProtocolResponseSchema,
  LinuxGuestResponseBaseSchema,
  LinuxGuestWaitForProcessResponseSchema,
  ProcessParametersSchema,
  toGcsResult,
  toHResult,
  ValidationError,
  toGoJson,
  validateWith,
  type GcsErrorRecord,
  type GcsExecuteProcessRequest,
  type GcsModifySettingsRequest,
} from '@uvm/types';

const NULL = GCS_NULL_CONTAINER_ID;
const ACTIVITY = '5b7e1c2a-3f4d-4e5f-8a9b-0c1d2e3f4a5b';

describe('requests are written exactly as the Go host writes them', () => {
  it('NegotiateProtocol reproduces the §2.9 payload (the Go host adds the trailing newline)', () => {
    const json = toGoJson({ ContainerId: '', ActivityId: NULL, MinimumVersion: GCS_PROTOCOL_VERSION, MaximumVersion: GCS_PROTOCOL_VERSION }, GcsNegotiateProtocolRequestSchema);
    expect(json + '\n').toBe('{"ContainerId":"","ActivityId":"00000000-0000-0000-0000-000000000000","MinimumVersion":4,"MaximumVersion":4}\n');
  });

  it('ModifySettings reproduces the §3.13 example exactly', () => {
    const body: GcsModifySettingsRequest = {
      ContainerId: NULL,
      ActivityId: NULL,
      Request: { RequestType: 'Add', ResourceType: 'MappedVirtualDisk', Settings: { MountPath: '/run/mounts/scsi/m0', Lun: 1, ReadOnly: true } },
    };
    const expected =
      '{"ContainerId":"00000000-0000-0000-0000-000000000000","ActivityId":"00000000-0000-0000-0000-000000000000","Request":{"RequestType":"Add","ResourceType":"MappedVirtualDisk","Settings":{"MountPath":"/run/mounts/scsi/m0","Lun":1,"ReadOnly":true}}}';
    expect(toGoJson(body, GcsModifySettingsRequestSchema)).toBe(expected);
    expect(toGoJson(body, gcsModifySettingsRequestSchema('MappedVirtualDisk', 'linux')!)).toBe(expected);
  });

  it('the resource-specific ModifySettings schema writes Settings in Go order with zero values omitted', () => {
    const body: GcsModifySettingsRequest = {
      ContainerId: NULL,
      ActivityId: NULL,
      Request: { ResourceType: 'MappedVirtualDisk', RequestType: 'Add', Settings: { ReadOnly: true, Partition: 0, Options: [], Lun: 1, MountPath: '/run/mounts/scsi/m0', Controller: 0 } },
    };
    const schema = gcsModifySettingsRequestSchema('MappedVirtualDisk', 'linux')!;
    expect(toGoJson(body, schema)).toContain('"Request":{"RequestType":"Add","ResourceType":"MappedVirtualDisk","Settings":{"MountPath":"/run/mounts/scsi/m0","Lun":1,"ReadOnly":true}}');
    // The generic schema cannot know the settings' Go type, so it writes them as given.
    expect(toGoJson(body, GcsModifySettingsRequestSchema)).toContain('"Settings":{"ReadOnly":true,"Partition":0,"Options":[],"Lun":1');
  });

  it('WaitForProcess matches the request observed on the wire (§8)', () => {
    expect(toGoJson({ ContainerId: NULL, ActivityId: ACTIVITY, ProcessId: 16069, TimeoutInMs: GCS_INFINITE_WAIT_TIMEOUT_MS }, GcsWaitForProcessRequestSchema)).toBe(
      `{"ContainerId":"${NULL}","ActivityId":"${ACTIVITY}","ProcessId":16069,"TimeoutInMs":4294967295}`,
    );
  });

  it('always writes ContainerId, ActivityId and the numeric fields, even when zero', () => {
    expect(toGoJson({ ContainerId: '', ActivityId: NULL, ProcessId: 0, Height: 0, Width: 0 }, GcsResizeConsoleRequestSchema)).toBe(
      `{"ContainerId":"","ActivityId":"${NULL}","ProcessId":0,"Height":0,"Width":0}`,
    );
  });

  it('omits empty trace contexts and writes them when present', () => {
    const base = { ContainerId: 'c', ActivityId: NULL, ProcessId: 7 };
    expect(toGoJson({ ...base, otsc: {} }, GcsSignalProcessRequestSchema)).toBe(`{"ContainerId":"c","ActivityId":"${NULL}","ProcessId":7}`);
    expect(toGoJson({ ...base, otsc: { tracestate: 'b', traceparent: 'a' }, ocsc: {}, Options: { Signal: 15 } }, GcsSignalProcessRequestSchema)).toBe(
      `{"ContainerId":"c","ActivityId":"${NULL}","otsc":{"traceparent":"a","tracestate":"b"},"ocsc":{},"ProcessId":7,"Options":{"Signal":15}}`,
    );
    expect(toGoJson({ ...base, Options: { Signal: 'CtrlC' } }, GcsSignalProcessRequestSchema)).toContain('"Options":{"Signal":"CtrlC"}');
  });

  it('double-encodes ProcessParameters and keeps an empty vsock relay object', () => {
    const request: GcsExecuteProcessRequest = {
      ContainerId: NULL,
      ActivityId: NULL,
      Settings: {
        ProcessParameters: encodeJsonInString(
          { WorkingDirectory: '/', CommandArgs: ['/bin/sh', '-c', 'exit 3'], Environment: { PATH: '/usr/bin' }, CreateStdInPipe: false },
          ProcessParametersSchema,
        ),
        VsockStdioRelaySettings: {},
      },
    };
    const json = toGoJson(request, GcsExecuteProcessRequestSchema);
    expect(json).toBe(
      `{"ContainerId":"${NULL}","ActivityId":"${NULL}","Settings":{"ProcessParameters":"{\\"CommandArgs\\":[\\"/bin/sh\\",\\"-c\\",\\"exit 3\\"],\\"WorkingDirectory\\":\\"/\\",\\"Environment\\":{\\"PATH\\":\\"/usr/bin\\"}}","VsockStdioRelaySettings":{}}}`,
    );
    const parsed = JSON.parse(json) as { Settings: { ProcessParameters: string } };
    expect(JSON.parse(parsed.Settings.ProcessParameters)).toEqual({ CommandArgs: ['/bin/sh', '-c', 'exit 3'], WorkingDirectory: '/', Environment: { PATH: '/usr/bin' } });
  });

  it('writes the WCOW relay GUIDs, and a JSON-in-string field given as a document is encoded too', () => {
    const stdin = '40000001-facb-11e6-bd58-64006a7986d3';
    const json = toGoJson(
      { ContainerId: 'c', ActivityId: NULL, Settings: { ProcessParameters: { CommandLine: 'cmd /c dir' }, StdioRelaySettings: { StdIn: stdin } } },
      GcsExecuteProcessRequestSchema,
    );
    expect(json).toBe(`{"ContainerId":"c","ActivityId":"${NULL}","Settings":{"ProcessParameters":"{\\"CommandLine\\":\\"cmd /c dir\\"}","StdioRelaySettings":{"StdIn":"${stdin}"}}}`);
  });

  it('writes an absent JSON-in-string field as Go does: "null" for AnyInString, "{}" for a property query', () => {
    expect(toGoJson({ ContainerId: 'c', ActivityId: NULL }, GcsCreateRequestSchema)).toBe(`{"ContainerId":"c","ActivityId":"${NULL}","ContainerConfig":"null"}`);
    expect(toGoJson({ ContainerId: 'c', ActivityId: NULL }, GcsGetPropertiesRequestSchema)).toBe(`{"ContainerId":"c","ActivityId":"${NULL}","Query":"{}"}`);
    expect(toGoJson({ ContainerId: 'c', ActivityId: NULL, Query: { PropertyTypes: ['ProcessList'] } }, GcsGetPropertiesRequestSchema)).toBe(
      `{"ContainerId":"c","ActivityId":"${NULL}","Query":"{\\"PropertyTypes\\":[\\"ProcessList\\"]}"}`,
    );
  });

  it('writes the LCOW container config for Create with its Go key order', () => {
    const config = encodeJsonInString(
      { ScratchDirPath: '/run/gcs/c/abc/scratch/abc', OciSpecification: { ociVersion: '1.1.0', root: { path: 'rootfs' } }, OciBundlePath: '/run/gcs/c/abc', SchemaVersion: { Major: 2, Minor: 1 } },
      LcowContainerConfigSchema,
    );
    expect(config).toBe('{"SchemaVersion":{"Major":2,"Minor":1},"OciBundlePath":"/run/gcs/c/abc","OciSpecification":{"ociVersion":"1.1.0","root":{"path":"rootfs"}},"ScratchDirPath":"/run/gcs/c/abc/scratch/abc"}');
    expect(toGoJson({ ContainerId: 'abc', ActivityId: NULL, ContainerConfig: config }, GcsCreateRequestSchema)).toBe(
      `{"ContainerId":"abc","ActivityId":"${NULL}","ContainerConfig":${JSON.stringify(config)}}`,
    );
  });

  it('writes the WCOW UVM config with SystemType and a null time zone when none is given', () => {
    expect(encodeJsonInString({ SystemType: 'Container' }, GcsUvmConfigSchema)).toBe('{"SystemType":"Container","TimeZoneInformation":null}');
    expect(encodeJsonInString({ SystemType: 'Container', TimeZoneInformation: { Bias: -60, StandardName: 'W. Europe' } }, GcsUvmConfigSchema)).toBe(
      '{"SystemType":"Container","TimeZoneInformation":{"Bias":-60,"StandardName":"W. Europe"}}',
    );
  });
});

describe('responses: the Linux guest shape and the host shape', () => {
  it('the Linux guest NegotiateProtocol response reproduces the §2.9 payload exactly', () => {
    const response = {
      Result: 0,
      ActivityId: NULL,
      Version: 4,
      Capabilities: {
        SupportedSchemaVersions: [{ Major: 2, Minor: 1 }],
        RuntimeOsType: 'Linux',
        GuestDefinedCapabilities: { NamespaceAddRequestSupported: true, SignalProcessSupported: true, DumpStacksSupported: true, DeleteContainerStateSupported: true },
      },
    };
    expect(toGoJson(response, LinuxGuestNegotiateProtocolResponseSchema)).toBe(
      '{"Result":0,"ActivityId":"00000000-0000-0000-0000-000000000000","Version":4,"Capabilities":{"SupportedSchemaVersions":[{"Major":2,"Minor":1}],"RuntimeOsType":"Linux","GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true,"SignalProcessSupported":true,"DumpStacksSupported":true,"DeleteContainerStateSupported":true}}}',
    );
    // The host's struct writes every capability field and puts ErrorMessage before ActivityId.
    expect(toGoJson(response, GcsNegotiateProtocolResponseSchema)).toBe(
      '{"Result":0,"ActivityId":"00000000-0000-0000-0000-000000000000","Version":4,"Capabilities":{"SendHostCreateMessage":false,"SendHostStartMessage":false,"HvSocketConfigOnStartup":false,"SendLifecycleNotifications":false,"ModifyServiceSettingsSupported":false,"SupportedSchemaVersions":[{"Major":2,"Minor":1}],"RuntimeOsType":"Linux","GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true,"SignalProcessSupported":true,"DumpStacksSupported":true,"DeleteContainerStateSupported":true}}}',
    );
  });

  it('matches the ExecuteProcess and WaitForProcess replies observed on the wire (§8)', () => {
    expect(toGoJson({ Result: 0, ActivityId: ACTIVITY, ProcessId: 16069 }, LinuxGuestExecuteProcessResponseSchema)).toBe(`{"Result":0,"ActivityId":"${ACTIVITY}","ProcessId":16069}`);
    expect(toGoJson({ Result: 0, ActivityId: ACTIVITY, ExitCode: 3 }, LinuxGuestWaitForProcessResponseSchema)).toBe(`{"Result":0,"ActivityId":"${ACTIVITY}","ExitCode":3}`);
    expect(toGoJson({ Result: 0, ActivityId: ACTIVITY, ExitCode: 0 }, LinuxGuestWaitForProcessResponseSchema)).toBe(`{"Result":0,"ActivityId":"${ACTIVITY}","ExitCode":0}`);
  });

  it('orders an error response differently: guest Result, ActivityId, ErrorMessage; host Result, ErrorMessage, ActivityId', () => {
    const record: GcsErrorRecord = { Result: toGcsResult(0x80004001), Message: 'bridge: function not supported, header type: 269487617', ModuleName: 'gcs', FileName: '', Line: 0xffffffff };
    const response = { Result: toGcsResult(0x80004001), ActivityId: ACTIVITY, ErrorMessage: record.Message, ErrorRecords: [record] };
    const recordJson = '{"Result":-2147467263,"Message":"bridge: function not supported, header type: 269487617","ModuleName":"gcs","FileName":"","Line":4294967295}';
    expect(toGoJson(response, LinuxGuestResponseBaseSchema)).toBe(
      `{"Result":-2147467263,"ActivityId":"${ACTIVITY}","ErrorMessage":"bridge: function not supported, header type: 269487617","ErrorRecords":[${recordJson}]}`,
    );
    expect(toGoJson(response, GcsResponseBaseSchema)).toBe(
      `{"Result":-2147467263,"ErrorMessage":"bridge: function not supported, header type: 269487617","ActivityId":"${ACTIVITY}","ErrorRecords":[${recordJson}]}`,
    );
  });

  it('omits an empty ActivityId in the guest shape and writes the null GUID in the host shape', () => {
    expect(toGoJson({ Result: toGcsResult(0xc037010d), ErrorMessage: 'unexpected end of JSON input' }, LinuxGuestResponseBaseSchema)).toBe(
      '{"Result":-1070137075,"ErrorMessage":"unexpected end of JSON input"}',
    );
    expect(toGoJson({ Result: 0 }, GcsResponseBaseSchema)).toBe(`{"Result":0,"ActivityId":"${NULL}"}`);
  });

  it('keeps the Linux GCS extra Create fields and its JSON-in-string Properties', () => {
    expect(toGoJson({ Result: 0, ActivityId: ACTIVITY }, LinuxGuestCreateResponseSchema)).toBe(`{"Result":0,"ActivityId":"${ACTIVITY}","SelectedProtocolVersion":0}`);
    expect(toGoJson({ Result: 0, Properties: { ProcessList: [{ ProcessId: 1 }, { ProcessId: 0 }] } }, LinuxGuestGetPropertiesResponseSchema)).toBe(
      '{"Result":0,"Properties":"{\\"ProcessList\\":[{\\"ProcessId\\":1},{\\"ProcessId\\":0}]}"}',
    );
    expect(toGoJson({ Result: 0, Properties: {} }, LinuxGuestGetPropertiesResponseSchema)).toBe('{"Result":0,"Properties":"{}"}');
  });

  it('response schemas of the host shape accept the guest shape and vice versa', () => {
    const pairs = [
      [GcsExecuteProcessResponseSchema, LinuxGuestExecuteProcessResponseSchema, { Result: 0, ActivityId: ACTIVITY, ProcessId: 5 }],
      [GcsWaitForProcessResponseSchema, LinuxGuestWaitForProcessResponseSchema, { Result: 0, ActivityId: ACTIVITY, ExitCode: 0 }],
      [GcsResponseBaseSchema, LinuxGuestResponseBaseSchema, { Result: toGcsResult(0x80070490), ErrorRecords: [{ Result: -2147023728, Message: 'm', ModuleName: 'gcs', FileName: 'f.go', Line: 3 }] }],
    ] as const;
    for (const [host, guest, value] of pairs) {
      const fromGuest: unknown = JSON.parse(toGoJson(value, guest));
      const fromHost: unknown = JSON.parse(toGoJson(value, host));
      expect(Compile(host).Check(fromGuest)).toBe(true);
      expect(Compile(guest).Check(fromHost)).toBe(true);
      expect(fromGuest).toEqual(value);
      expect(fromHost).toEqual({ ActivityId: NULL, ...value });
    }
  });

  it('a failed response without its procedure fields is still a valid response', () => {
    expect(Compile(GcsExecuteProcessResponseSchema).Check({ Result: -2147467259, ErrorMessage: 'boom' })).toBe(true);
    expect(Compile(GcsExecuteProcessResponseSchema).Check({ ErrorMessage: 'no result' })).toBe(false);
    expect(Compile(GcsExecuteProcessResponseSchema).Check({ Result: 0x80004005 })).toBe(false);
  });
});

describe('validating bodies', () => {
  it('names a mistyped key of a request and suggests the right one', () => {
    const result = validateWith(GcsWaitForProcessRequestSchema, { ContainerId: NULL, ActivityId: NULL, ProcessID: 4, TimeoutInMs: 0 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.path)).toEqual(['/ProcessID', '/ProcessId']);
    expect(!result.ok && result.issues[0]?.message).toContain('ProcessId');
  });

  it('explains that a GCS GUID must be lower-case, as Go writes it', () => {
    const result = validateWith(GcsWaitForProcessRequestSchema, { ContainerId: NULL, ActivityId: ACTIVITY.toUpperCase(), ProcessId: 4, TimeoutInMs: 0 });
    expect(!result.ok && result.issues).toEqual([{ path: '/ActivityId', message: expect.stringContaining('a lower-case GUID') as string }]);
  });

  it('parses a received body leniently with strict: false, since peers may add fields', () => {
    const linuxCreateResponse = JSON.parse(toGoJson({ Result: 0, ActivityId: ACTIVITY }, LinuxGuestCreateResponseSchema)) as unknown;
    expect(validateWith(GcsCreateResponseSchema, linuxCreateResponse).ok).toBe(false);
    expect(validateWith(GcsCreateResponseSchema, linuxCreateResponse, { strict: false })).toEqual({ ok: true, value: linuxCreateResponse });
  });

  it('accepts the §2.9 Linux NegotiateProtocol response as it arrives, in both shapes', () => {
    const wire = JSON.parse(
      '{"Result":0,"ActivityId":"00000000-0000-0000-0000-000000000000","Version":4,"Capabilities":{"SupportedSchemaVersions":[{"Major":2,"Minor":1}],"RuntimeOsType":"Linux","GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true,"SignalProcessSupported":true,"DumpStacksSupported":true,"DeleteContainerStateSupported":true}}}',
    ) as unknown;
    expect(validateWith(GcsNegotiateProtocolResponseSchema, wire).ok).toBe(true);
    expect(validateWith(LinuxGuestNegotiateProtocolResponseSchema, wire).ok).toBe(true);
  });
});

describe('the container notification', () => {
  const notification = { ContainerId: 'abc', ActivityId: ACTIVITY, Type: 'UnexpectedExit', Operation: 'None', Result: 0 } as const;

  it('is written by the Linux guest without ResultInfo', () => {
    expect(toGoJson(notification, LinuxGuestContainerNotificationSchema)).toBe(`{"ContainerId":"abc","ActivityId":"${ACTIVITY}","Type":"UnexpectedExit","Operation":"None","Result":0}`);
  });

  it('is written by the host struct with ResultInfo "null" when absent and double-encoded when present', () => {
    expect(toGoJson(notification, GcsContainerNotificationSchema)).toBe(
      `{"ContainerId":"abc","ActivityId":"${ACTIVITY}","Type":"UnexpectedExit","Operation":"None","Result":0,"ResultInfo":"null"}`,
    );
    expect(toGoJson({ ...notification, ResultInfo: { Code: 1 } }, GcsContainerNotificationSchema)).toContain('"ResultInfo":"{\\"Code\\":1}"');
  });

  it('rejects a Type outside the enumeration', () => {
    expect(Compile(GcsContainerNotificationSchema).Check({ ...notification, Type: 'Exploded' })).toBe(false);
    expect(Compile(GcsContainerNotificationSchema).Check(notification)).toBe(true);
  });
});

describe('JSON-in-string fields', () => {
  it('decodeJsonInStringFields decodes nested fields so the body validates, without touching the input', () => {
    const wire = JSON.parse(
      toGoJson({ ContainerId: 'c', ActivityId: NULL, Settings: { ProcessParameters: { CommandArgs: ['ls'], OciProcess: { args: ['ls'] } }, VsockStdioRelaySettings: { StdOut: 0x40000001 } } }, GcsExecuteProcessRequestSchema),
    ) as unknown;
    const result = decodeJsonInStringFields(wire, GcsExecuteProcessRequestSchema);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const body = result.value as GcsExecuteProcessRequest;
    expect(body.Settings.ProcessParameters).toEqual({ CommandArgs: ['ls'], OciProcess: { args: ['ls'] } });
    expect(Compile(LcowProcessParametersSchema).Check(body.Settings.ProcessParameters)).toBe(true);
    expect(typeof (wire as GcsExecuteProcessRequest).Settings.ProcessParameters).toBe('string');
  });

  it('decodes the Properties of a response, and returns the body itself when nothing is double-encoded', () => {
    const wire = { Result: 0, Properties: '{"ProcessList":[{"ProcessId":12}]}' };
    expect(decodeJsonInStringFields(wire, GcsGetPropertiesResponseSchema)).toEqual({ ok: true, value: { Result: 0, Properties: { ProcessList: [{ ProcessId: 12 }] } } });
    const plain = { Result: 0 };
    const result = decodeJsonInStringFields(plain, GcsGetPropertiesResponseSchema);
    expect(result.ok && result.value).toBe(plain);
  });

  it('reports a field that is not a string or not JSON with its path instead of throwing', () => {
    expect(decodeJsonInStringFields({ Settings: { ProcessParameters: { CommandArgs: [] } } }, GcsExecuteProcessRequestSchema)).toEqual({
      ok: false,
      issues: [{ path: '/Settings/ProcessParameters', message: 'must be a JSON string holding a JSON document (the field is double-encoded); got a object.' }],
    });
    const bad = decodeJsonInStringFields({ ContainerConfig: '{"SchemaVersion":' }, GcsCreateRequestSchema);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.issues[0]?.path).toBe('/ContainerConfig');
    expect(decodeJsonInStringFields(null, GcsCreateRequestSchema)).toEqual({ ok: true, value: null });
  });

  it('round-trips through encodeJsonInString and decodeJsonInStringFields', () => {
    const documents = [null, 0, 'text', [1, 'two', { three: 3 }], { nested: { deeper: ['x'] }, unicode: 'größe ✓' }];
    for (const document of documents) {
      const wire = JSON.parse(toGoJson({ ContainerId: 'c', ActivityId: NULL, ContainerConfig: encodeJsonInString(document) }, GcsCreateRequestSchema)) as unknown;
      expect(decodeJsonInStringFields(wire, GcsCreateRequestSchema)).toEqual({ ok: true, value: { ContainerId: 'c', ActivityId: NULL, ContainerConfig: document } });
    }
  });
});

describe('encodeJsonInString and decodeJsonInString', () => {
  it('writes nil as null and refuses values JSON cannot hold with a ValidationError', () => {
    expect(encodeJsonInString(undefined)).toBe('null');
    expect(() => encodeJsonInString({ big: 1n })).toThrow(ValidationError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => encodeJsonInString(cycle)).toThrow(/cannot be written as JSON/);
  });

  it('decodes text into a result and never throws', () => {
    expect(decodeJsonInString('{"PropertyTypes":["ProcessList"]}')).toEqual({ ok: true, value: { PropertyTypes: ['ProcessList'] } });
    expect(decodeJsonInString('null')).toEqual({ ok: true, value: null });
    for (const bad of ['', '{', 'undefined', 42, null, { a: 1 }]) {
      const result = decodeJsonInString(bad);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.issues[0]?.path).toBe('');
    }
  });
});

describe('toGcsResult', () => {
  it('turns an HRESULT into the signed number Result carries, and toHResult turns it back', () => {
    expect(toGcsResult(0x80004005)).toBe(-2147467259);
    expect(toGcsResult(-2147467259)).toBe(-2147467259);
    expect(toGcsResult(0xc037010e)).toBe(-1070137074);
    expect(toGcsResult(0)).toBe(0);
    expect(toHResult(toGcsResult(0x80370105))).toBe(0x80370105);
  });
});

describe('static types', () => {
  it('the error record schema describes exactly GcsErrorRecord of the errors module', () => {
    expectTypeOf<Static<typeof GcsErrorRecordSchema>>().toEqualTypeOf<GcsErrorRecord>();
  });
});
