// Checks the GCS schemas against the machine-readable spec (gcs-protocol-fields.json): every Go
// struct either has a schema with the same keys in the same order, the same omission rule and a
// matching JSON type, or is listed below with the reason it has none.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as uvm from '@uvm/types';
import {
  describeHResult,
  GCS_GO_HOST_MAX_MESSAGE_SIZE,
  GCS_HEADER_SIZE,
  GCS_INFINITE_WAIT_TIMEOUT_MS,
  GCS_JSON_IN_STRING_FIELDS,
  GCS_MESSAGE_CATEGORY_MASK,
  GCS_MESSAGE_ID_MASK,
  GCS_MESSAGE_ID_SHIFT,
  GCS_MESSAGE_KIND_MASK,
  GCS_MESSAGE_VERSION_MASK,
  GCS_PROTOCOL_VERSION,
  GcsActiveOperation,
  GcsHeaderOffset,
  GcsNotificationType,
  GcsPropertyTypeV1,
  GO_FIELD,
  GuestRequestType,
  GuestResourceType,
  LinuxGuestPropertyType,
  LogForwardServiceRpcType,
  toHResult,
  WcowSignalValue,
  type GoField,
} from '@uvm/types';

interface SpecField {
  readonly json?: string;
  readonly go: string;
  readonly omitempty?: boolean;
  readonly omitemptyNoEffect?: boolean;
  readonly jsonInString?: boolean;
  readonly embedded?: string;
}
interface SpecType {
  readonly fields?: readonly SpecField[];
  readonly flattenedFields?: readonly SpecField[];
}
interface Spec {
  readonly types: Readonly<Record<string, SpecType>>;
  readonly enums: Readonly<Record<string, { readonly values: readonly { readonly value: string }[] }>>;
  readonly constants: Readonly<Record<string, readonly { readonly name: string; readonly value: number }[]>>;
}

const spec = JSON.parse(readFileSync(new URL('./fixtures/spec/gcs-protocol-fields.json', import.meta.url), 'utf8')) as Spec;

type Node = Readonly<Record<string, unknown>> & { readonly properties?: Readonly<Record<string, Node>>; readonly [GO_FIELD]?: GoField };

