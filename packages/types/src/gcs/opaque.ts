// Objects the GCS passes through without uvm modelling them (OCI runtime-spec parts, HCN endpoints,
// containerd metrics): any JSON object, written with its keys in the order given.
import Type from 'typebox';

export function opaqueObject(description: string) {
  return Type.Object({}, { description });
}
