import Type, { type Static } from 'typebox';
import { int32, opt, struct } from '../../goSchema.js';

/** A device interface class. */
export const InterfaceClassSchema = struct('InterfaceClass', {
  type: opt(Type.String()),
  identifier: opt(Type.String()),
  recurse: opt(Type.Boolean()),
});
export type InterfaceClass = Static<typeof InterfaceClassSchema>;

/** A named category of devices by interface class. */
export const DeviceCategorySchema = struct('DeviceCategory', {
  name: opt(Type.String()),
  interface_class: opt(Type.Array(InterfaceClassSchema)),
});
export type DeviceCategory = Static<typeof DeviceCategorySchema>;

/** One device instance of a device namespace. */
export const DeviceInstanceSchema = struct('DeviceInstance', {
  id: opt(Type.String()),
  location_path: opt(Type.String()),
  port_name: opt(Type.String()),
  interface_class: opt(Type.Array(InterfaceClassSchema)),
});
export type DeviceInstance = Static<typeof DeviceInstanceSchema>;

/** Device categories and instances of a device extension. */
export const DeviceNamespaceSchema = struct('DeviceNamespace', {
  requires_driverstore: opt(Type.Boolean()),
  device_category: opt(Type.Array(DeviceCategorySchema)),
  device_instance: opt(Type.Array(DeviceInstanceSchema)),
});
export type DeviceNamespace = Static<typeof DeviceNamespaceSchema>;

/** A symbolic link in the object-manager namespace. */
export const ObjectSymlinkSchema = struct('ObjectSymlink', {
  name: opt(Type.String()),
  path: opt(Type.String()),
  scope: opt(Type.String()),
  pathtoclone: opt(Type.String()),
  access_mask: opt(int32()),
});
export type ObjectSymlink = Static<typeof ObjectSymlinkSchema>;

/** A directory of the object-manager namespace; directories nest. */
export const ObjectDirectorySchema = Type.Cyclic(
  {
    ObjectDirectory: struct('ObjectDirectory', {
      name: opt(Type.String()),
      clonesd: opt(Type.String()),
      shadow: opt(Type.String()),
      symlink: opt(Type.Array(ObjectSymlinkSchema)),
      objdir: opt(Type.Array(Type.Ref('ObjectDirectory'))),
    }),
  },
  'ObjectDirectory',
);
export type ObjectDirectory = Static<typeof ObjectDirectorySchema>;

/** The object-manager namespace of a device extension. */
export const ObjectNamespaceSchema = struct('ObjectNamespace', {
  shadow: opt(Type.String()),
  symlink: opt(Type.Array(ObjectSymlinkSchema)),
  objdir: opt(Type.Array(ObjectDirectorySchema)),
});
export type ObjectNamespace = Static<typeof ObjectNamespaceSchema>;

/** The object and device namespaces of a device extension. */
export const DeviceExtensionNamespaceSchema = struct('DeviceExtensionNamespace', {
  ob: opt(ObjectNamespaceSchema),
  device: opt(DeviceNamespaceSchema),
});
export type DeviceExtensionNamespace = Static<typeof DeviceExtensionNamespaceSchema>;

/** A device extension of a container's device namespace. */
export const DeviceExtensionSchema = struct('DeviceExtension', {
  device_category: opt(DeviceCategorySchema),
  namespace: opt(DeviceExtensionNamespaceSchema),
});
export type DeviceExtension = Static<typeof DeviceExtensionSchema>;

/** Extra device namespace given to a container. */
export const ContainerDefinitionDeviceSchema = struct('ContainerDefinitionDevice', {
  device_extension: opt(Type.Array(DeviceExtensionSchema)),
});
export type ContainerDefinitionDevice = Static<typeof ContainerDefinitionDeviceSchema>;