/** Go struct → the schema that must describe it. */
const SCHEMAS: Readonly<Record<string, object>> = {
  'gcs/prot.RequestBase': uvm.GcsRequestBaseSchema,
  'gcs/prot.ResponseBase': uvm.GcsResponseBaseSchema,
  'gcs/prot.Ocspancontext': uvm.GcsOpenCensusSpanContextSchema,
  'gcs/prot.NegotiateProtocolRequest': uvm.GcsNegotiateProtocolRequestSchema,
  'gcs/prot.NegotiateProtocolResponse': uvm.GcsNegotiateProtocolResponseSchema,
  'gcs/prot.GcsCapabilities': uvm.GcsCapabilitiesSchema,
  'gcs/prot.ContainerCreate': uvm.GcsCreateRequestSchema,
  'gcs/prot.ContainerCreateResponse': uvm.GcsCreateResponseSchema,
  'gcs/prot.UvmConfig': uvm.GcsUvmConfigSchema,
  'gcs/prot.ContainerExecuteProcess': uvm.GcsExecuteProcessRequestSchema,
  'gcs/prot.ContainerExecuteProcessResponse': uvm.GcsExecuteProcessResponseSchema,
  'gcs/prot.ExecuteProcessSettings': uvm.GcsExecuteProcessSettingsSchema,
  'gcs/prot.ExecuteProcessStdioRelaySettings': uvm.GcsStdioRelaySettingsSchema,
  'gcs/prot.ExecuteProcessVsockStdioRelaySettings': uvm.GcsVsockStdioRelaySettingsSchema,
  'gcs/prot.ContainerWaitForProcess': uvm.GcsWaitForProcessRequestSchema,
  'gcs/prot.ContainerWaitForProcessResponse': uvm.GcsWaitForProcessResponseSchema,
  'gcs/prot.ContainerSignalProcess': uvm.GcsSignalProcessRequestSchema,
  'gcs/prot.ContainerResizeConsole': uvm.GcsResizeConsoleRequestSchema,
  'gcs/prot.ContainerGetProperties': uvm.GcsGetPropertiesRequestSchema,
  'gcs/prot.ContainerGetPropertiesV2': uvm.GcsGetPropertiesV2RequestSchema,
  'gcs/prot.ContainerGetPropertiesResponse': uvm.GcsGetPropertiesResponseSchema,
  'gcs/prot.ContainerGetPropertiesResponseV2': uvm.GcsGetPropertiesResponseSchema,
  'gcs/prot.ContainerModifySettings': uvm.GcsModifySettingsRequestSchema,
  'gcs/prot.ContainerNotification': uvm.GcsContainerNotificationSchema,
  'gcs/prot.DumpStacksRequest': uvm.GcsRequestBaseSchema,
  'gcs/prot.DumpStacksResponse': uvm.GcsDumpStacksResponseSchema,
  'gcs/prot.DeleteContainerStateRequest': uvm.GcsRequestBaseSchema,
  'gcs/prot.ServiceModificationRequest': uvm.GcsModifyServiceSettingsRequestSchema,
  'guest/prot.MessageResponseBase': uvm.LinuxGuestResponseBaseSchema,
  'guest/prot.NegotiateProtocolResponse': uvm.LinuxGuestNegotiateProtocolResponseSchema,
  'guest/prot.GcsCapabilities': uvm.LinuxGuestCapabilitiesSchema,
  'guest/prot.GcsGuestCapabilities': uvm.LinuxGuestDefinedCapabilitiesSchema,
  'guest/prot.ContainerCreateResponse': uvm.LinuxGuestCreateResponseSchema,
  'guest/prot.ContainerExecuteProcessResponse': uvm.LinuxGuestExecuteProcessResponseSchema,
  'guest/prot.ContainerWaitForProcessResponse': uvm.LinuxGuestWaitForProcessResponseSchema,
  'guest/prot.ContainerGetPropertiesResponse': uvm.LinuxGuestGetPropertiesResponseSchema,
  'guest/prot.DumpStacksResponse': uvm.LinuxGuestDumpStacksResponseSchema,
  'guest/prot.ContainerNotification': uvm.LinuxGuestContainerNotificationSchema,
  'guest/prot.ExecuteProcessVsockStdioRelaySettings': uvm.GcsVsockStdioRelaySettingsSchema,
  'guest/prot.ProcessParameters': uvm.LcowProcessParametersSchema,
  'guest/prot.VMHostedContainerSettingsV2': uvm.LcowContainerConfigSchema,
  'guest/prot.PropertiesV2': uvm.LinuxGuestPropertiesSchema,
  'guest/prot.ProcessDetails': uvm.LinuxGuestProcessDetailsSchema,
  'guestrequest.ModificationRequest': uvm.GuestModificationRequestSchema,
  'guestrequest.NetworkModifyRequest': uvm.WcowNetworkModifyRequestSchema,
  'guestrequest.RS4NetworkModifyRequest': uvm.WcowRs4NetworkModifyRequestSchema,
  'guestrequest.LogForwardServiceRPCRequest': uvm.GcsLogForwardServiceRequestSchema,
  'guestresource.BlockCIMDevice': uvm.BlockCimDeviceSchema,
  'guestresource.CWCOWBlockCIMMounts': uvm.CwcowBlockCimMountsSchema,
  'guestresource.CWCOWCombinedLayers': uvm.CwcowCombinedLayersSchema,
  'guestresource.CWCOWHostedSystem': uvm.CwcowHostedSystemSchema,
  'guestresource.ConfidentialOptions': uvm.ConfidentialOptionsSchema,
  'guestresource.DeviceVerityInfo': uvm.DeviceVerityInfoSchema,
  'guestresource.LCOWCombinedLayers': uvm.LcowCombinedLayersSchema,
  'guestresource.LCOWContainerConstraints': uvm.LcowContainerConstraintsSchema,
  'guestresource.LCOWIPConfig': uvm.LcowIpConfigSchema,
  'guestresource.LCOWMappedDirectory': uvm.LcowMappedDirectorySchema,
  'guestresource.LCOWMappedVPCIDevice': uvm.LcowMappedVpciDeviceSchema,
  'guestresource.LCOWMappedVPMemDevice': uvm.LcowMappedVpmemDeviceSchema,
  'guestresource.LCOWMappedVirtualDisk': uvm.LcowMappedVirtualDiskSchema,
  'guestresource.LCOWNetworkAdapter': uvm.LcowNetworkAdapterSchema,
  'guestresource.LCOWRoute': uvm.LcowRouteSchema,
  'guestresource.LCOWVPMemMappingInfo': uvm.LcowVpmemMappingInfoSchema,
  'guestresource.SCSIDevice': uvm.ScsiDeviceSchema,
  'guestresource.SecurityPolicyFragment': uvm.SecurityPolicyFragmentSchema,
  'guestresource.SignalProcessOptionsLCOW': uvm.LcowSignalProcessOptionsSchema,
  'guestresource.SignalProcessOptionsWCOW': uvm.WcowSignalProcessOptionsSchema,
  'guestresource.WCOWCombinedLayers': uvm.WcowCombinedLayersSchema,
  'guestresource.WCOWMappedVirtualDisk': uvm.WcowMappedVirtualDiskSchema,
  'commonutils.ErrorRecord': uvm.GcsErrorRecordSchema,
  'schema1.GuestDefinedCapabilities': uvm.GuestDefinedCapabilitiesSchema,
  'schema1.PropertyQuery': uvm.GcsPropertyQueryV1Schema,
};

