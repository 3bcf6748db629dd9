import Type, { type Static, type TEnum, type TSchema } from 'typebox';

// The plain JSON/YAML description of a utility VM that buildFromSpec turns into a document: the
// same options as the presets and the sub-builders, camel-cased, nothing that is not data.

const closed = <P extends Record<string, TSchema>>(properties: P, description?: string) =>
  Type.Object(properties, { additionalProperties: false, ...(description === undefined ? {} : { description }) });
const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
const integer = (minimum?: number, maximum?: number) =>
  Type.Integer({ ...(minimum === undefined ? {} : { minimum }), ...(maximum === undefined ? {} : { maximum }) });
const bool = () => Type.Boolean();
const str = () => Type.String();
const strings = () => Type.Array(Type.String());
const integers = () => Type.Array(Type.Integer());
function literals<const V extends string[]>(...values: V): TEnum<V> {
  return Type.Enum<V>(values);
}
const record = <V extends TSchema>(value: V) => Type.Record(Type.String(), value);

const HostSchema = closed(
  {
    windowsBuild: integer(1),
    architecture: literals('amd64', 'arm64'),
    logicalProcessorCount: integer(1),
    processCpuCount: opt(integer(1)),
  },
  'The host the VM runs on.',
);

const HvSocketServiceSchema = closed({
  bindSecurityDescriptor: opt(str()),
  connectSecurityDescriptor: opt(str()),
  allowWildcardBinds: opt(bool()),
  disabled: opt(bool()),
});

const NumaRequestSchema = closed({
  maxProcessorsPerNode: opt(integer(0)),
  maxSizePerNodeInMB: opt(integer(0)),
  preferredPhysicalNodes: opt(integers()),
  mappedPhysicalNodes: opt(integers()),
  countOfProcessors: opt(integers()),
  countOfMemoryBlocks: opt(integers()),
});

const presetCommon = {
  owner: opt(str()),
  memorySizeInMB: opt(integer(0)),
  processorCount: opt(integer()),
  processorLimit: opt(integer()),
  processorWeight: opt(integer()),
  cpuGroupId: opt(str()),
  resourcePartitionId: opt(str()),
  lowMmioGapInMB: opt(integer(0)),
  highMmioBaseInMB: opt(integer(0)),
  highMmioGapInMB: opt(integer(0)),
  allowOvercommit: opt(bool()),
  fullyPhysicallyBacked: opt(bool()),
  enableDeferredCommit: opt(bool()),
  enableColdDiscardHint: opt(bool()),
  numa: opt(NumaRequestSchema),
  storageQoS: opt(closed({ iopsMaximum: opt(integer()), bandwidthMaximum: opt(integer()) })),
  consolePipe: opt(str()),
  hvSocketServiceTable: opt(record(HvSocketServiceSchema)),
};

const DeviceSchema = closed({ id: str(), idType: str() });

const LcowPresetSchema = closed(
  {
    ...presetCommon,
    bootFilesPath: str(),
    bootFiles: strings(),
    kernelDirect: opt(bool()),
    preferredRootFsType: opt(literals('initrd', 'vhd')),
    devices: opt(Type.Array(DeviceSchema)),
    vpciEnabled: opt(bool()),
    vpmemMaximumCount: opt(integer(0)),
    kernelBootOptions: opt(str()),
    writableOverlayDirs: opt(bool()),
    dmVerity: opt(bool()),
    dmVerityCreateArgs: opt(str()),
    logLevel: opt(str()),
    scrubLogs: opt(bool()),
    disableTimeSync: opt(bool()),
    processDumpLocation: opt(str()),
    extraExecArgs: opt(str()),
    liveMigration: opt(bool()),
    confidential: opt(
      closed({
        securityPolicy: str(),
        bundlePath: str(),
        guestStateFile: opt(str()),
        dmVerityRootfsVhd: opt(str()),
        hclEnabled: opt(bool()),
        extraVsockPorts: opt(integers()),
      }),
    ),
  },
  "hcsshim's LCOW sandbox options (the lcow() preset).",
);

const RegistryValueSchema = closed({
  key: closed({ hive: literals('System', 'Software', 'Security', 'Sam'), name: str(), volatile: opt(bool()) }),
  name: str(),
  type: literals('None', 'String', 'ExpandedString', 'MultiString', 'Binary', 'DWord', 'QWord', 'CustomType'),
  stringValue: opt(str()),
  binaryValue: opt(str()),
  dWordValue: opt(integer()),
  qWordValue: opt(integer()),
  customType: opt(integer()),
});

const IsolationTypeSchema = literals('SecureNestedPaging', 'VirtualizationBasedSecurity', 'GuestStateOnly');

