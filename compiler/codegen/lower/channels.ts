// Lowering of channel operations (effects-concurrency §3.5) onto the channel runtime
// (runtime/channels.ts), and the drop/copy helpers of Sender[T] and Receiver[T].

import binaryen from "binaryen";
import type { TExpr, Type } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { f32, f64, i32, i64, none, type Ref, type WType } from "../ir.js";
import { typeKey } from "../layout.js";
import { ALLOC } from "../runtime/alloc.js";
import { CHAN, channelRecv, channelRuntime } from "../runtime/channels.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";
import { CHANNEL as ABI_CHANNEL, SYNC_SITE } from "../../abi.js";
import { syncSiteWord } from "../site-table.js";
import { makeVariant } from "./variants.js";
import { cancelledFn } from "./concurrency.js";

type BuiltinExpr = Extract<TExpr, { kind: "builtin" }>;

/** An element's wasm value widened to the i64 a channel slot holds. */
function toSlot(m: binaryen.Module, w: WType, v: Ref): Ref {
  if (w === i64) return v;
  if (w === i32) return m.i64.extend_u(v);
  if (w === f64) return m.i64.reinterpret(v);
  if (w === f32) return m.i64.extend_u(m.i32.reinterpret(v));
  throw new CodegenError("channel element without a value");
}

function fromSlot(m: binaryen.Module, w: WType, v: Ref): Ref {
  if (w === i64) return v;
  if (w === i32) return m.i32.wrap(v);
  if (w === f64) return m.f64.reinterpret(v);
  if (w === f32) return m.f32.reinterpret(m.i32.wrap(v));
  throw new CodegenError("channel element without a value");
}

function elemOf(e: BuiltinExpr): Type {
  const t = e.typeArgs[0];
  if (!t) throw new CodegenError(`${e.op} without its element type`, e.span);
  return t;
}

/** The channel handle a method is called on (borrowed: methods never consume it). */
function handle(fl: Lowerer, e: BuiltinExpr): Ref {
  const r = e.receiver;
  if (!r) throw new CodegenError(`${e.op} without a receiver`, e.span);
  return r.kind === "place" ? fl.read(r.place) : fl.borrow(r.value);
}

/** Lower a channel builtin, or return undefined when `e` is not one. */
export function lowerChannelOp(fl: Lowerer, e: BuiltinExpr): Ref | undefined {
  const { m, ir, g } = fl;
  switch (e.op) {
    case "channel.new": {
      channelRuntime(g);
      // (Sender[T], Receiver[T]): both fields hold the same channel address.
      const lay = g.layouts.tupleLayout(e.type.kind === "tuple" ? e.type.elems : []);
      if (lay.fields.length !== 2) throw new CodegenError("Channel.new must produce a (Sender, Receiver) pair", e.span);
      const c = fl.tmp(i32);
      const p = fl.tmp(i32);
      return m.block(
        null,
        [
          ir.set(c, m.call(CHAN.new, [], i32)),
          ir.store32(ir.get(fl.locals, c), ir.c32(syncSiteWord(g, "channel", e)), ABI_CHANNEL.SEQ + SYNC_SITE.CHANNEL),
          ir.set(p, m.call(ALLOC, [ir.c32(lay.size)], i32)),
          ir.store32(ir.get(fl.locals, p), ir.get(fl.locals, c), lay.fields[0].offset),
          ir.store32(ir.get(fl.locals, p), ir.get(fl.locals, c), lay.fields[1].offset),
          ir.get(fl.locals, p),
        ],
        i32,
      );
    }
    case "sender.send": {
      channelRuntime(g);
      const w = g.layouts.wasm(elemOf(e));
      const ch = fl.tmp(i32);
      const setCh = ir.set(ch, handle(fl, e));
      if (w === none) return m.block(null, [setCh, fl.stmtize(fl.consume(e.args[0])), m.call(CHAN.send, [ir.get(fl.locals, ch), ir.c64(0)], none)]);
      return m.block(null, [setCh, m.call(CHAN.send, [ir.get(fl.locals, ch), toSlot(m, w, fl.consume(e.args[0]))], none)]);
    }
    case "sender.clone":
      channelRuntime(g);
      return m.call(CHAN.clone, [handle(fl, e)], i32);
    case "receiver.recv": {
      channelRuntime(g);
      const w = g.layouts.wasm(elemOf(e));
      const v = m.call(channelRecv(g, cancelledFn(fl)), [handle(fl, e)], i64);
      return w === none ? m.drop(v) : fromSlot(m, w, v);
    }
    case "receiver.try_recv": {
      channelRuntime(g);
      const w = g.layouts.wasm(elemOf(e));
      const got = m.call(CHAN.tryRecv, [handle(fl, e)], i32);
      const some = makeVariant(fl, e.type, "Some", w === none ? undefined : fromSlot(m, w, m.global.get(CHAN.out, i64)));
      return m.if(got, some, makeVariant(fl, e.type, "None"));
    }
    default:
      return undefined;
  }
}

/**
 * `drop:Sender[T]` / `drop:Receiver[T]`: give up the handle (the last Sender closes the
 * channel); the last handle of all drops the undelivered elements with `elemDrop` and frees.
 */
export function channelEndDrop(g: Gen, t: Type & { kind: "sender" | "receiver" }, elemDrop: () => string | undefined): string {
  const { m } = g;
  channelRuntime(g);
  return g.define(`drop:${typeKey(t)}`, [i32], none, () => {
    const c = () => m.local.get(0, i32);
    const drop = elemDrop();
    const w = g.layouts.wasm(t.elem);
    const drain = drop
      ? m.loop("drain", m.if(m.call(CHAN.popRaw, [c()], i32), m.block(null, [m.call(drop, [fromSlot(m, w, m.global.get(CHAN.out, i64))], none), m.br("drain")])))
      : m.nop();
    return [
      m.if(m.i32.eqz(c()), m.return()),
      t.kind === "sender" ? m.call(CHAN.dropSender, [c()], none) : m.nop(),
      m.if(m.call(CHAN.release, [c()], i32), m.block(null, [drain, m.call(CHAN.free, [c()], none)])),
    ];
  });
}

/** `copy:Sender[T]` is a clone (one more Sender); a copied Receiver is one more handle. */
export function channelEndCopy(g: Gen, t: Type & { kind: "sender" | "receiver" }): string {
  channelRuntime(g);
  return t.kind === "sender" ? CHAN.clone : CHAN.retain;
}