const GUEST_PARSES = 'how the Linux guest parses a request the host writes with the gcs/prot type (same keys, minus ocsc)';
/** Go structs without a schema of their own, and why. */
const NOT_MODELLED: Readonly<Record<string, string>> = {
  'gcs/prot.AnyInString': 'the JSON-in-string wrapper itself: fields using it carry the jsonInString option',
  'guest/prot.MessageBase': GUEST_PARSES,
  'guest/prot.NegotiateProtocol': GUEST_PARSES,
  'guest/prot.ContainerCreate': GUEST_PARSES,
  'guest/prot.ContainerExecuteProcess': GUEST_PARSES,
  'guest/prot.ExecuteProcessSettings': GUEST_PARSES,
  'guest/prot.ContainerWaitForProcess': GUEST_PARSES,
  'guest/prot.ContainerSignalProcess': GUEST_PARSES,
  'guest/prot.SignalProcessOptions': GUEST_PARSES,
  'guest/prot.ContainerResizeConsole': GUEST_PARSES,
  'guest/prot.ContainerGetProperties': GUEST_PARSES,
  'guest/prot.PropertyQuery': GUEST_PARSES,
  'guest/prot.containerModifySettings': GUEST_PARSES,
  'guest/prot.ResourceModificationRequestResponse': GUEST_PARSES,
  'guest/prot.SchemaVersion': 'same keys and omission as HCS Version, which the schemas use',
  'guest/prot.MessageHeader': 'the binary header: see encodeHeader/decodeHeader',
  'guest/prot.Properties': 'the V1 subset of guest/prot.PropertiesV2 (LinuxGuestPropertiesSchema)',
  'guest/prot.ProtocolSupport': 'pre-v4 negotiation, no longer handled by either side',
  'guest/prot.VMHostedContainerSettings': 'pre-v4 container settings, no longer handled',
  'guest/prot.MappedDirectory': 'part of the pre-v4 container settings',
  'guest/prot.MappedVirtualDisk': 'part of the pre-v4 container settings',
  'guest/prot.NetworkAdapter': 'part of the pre-v4 container settings',
};

/** Guest fields typed `string` in Go whose content is a JSON document (gcs-bridge.md §2.1). */
const GUEST_JSON_STRINGS: Readonly<Record<string, readonly string[]>> = {
  'guest/prot.ContainerGetPropertiesResponse': ['Properties'],
  'guest/prot.ContainerNotification': ['ResultInfo'],
};

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  uint8: [0, 0xff],
  uint16: [0, 0xffff],
  uint32: [0, 0xffffffff],
  int32: [-0x80000000, 0x7fffffff],
  int: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};
const STRING_TYPES = new Set([
  'string',
  'guid.GUID',
  'RequestType',
  'ResourceType',
  'RPCType',
  'NotificationType',
  'ActiveOperation',
  'OsType',
  'PropertyType',
  'guestrequest.SignalValueWCOW',
  'hcsschema.FileSystemFilterType',
]);
const ANY_TYPES = new Set(['interface{}', 'json.RawMessage', 'AnyInString']);

