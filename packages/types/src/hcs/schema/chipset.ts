import Type, { type Static } from 'typebox';
import { int32, opt, struct } from '../../goSchema.js';
import { base64, guid } from '../../stringFormats.js';
import { ApplySecureBootTemplateSchema } from './enums.js';

/** Extra firmware parameters, as bytes (base64). */
export const FirmwareFileSchema = struct('FirmwareFile', {
  Parameters: opt(base64()),
});
export type FirmwareFile = Static<typeof FirmwareFileSchema>;

/** Direct Linux boot (schema 2.2, build 18286+): kernel, initrd and command line (hcs-host.md §4.5). */
export const LinuxKernelDirectSchema = struct('LinuxKernelDirect', {
  KernelFilePath: opt(Type.String()),
  InitRdPath: opt(Type.String()),
  KernelCmdLine: opt(Type.String()),
});
export type LinuxKernelDirect = Static<typeof LinuxKernelDirectSchema>;

/** The entry UEFI boots, e.g. a kernel on a VmbFs share (hcs-host.md §4.5). */
export const UefiBootEntrySchema = struct('UefiBootEntry', {
  DeviceType: opt(Type.String()),
  DevicePath: opt(Type.String()),
  DiskNumber: opt(int32()),
  OptionalData: opt(Type.String()),
  VmbFsRootPath: opt(Type.String()),
});
export type UefiBootEntry = Static<typeof UefiBootEntrySchema>;

/** UEFI firmware settings: secure boot template, boot entry, console. */
export const UefiSchema = struct('Uefi', {
  EnableDebugger: opt(Type.Boolean()),
  ApplySecureBootTemplate: opt(ApplySecureBootTemplateSchema),
  SecureBootTemplateId: opt(guid()),
  BootThis: opt(UefiBootEntrySchema),
  Console: opt(Type.String()),
});
export type Uefi = Static<typeof UefiSchema>;

/** Firmware and boot: UEFI, direct Linux kernel boot, SMBIOS strings (hcs-host.md §5.2). */
export const ChipsetSchema = struct('Chipset', {
  Uefi: opt(UefiSchema),
  IsNumLockDisabled: opt(Type.Boolean()),
  BaseBoardSerialNumber: opt(Type.String()),
  ChassisSerialNumber: opt(Type.String()),
  ChassisAssetTag: opt(Type.String()),
  UseUtc: opt(Type.Boolean()),
  LinuxKernelDirect: opt(LinuxKernelDirectSchema),
  FirmwareFile: opt(FirmwareFileSchema),
});
export type Chipset = Static<typeof ChipsetSchema>;
