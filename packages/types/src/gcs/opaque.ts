// Objects the GCS passes through without uvm modelling them (OCI runtime-spec parts, HCN endpoints,
// containerd metrics): any JSON object. Unlike goSchema's openObject (a Go map, whose keys Go
// sorts), this is a struct with no known fields, so its keys are written in the order given.
import Type from 'typebox';

export function opaqueObject(description: string) {
  return Type.Object({}, { description });
}