function kindOf(schema: Node): string {
  if (schema.properties !== undefined) return 'struct';
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).every((v) => typeof v === 'string') ? 'string' : 'any';
  if (schema.patternProperties !== undefined) return 'map';
  if (Array.isArray(schema.anyOf)) {
    const kinds = new Set((schema.anyOf as Node[]).map(kindOf));
    return kinds.size === 1 ? [...kinds][0]! : 'any';
  }
  return typeof schema.type === 'string' ? schema.type : 'any';
}

function checkType(where: string, go: string, schema: Node, jsonInString: boolean): void {
  const bare = go.replace(/^\*/, '');
  if (jsonInString || ANY_TYPES.has(bare)) return;
  const kind = kindOf(schema);
  if (bare.startsWith('[]')) {
    expect(kind, `${where}: ${go} is a slice`).toBe('array');
    checkType(`${where}[]`, bare.slice(2), schema.items as Node, false);
  } else if (bare.startsWith('map[') || bare === 'Otelspancontext' || bare === 'otelspancontext') {
    expect(kind, `${where}: ${go} is a map`).toBe('map');
  } else if (bare === 'bool') {
    expect(kind, `${where}: ${go}`).toBe('boolean');
  } else if (Object.hasOwn(INTEGER_RANGES, bare)) {
    expect(kind, `${where}: ${go}`).toBe('integer');
    expect([schema.minimum, schema.maximum], `${where}: range of ${go}`).toEqual(INTEGER_RANGES[bare]);
  } else if (STRING_TYPES.has(bare)) {
    expect(kind, `${where}: ${go}`).toBe('string');
    if (bare === 'guid.GUID') expect(schema.pattern, `${where}: a GUID`).toBeTypeOf('string');
  } else {
    expect(kind, `${where}: ${go} is a struct`).toBe('struct');
  }
}

function writtenWhenZero(field: SpecField): boolean {
  return field.omitempty !== true || field.omitemptyNoEffect === true;
}

describe('gcs-protocol-fields.json', () => {
  it('lists no struct that has neither a schema nor a reason', () => {
    const unaccounted = Object.keys(spec.types).filter((name) => !Object.hasOwn(SCHEMAS, name) && !Object.hasOwn(NOT_MODELLED, name));
    expect(unaccounted).toEqual([]);
    expect(Object.keys(SCHEMAS).filter((name) => !Object.hasOwn(spec.types, name))).toEqual([]);
  });

  for (const [name, schemaObject] of Object.entries(SCHEMAS)) {
    it(`${name}: same keys in the same order, omitted and typed as Go does`, () => {
      const type = spec.types[name]!;
      const expected = (type.flattenedFields ?? type.fields ?? []).filter((f) => f.embedded === undefined);
      const schema = schemaObject as Node;
      const properties = schema.properties!;
      expect(Object.keys(properties)).toEqual(expected.map((f) => f.json));
      for (const field of expected) {
        const where = `${name}.${field.json!}`;
        const property = properties[field.json!]!;
        const go = property[GO_FIELD] ?? {};
        const jsonInString = field.jsonInString === true || (GUEST_JSON_STRINGS[name]?.includes(field.json!) ?? false);
        expect(go.keep === true, `${where}: written when zero`).toBe(writtenWhenZero(field));
        expect(go.jsonInString === true, `${where}: JSON-in-string`).toBe(jsonInString);
        const scalarPointer = field.go.startsWith('*') && (STRING_TYPES.has(field.go.slice(1)) || Object.hasOwn(INTEGER_RANGES, field.go.slice(1)) || field.go === '*bool');
        if (scalarPointer) expect(go.pointer, `${where}: a pointer to a scalar keeps false/0`).toBe(true);
        checkType(where, field.go, property, jsonInString);
      }
    });
  }

  it('every double-encoded field is in GCS_JSON_IN_STRING_FIELDS, and every entry is a marked field', () => {
    const named: Readonly<Record<string, object>> = {
      GcsCreateRequest: uvm.GcsCreateRequestSchema,
      GcsExecuteProcessRequest: uvm.GcsExecuteProcessRequestSchema,
      GcsGetPropertiesRequest: uvm.GcsGetPropertiesRequestSchema,
      GcsGetPropertiesV2Request: uvm.GcsGetPropertiesV2RequestSchema,
      GcsGetPropertiesResponse: uvm.GcsGetPropertiesResponseSchema,
      GcsContainerNotification: uvm.GcsContainerNotificationSchema,
      LinuxGuestGetPropertiesResponse: uvm.LinuxGuestGetPropertiesResponseSchema,
      LinuxGuestContainerNotification: uvm.LinuxGuestContainerNotificationSchema,
    };
    const marked = (schema: Node, path: string): string[] =>
      Object.entries(schema.properties ?? {}).flatMap(([key, child]) => (child[GO_FIELD]?.jsonInString === true ? [`${path}/${key}`] : marked(child, `${path}/${key}`)));
    expect(Object.keys(GCS_JSON_IN_STRING_FIELDS).sort()).toEqual(Object.keys(named).sort());
    for (const [message, schema] of Object.entries(named)) {
      expect(marked(schema as Node, ''), message).toEqual(GCS_JSON_IN_STRING_FIELDS[message as keyof typeof GCS_JSON_IN_STRING_FIELDS]);
    }
    const everyBody = [
      ...Object.values(uvm.GCS_BODY_SCHEMAS).flatMap((b) => [b.request, b.response, b.linuxGuestResponse]),
      uvm.GcsGetPropertiesRequestSchema,
      uvm.GcsContainerNotificationSchema,
      uvm.LinuxGuestContainerNotificationSchema,
    ];
    const allMarked = new Set(everyBody.flatMap((s) => marked(s as Node, '')));
    expect([...allMarked].sort()).toEqual([...new Set(Object.values(GCS_JSON_IN_STRING_FIELDS).flat())].sort());
  });
});