const WcowPresetSchema = closed(
  {
    ...presetCommon,
    id: opt(str()),
    uvmLayerPath: opt(str()),
    scratchDirectory: str(),
    processDumpLocation: opt(str()),
    disableCompartmentNamespace: opt(bool()),
    additionalRegistryKeys: opt(Type.Array(RegistryValueSchema)),
    logForwarding: opt(bool()),
    enableGraphicsConsole: opt(bool()),
    dumpDirectoryPath: opt(str()),
    vsmbNoDirectMap: opt(bool()),
    confidential: opt(
      closed({
        securityPolicy: str(),
        isolationType: opt(IsolationTypeSchema),
        guestStateFilePath: opt(str()),
        bootFilesPath: opt(str()),
        efiVhdPath: str(),
        bootCimVhdPath: str(),
        writableEfi: opt(bool()),
        disableSecureBoot: opt(bool()),
        firmwareParameters: opt(str()),
        bundlePath: str(),
      }),
    ),
  },
  "hcsshim's WCOW options (the wcow() preset).",
);

const LcowAnnotationsPresetSchema = closed(
  {
    annotations: record(str()),
    runtimeOptions: closed({
      sandboxPlatform: opt(str()),
      bootFilesRootPath: opt(str()),
      vmProcessorCount: opt(integer()),
      vmMemorySizeInMb: opt(integer()),
      logLevel: opt(str()),
      scrubLogs: opt(bool()),
      defaultContainerAnnotations: opt(record(str())),
    }),
    context: closed({
      owner: opt(str()),
      bundlePath: opt(str()),
      bootFiles: strings(),
      defaultBootFilesPath: opt(str()),
      devices: opt(Type.Array(DeviceSchema)),
    }),
  },
  "hcsshim's annotation-driven LCOW sandbox (lcowFromAnnotations).",
);

const VsmbFlagsSchema = closed({
  readOnly: opt(bool()),
  shareRead: opt(bool()),
  cacheIo: opt(bool()),
  noOplocks: opt(bool()),
  takeBackupPrivilege: opt(bool()),
  useShareRootIdentity: opt(bool()),
  noDirectmap: opt(bool()),
  noLocks: opt(bool()),
  noDirnotify: opt(bool()),
  vmSharedMemory: opt(bool()),
  restrictFileAccess: opt(bool()),
  forceLevelIIOplocks: opt(bool()),
  reparseBaseLayer: opt(bool()),
  pseudoOplocks: opt(bool()),
  nonCacheIo: opt(bool()),
  pseudoDirnotify: opt(bool()),
  singleFileMapping: opt(bool()),
});

const RdpSchema = closed({ accessSids: opt(strings()), namedPipe: opt(str()) });

const DevicesSpecSchema = closed({
  scsiControllers: opt(integers()),
  scsiDisks: opt(
    Type.Array(
      closed({
        controller: Type.Integer(),
        lun: Type.Integer(),
        path: str(),
        type: opt(literals('VirtualDisk', 'PassThru', 'ExtensibleVirtualDisk')),
        readOnly: opt(bool()),
        cachingMode: opt(str()),
        extensibleVirtualDiskType: opt(str()),
        ignoreFlushes: opt(bool()),
        noWriteHardening: opt(bool()),
        disableExpansionOptimization: opt(bool()),
        ignoreRelativeLocator: opt(bool()),
        captureIoAttributionContext: opt(bool()),
        supportCompressedVolumes: opt(bool()),
        alwaysAllowSparseFiles: opt(bool()),
      }),
    ),
  ),
  vpmem: opt(
    closed({
      maximumCount: Type.Integer(),
      maximumSizeBytes: Type.Integer(),
      backing: opt(str()),
      multiMapping: opt(bool()),
      devices: opt(Type.Array(closed({ index: Type.Integer(), hostPath: str(), readOnly: opt(bool()), imageFormat: opt(literals('Vhd1', 'Vhdx')) }))),
    }),
  ),
  vsmb: opt(
    closed({
      enabled: opt(bool()),
      directFileMappingInMB: opt(integer(0)),
      shares: opt(Type.Array(closed({ name: str(), path: str(), allowedFiles: opt(strings()), options: opt(VsmbFlagsSchema) }))),
    }),
  ),
  plan9: opt(
    closed({
      enabled: opt(bool()),
      shares: opt(
        Type.Array(
          closed({ name: str(), path: str(), accessName: opt(str()), port: opt(integer()), readOnly: opt(bool()), flags: opt(integer()), allowedFiles: opt(strings()) }),
        ),
      ),
    }),
  ),
  networkAdapters: opt(
    record(
      closed({
        endpointId: str(),
        macAddress: opt(str()),
        iov: opt(
          closed({
            offloadWeight: opt(integer(0)),
            queuePairsRequested: opt(integer(0)),
            interruptModeration: opt(literals('Default', 'Adaptive', 'Off', 'Low', 'Medium', 'High')),
          }),
        ),
      }),
    ),
  ),
  vpci: opt(
    Type.Array(
      closed({
        functions: Type.Array(closed({ deviceInstancePath: str(), virtualFunction: opt(integer(0)) })),
        propagateNumaAffinity: opt(bool()),
        vmbusGuid: opt(str()),
      }),
    ),
  ),
  comPorts: opt(record(closed({ namedPipe: str(), optimizeForDebugger: opt(bool()) }))),
  hvSocket: opt(
    closed({
      defaults: opt(closed({ bindSecurityDescriptor: opt(str()), connectSecurityDescriptor: opt(str()) })),
      services: opt(record(HvSocketServiceSchema)),
    }),
  ),
  keyboard: opt(bool()),
  mouse: opt(bool()),
  videoMonitor: opt(closed({ horizontalResolution: opt(integer()), verticalResolution: opt(integer()), connectionOptions: opt(RdpSchema) })),
  enhancedModeVideo: opt(closed({ connectionOptions: opt(RdpSchema) })),
  graphicsConsole: opt(bool()),
  guestCrashReporting: opt(closed({ dumpFileName: str(), maxDumpSize: opt(integer()), dumpType: opt(str()) })),
});

