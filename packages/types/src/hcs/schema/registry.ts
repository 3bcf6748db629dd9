import Type, { type Static } from 'typebox';
import { int32, opt, struct } from '../../goSchema.js';
import { RegistryHiveSchema, RegistryValueTypeSchema } from './enums.js';

/** A registry key in one of the guest's hives. */
export const RegistryKeySchema = struct('RegistryKey', {
  Hive: opt(RegistryHiveSchema),
  Name: opt(Type.String()),
  Volatile: opt(Type.Boolean()),
});
export type RegistryKey = Static<typeof RegistryKeySchema>;

/** A registry value to write in a Windows guest. */
export const RegistryValueSchema = struct('RegistryValue', {
  Key: opt(RegistryKeySchema),
  Name: opt(Type.String()),
  Type: opt(RegistryValueTypeSchema),
  StringValue: opt(Type.String()),
  BinaryValue: opt(Type.String()),
  DWordValue: opt(int32()),
  QWordValue: opt(int32()),
  CustomType: opt(int32()),
});
export type RegistryValue = Static<typeof RegistryValueSchema>;

/** Registry values to add and keys to delete in a Windows guest. */
export const RegistryChangesSchema = struct('RegistryChanges', {
  AddValues: opt(Type.Array(RegistryValueSchema)),
  DeleteKeys: opt(Type.Array(RegistryKeySchema)),
});
export type RegistryChanges = Static<typeof RegistryChangesSchema>;