describe('enumerations match the spec', () => {
  const values = (name: string) => spec.enums[name]!.values.map((v) => v.value);
  it.each([
    ['guest/prot.NotificationType', GcsNotificationType],
    ['guest/prot.ActiveOperation', GcsActiveOperation],
    ['guestrequest.RequestType', GuestRequestType],
    ['guestresource.ResourceType', GuestResourceType],
    ['guestrequest.SignalValueWCOW', WcowSignalValue],
    ['guestrequest.RPCType', LogForwardServiceRpcType],
    ['schema1.PropertyType', GcsPropertyTypeV1],
    ['guest/prot.PropertyType', LinuxGuestPropertyType],
  ] as const)('%s', (name, table) => {
    expect(Object.values(table).sort()).toEqual(values(name).sort());
  });
});

describe('constants match the spec', () => {
  const constant = (group: string, name: string) => spec.constants[group]!.find((c) => c.name === name)!.value;
  const host = 'gcs/prot (host)';
  const guest = 'guest/prot (guest)';

  it('header layout, size limit and Type masks', () => {
    expect(GCS_HEADER_SIZE).toBe(constant(host, 'HdrSize'));
    expect(GcsHeaderOffset).toEqual({ type: constant(host, 'HdrOffType'), size: constant(host, 'HdrOffSize'), id: constant(host, 'HdrOffID') });
    expect(GCS_GO_HOST_MAX_MESSAGE_SIZE).toBe(constant(host, 'MaxMsgSize'));
    expect(GCS_MESSAGE_KIND_MASK).toBe(constant(guest, 'messageTypeMask'));
    expect(GCS_MESSAGE_CATEGORY_MASK).toBe(constant(guest, 'messageCategoryMask'));
    expect(GCS_MESSAGE_ID_MASK).toBe(constant(guest, 'messageIDMask'));
    expect(GCS_MESSAGE_ID_SHIFT).toBe(constant(guest, 'messageIDShift'));
    expect(GCS_MESSAGE_VERSION_MASK).toBe(constant(guest, 'messageVersionMask'));
  });

  it('protocol version and infinite wait', () => {
    expect(GCS_PROTOCOL_VERSION).toBe(constant(guest, 'PvV4'));
    expect(GCS_PROTOCOL_VERSION).toBe(constant(guest, 'PvMax'));
    expect(GCS_INFINITE_WAIT_TIMEOUT_MS).toBe(constant(guest, 'InfiniteWaitTimeout'));
  });

  it('every GCS HRESULT of gcserr is in the HRESULT table under its value', () => {
    const group = Object.keys(spec.constants).find((g) => g.startsWith('gcserr'))!;
    for (const { name, value } of spec.constants[group]!) {
      expect(describeHResult(value), `${name} (${value})`).toBeDefined();
      expect(describeHResult(value)!.value).toBe(toHResult(value));
    }
  });
});