const VersionSpecSchema = closed({ Major: integer(0), Minor: opt(integer(0)) });

/**
 * The TypeBox (JSON Schema) of a build spec: the guest and host, an optional preset (`lcow`, `wcow`
 * or `lcowAnnotations`) and customisations applied after it, one section per sub-builder. The CLI
 * validates spec files with it.
 */
export const BuildSpecSchema = closed(
  {
    os: opt(literals('linux', 'windows')),
    host: HostSchema,
    preset: opt(
      Type.Union([closed({ lcow: LcowPresetSchema }), closed({ wcow: WcowPresetSchema }), closed({ lcowAnnotations: LcowAnnotationsPresetSchema })]),
    ),
    owner: opt(str()),
    schemaVersion: opt(VersionSpecSchema),
    terminateOnLastHandleClosed: opt(bool()),
    stopOnReset: opt(bool()),
    resourcePartitionId: opt(str()),
    virtualMachineVersion: opt(VersionSpecSchema),
    memory: opt(
      closed({
        sizeInMB: opt(integer(0)),
        backing: opt(literals('Physical', 'Virtual', 'Hybrid')),
        allowOvercommit: opt(bool()),
        deferredCommit: opt(bool()),
        hotHint: opt(bool()),
        coldHint: opt(bool()),
        coldDiscardHint: opt(bool()),
        mmio: opt(closed({ lowGapInMB: opt(integer(0)), highBaseInMB: opt(integer(0)), highGapInMB: opt(integer(0)) })),
        slitType: opt(literals('None', 'Firmware', 'Measured', 'FirmwareFallbackMeasured')),
      }),
    ),
    processor: opt(closed({ count: opt(integer()), limit: opt(integer()), weight: opt(integer()), reservation: opt(integer()), cpuGroupId: opt(str()) })),
    numa: opt(
      Type.Union([
        closed({
          implicit: closed({ maxProcessorsPerNode: integer(0), maxSizePerNodeInMB: integer(0), preferredPhysicalNodes: opt(integers()), nodesPerSocket: opt(integer(0)) }),
        }),
        closed({
          explicit: closed({
            nodes: Type.Array(
              closed({ physicalNode: integer(0), countOfProcessors: integer(0), countOfMemoryBlocks: integer(0), virtualNode: opt(integer(0)), virtualSocket: opt(integer(0)) }),
            ),
            preferredPhysicalNodes: opt(integers()),
          }),
        }),
      ]),
    ),
    devices: opt(DevicesSpecSchema),
    boot: opt(
      closed({
        uefi: opt(
          closed({
            bootThis: opt(closed({ devicePath: str(), vmbFsRootPath: opt(str()), diskNumber: opt(integer()), optionalData: opt(str()) })),
            applySecureBootTemplate: opt(literals('Apply', 'Skip')),
            secureBootTemplateId: opt(str()),
            enableDebugger: opt(bool()),
            console: opt(str()),
          }),
        ),
        linuxKernelDirect: opt(closed({ kernelFilePath: str(), initRdPath: opt(str()), kernelCmdLine: opt(str()) })),
        /** Base64 bytes. */
        firmwareParameters: opt(Type.String({ pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$' })),
      }),
    ),
    storageQoS: opt(closed({ iopsMaximum: opt(integer()), bandwidthMaximum: opt(integer()) })),
    security: opt(
      closed({
        isolation: opt(closed({ type: IsolationTypeSchema, launchData: opt(str()), hclEnabled: opt(bool()), debugHost: opt(str()), debugPort: opt(integer()) })),
        launchDataFromPolicy: opt(str()),
        guestState: opt(
          closed({
            guestStateFilePath: str(),
            guestStateFileType: opt(literals('FileMode', 'BlockStorage')),
            runtimeStateFilePath: opt(str()),
            forceTransientState: opt(bool()),
          }),
        ),
        tpm: opt(bool()),
        lockDownHvSocket: opt(integers()),
      }),
    ),
    registryValues: opt(Type.Array(RegistryValueSchema)),
    debugOptions: opt(
      closed({
        bugcheckSavedStateFileName: opt(str()),
        bugcheckNoCrashdumpSavedStateFileName: opt(str()),
        tripleFaultSavedStateFileName: opt(str()),
        firmwareDumpFileName: opt(str()),
      }),
    ),
  },
  'A utility VM described as data: guest, host, an optional hcsshim preset, and customisations.',
);

/** A build spec, as `BuildSpecSchema` describes it. */
export type BuildSpec = Static<typeof BuildSpecSchema>;
