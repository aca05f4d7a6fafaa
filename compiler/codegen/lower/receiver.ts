// The receiver of a builtin method call: a place is read where it lives, a computed value is
// borrowed (the caller frees it after the call).

import type { TReceiver, Type } from "../../tir/nodes.js";
import type { Ref } from "../ir.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";

export function recv(fl: Lowerer, r: TReceiver | undefined): Ref {
  if (!r) throw new CodegenError("builtin method without a receiver");
  return r.kind === "place" ? fl.read(r.place) : fl.borrow(r.value);
}

export function recvType(r: TReceiver | undefined): Type {
  if (!r) throw new CodegenError("builtin method without a receiver");
  return r.kind === "place" ? r.place.type : r.value.type;
}
