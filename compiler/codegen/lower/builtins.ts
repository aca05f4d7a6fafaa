// Lowering of builtin operations (prelude functions and methods of builtin types).

import type { BuiltinOp, TExpr, TReceiver, Type } from "../../tir/nodes.js";
import { f32, f64, i32, i64, none, type Ref, type WType } from "../ir.js";
import { ENUM_PAYLOAD, HDR } from "../layout.js";
import { ALLOC, FREE } from "../runtime/alloc.js";
import { checkedBinary, checkedNeg, intMax, intMin, normalize32, type IntT } from "../runtime/arith.js";
import { STR } from "../runtime/strings.js";
import { groupRuntime } from "../runtime/groups.js";
import { RTT } from "../runtime/tasks.js";
import { G } from "../runtime/names.js";
import { SYNC_SITE, TASK } from "../../abi.js";
import { syncSiteWord } from "../site-table.js";
import { VEC } from "../runtime/vec.js";
import { indexPanic, panicCall } from "../runtime/panics.js";
import { atomicNew, atomicOp, lowerJoin, lowerSpawn } from "./concurrency.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";
import { makeVariant, variantIndex } from "./variants.js";
import { dropFn, eqValue, fmtValue } from "./typeops.js";
import { sortFn } from "./sort.js";
import { lowerMapSet } from "./maps.js";
import { lowerCollectionOp, lowerSortedSnapshot } from "./collections.js";
import { lowerSeqOp } from "./seq-ops.js";
import { lowerStringOp } from "./string-ops.js";
import { lowerDbg } from "./debug-format.js";
import { lowerFloatParse } from "./parse-ops.js";
import { lowerChannelOp } from "./channels.js";
import { lowerNumberOp } from "./number-ops.js";
import { recv, recvType } from "./receiver.js";
import { lowerWeakOp } from "./rc.js";

type BuiltinExpr = Extract<TExpr, { kind: "builtin" }>;

export function lowerBuiltin(fl: Lowerer, e: TExpr): Ref {
  if (e.kind !== "builtin") throw new CodegenError(`${e.kind} expressions are not supported yet`, e.span);
  return builtin(fl, e);
}

function payloadOffset(fl: Lowerer, t: Type, name: string): { offset: number; wasm: WType; type: Type } {
  if (t.kind !== "enum") throw new CodegenError("payload of a non-enum");
  const k = variantIndex(fl, t, name);
  const f = fl.g.layouts.variantLayouts(t.name)[k].fields[0];
  return f ? { offset: f.offset, wasm: f.wasm, type: f.type } : { offset: ENUM_PAYLOAD, wasm: none, type: { kind: "unit" } };
}



function recvFresh(fl: Lowerer, r: TReceiver | undefined): boolean {
  return !!r && r.kind === "value" && !fl.isBorrowed(r.value) && r.value.kind !== "string";
}

function seqElem(t: Type): Type {
  if (t.kind === "vec" || t.kind === "array" || t.kind === "slice") return t.elem;
  throw new CodegenError(`not a sequence: ${t.kind}`);
}

function write(fl: Lowerer, fd: number, newline: boolean, arg: TExpr | undefined): Ref {
  const { m, ir, g } = fl;
  if (!arg || arg.type.kind === "unit") {
    if (!newline) return arg ? fl.stmtize(fl.expr(arg)) : m.nop();
    const nl = g.bytes("\n");
    return m.block(null, [arg ? fl.stmtize(fl.expr(arg)) : m.nop(), m.call(RTT.write, [ir.c32(fd), ir.c32(nl.ptr), ir.c32(nl.len)], none)]);
  }
  if (arg.kind === "string") {
    const b = g.bytes(arg.value + (newline ? "\n" : ""));
    return m.call(RTT.write, [ir.c32(fd), ir.c32(b.ptr), ir.c32(b.len)], none);
  }
  const sb = fl.tmp(i32);
  const S = () => ir.get(fl.locals, sb);
  return m.block(null, [
    ir.set(sb, m.call(STR.new, [ir.c32(32)], i32)),
    fmtValue(g, arg.type, S(), fl.borrow(arg)),
    newline ? m.call(STR.pushByte, [S(), ir.c32(10)], none) : m.nop(),
    m.call(RTT.write, [ir.c32(fd), ir.load32(S(), HDR.DATA), ir.load32(S(), HDR.LEN)], none),
    m.call(STR.free, [S()], none),
  ]);
}

function panicMsg(fl: Lowerer, e: BuiltinExpr, base: string, withArg: boolean): Ref {
  const a = e.args[0];
  if (!withArg || !a) return fl.panic(e.span, base || "explicit panic");
  if (a.kind === "string") return fl.panic(e.span, base ? `${base}: ${a.value}` : a.value);
  return panicWithString(fl, e.span, base, a);
}

/**
 * karac's wording for unwrapping the absent variant: `called unwrap() on None`, `expect("msg")`
 * gives `msg: None`, and `expect()` without a message `expect() called on None`.
 */
function unwrapPanic(fl: Lowerer, e: BuiltinExpr, what: string): Ref {
  const { m, ir } = fl;
  if (!e.op.endsWith("expect")) return fl.panic(e.span, `called ${e.op === "result.unwrap_err" ? "unwrap_err()" : "unwrap()"} on ${what}`);
  const msg = e.args[0];
  if (!msg) return fl.panic(e.span, `expect() called on ${what}`);
  if (msg.kind === "string") return fl.panic(e.span, `${msg.value}: ${what}`);
  // The run ends here, so the joined message is never freed.
  const s = fl.tmp(i32);
  return m.block(null, [
    ir.set(s, m.call(STR.new, [ir.c32(64)], i32)),
    m.call(STR.pushStr, [ir.get(fl.locals, s), fl.borrow(msg)], none),
    m.call(STR.pushStr, [ir.get(fl.locals, s), ir.c32(fl.g.staticString(`: ${what}`))], none),
    m.call(RTT.panic, [fl.site(e.span), ir.get(fl.locals, s)], none),
    m.unreachable(),
  ]);
}

/** Panic whose message is a String computed at run time (`panic(f"bad {x}")`), after `prefix: ` if any. */
function panicWithString(fl: Lowerer, span: TExpr["span"], prefix: string, msg: TExpr): Ref {
  const { m, ir } = fl;
  let text = fl.borrow(msg);
  if (prefix) {
    // The run ends here, so the joined message is never freed.
    const s = fl.tmp(i32);
    text = m.block(null, [
      ir.set(s, m.call(STR.new, [ir.c32(64)], i32)),
      m.call(STR.pushStr, [ir.get(fl.locals, s), ir.c32(fl.g.staticString(`${prefix}: `))], none),
      m.call(STR.pushStr, [ir.get(fl.locals, s), text], none),
      ir.get(fl.locals, s),
    ], i32);
  }
  return m.block(null, [m.call(RTT.panic, [fl.site(span), text], none), m.unreachable()]);
}

/**
 * `assert_eq(a, b)` / `assert_ne(a, b)`: each operand is evaluated once; a failure panics with
 * both values on lines of their own (`assertion \`left == right\` failed\n  left: 1\n right: 2`),
 * so the report of a failing test names them.
 */
function assertCompare(fl: Lowerer, e: BuiltinExpr, wantEqual: boolean): Ref {
  const { m, ir, g, L } = fl;
  const t = e.args[0].type;
  const title = wantEqual ? "assertion `left == right` failed" : "assertion `left != right` failed";
  const w = L.wasm(t);
  if (w === none) {
    const eq = eqValue(g, t, fl.borrow(e.args[0]), fl.borrow(e.args[1]));
    return m.if(wantEqual ? m.i32.eqz(eq) : eq, fl.panic(e.span, title));
  }
  const [a, b, sb] = [fl.tmp(w), fl.tmp(w), fl.tmp(i32)];
  const get = (k: number) => ir.get(fl.locals, k);
  const eq = eqValue(g, t, get(a), get(b));
  // The run ends here, so the message is never freed.
  const fail = m.block(null, [
    ir.set(sb, m.call(STR.new, [ir.c32(64)], i32)),
    m.call(STR.pushStr, [get(sb), ir.c32(g.staticString(`${title}\n  left: `))], none),
    fmtValue(g, t, get(sb), get(a)),
    m.call(STR.pushStr, [get(sb), ir.c32(g.staticString("\n right: "))], none),
    fmtValue(g, t, get(sb), get(b)),
    m.call(RTT.panic, [fl.site(e.span), get(sb)], none),
    m.unreachable(),
  ]);
  return m.block(null, [ir.set(a, fl.borrow(e.args[0])), ir.set(b, fl.borrow(e.args[1])), m.if(wantEqual ? m.i32.eqz(eq) : eq, fail)], none);
}

function len64(fl: Lowerer, hdr: Ref): Ref {
  return fl.m.i64.extend_u(fl.ir.load32(hdr, HDR.LEN));
}

/**
 * Which lowering handles each builtin op. Typed as a record over every op, so a builtin added to
 * the registry (compiler/tir/builtins.ts) does not compile until it has a lowering here; the
 * "core" ops are further checked by the exhaustive switch in lowerCore.
 */
const LOWERING = {
  "print": "core", "println": "core", "eprintln": "core", "dbg": "core", "to_string": "core", "panic": "core", "todo": "core",
  "unreachable": "core", "assert": "core", "assert_eq": "core", "assert_ne": "core", "min": "core", "max": "core",
  "clamp": "core", "cmp": "seq", "ref_eq": "number",
  "vec.new": "core", "vec.with_capacity": "core", "vec.filled": "core", "vec.push": "core", "vec.pop": "core",
  "vec.len": "core", "vec.is_empty": "core", "vec.get": "core", "vec.first": "core", "vec.last": "core", "vec.contains": "core",
  "vec.insert": "core", "vec.remove": "core", "vec.clear": "core", "vec.truncate": "core", "vec.reverse": "core",
  "vec.sort": "core", "vec.swap": "core", "vec.join": "core", "vec.extend": "core", "vec.clone": "core", "vec.eq": "core",
  "vec.sort_by": "seq", "vec.sort_by_key": "seq", "vec.binary_search": "seq", "vec.dedup": "seq", "vec.retain": "seq",
  "vec.fill": "seq", "vec.swap_remove": "seq", "vec.sorted": "seq", "vec.is_sorted": "seq", "vec.windows": "seq", "vec.windows_view": "seq", "vec.chunks_view": "seq",
  "vec.chunks": "seq", "vec.sorted_by": "seq", "vec.sorted_by_key": "seq", "vec.split_off": "seq",
  "array.len": "core", "array.get": "core", "array.contains": "core",
  "slice.len": "core", "slice.get": "core",
  "string.new": "core", "string.from": "core", "string.len": "core", "string.is_empty": "core", "string.push": "core",
  "string.push_str": "core", "string.concat": "core", "string.contains": "core", "string.starts_with": "core",
  "string.ends_with": "core", "string.char_count": "core", "string.clone": "core", "string.trim": "core", "string.trim_start": "text",
  "string.trim_end": "text", "string.to_uppercase": "text", "string.to_lowercase": "text", "string.repeat": "core",
  "string.split": "text", "string.lines": "text", "string.split_whitespace": "text", "string.replace": "text",
  "string.replacen": "text", "string.find": "text", "string.char_at": "text", "string.substring": "text", "string.slice": "text", "string.strip_prefix": "text",
  "string.strip_suffix": "text", "string.cmp": "seq", "string.bytes": "text", "string.from_utf8": "text",
  "string.rfind": "text", "string.split_once": "text", "string.rsplit_once": "text", "string.to_ascii_uppercase": "text",
  "string.to_ascii_lowercase": "text",
  "char.is_digit": "core", "char.to_digit": "core", "char.is_alphabetic": "text", "char.is_whitespace": "text",
  "char.is_alphanumeric": "text", "char.is_numeric": "text", "char.is_uppercase": "text", "char.is_lowercase": "text",
  "char.is_ascii": "text", "char.is_ascii_digit": "text", "char.is_ascii_alphabetic": "text", "char.to_ascii_uppercase": "text",
  "char.to_ascii_lowercase": "text", "char.to_uppercase": "text", "char.to_lowercase": "text", "char.try_from": "text",
  "int.abs": "core", "int.pow": "core", "int.min": "core", "int.max": "core", "int.wrapping_add": "core", "int.wrapping_sub": "core",
  "int.wrapping_mul": "core", "int.checked_add": "core", "int.checked_sub": "core", "int.checked_mul": "core",
  "int.saturating_add": "core", "int.saturating_sub": "core", "int.saturating_mul": "core", "int.rem_euclid": "core",
  "int.div_euclid": "core", "int.signum": "core", "int.parse": "core", "int.MIN": "core", "int.MAX": "core",
  "float.sqrt": "core", "float.abs": "core", "float.floor": "core", "float.ceil": "core", "float.round": "core",
  "float.trunc": "core", "float.min": "core", "float.max": "core", "float.pow": "core", "float.powi": "core",
  "float.parse": "core", "float.NAN": "core", "float.INFINITY": "core", "float.EPSILON": "core",
  // numbers: bits, conversions, math (number-ops.ts)
  "int.abs_diff": "number", "int.count_ones": "number", "int.count_zeros": "number", "int.leading_zeros": "number",
  "int.trailing_zeros": "number", "int.is_power_of_two": "number", "int.next_power_of_two": "number",
  "int.reverse_bits": "number", "int.swap_bytes": "number", "int.rotate_left": "number",
  "int.rotate_right": "number", "int.to_float": "number", "int.is_ascii_digit": "number",
  "int.is_ascii_alphabetic": "number", "int.is_ascii_hexdigit": "number", "int.clamp": "number",
  "int.checked_div": "number", "int.checked_rem": "number", "int.checked_neg": "number",
  "int.wrapping_neg": "number", "int.checked_pow": "number", "int.wrapping_pow": "number",
  "int.saturating_pow": "number", "int.bits_as_float": "number", "int.checked_from": "number",
  "int.try_from": "number", "float.signum": "number", "float.recip": "number", "float.to_degrees": "number",
  "float.to_radians": "number", "float.fract": "number", "float.sin": "number", "float.cos": "number",
  "float.tan": "number", "float.exp": "number", "float.ln": "number", "float.log2": "number",
  "float.atan2": "number", "float.clamp": "number", "float.total_cmp": "number", "float.to_bits": "number",
  "float.saturating_to": "number", "float.wrapping_to": "number", "float.checked_to": "number",
  "float.trunc_to": "number",
  "ordering.reverse": "seq", "ordering.then": "seq", "ordering.is_lt": "seq", "ordering.is_le": "seq", "ordering.is_gt": "seq",
  "ordering.is_ge": "seq", "ordering.is_eq": "seq", "ordering.is_ne": "seq",
  "range.sum": "none",
  "range.contains": "collections", "range.len": "collections", "range.is_empty": "collections",
  "range_inclusive.contains": "collections", "range_inclusive.len": "collections", "range_inclusive.is_empty": "collections",
  "option.is_some": "core", "option.is_none": "core", "option.unwrap": "core", "option.expect": "core", "option.unwrap_or": "core",
  "result.is_ok": "core", "result.is_err": "core", "result.unwrap": "core", "result.expect": "core", "result.unwrap_or": "core",
  "result.unwrap_err": "core",
  "atomic.new": "core", "atomic.load": "core", "atomic.store": "core", "atomic.fetch_add": "core", "atomic.fetch_sub": "core",
  "atomic.fetch_and": "core", "atomic.fetch_or": "core", "atomic.fetch_xor": "core", "atomic.swap": "core", "atomic.compare_exchange": "core",
  "fence": "core",
  "mutex.new": "core",
  "spawn": "core",
  "taskgroup.new": "core", "taskgroup.spawn": "core", "taskgroup.cancel": "core",
  "taskhandle.join": "core",
  "map.new": "mapSet", "map.insert": "mapSet", "map.get": "mapSet", "map.get_or": "mapSet", "map.contains_key": "mapSet",
  "map.remove": "mapSet", "map.len": "mapSet", "map.is_empty": "mapSet", "map.clear": "mapSet", "map.keys": "mapSet",
  "map.values": "mapSet", "map.entries": "mapSet", "map.index": "mapSet", "map.merge": "mapSet", "map.take_value": "mapSet", "map.put_value": "mapSet",
  "set.new": "mapSet", "set.insert": "mapSet", "set.contains": "mapSet", "set.remove": "mapSet", "set.len": "mapSet",
  "set.is_empty": "mapSet", "set.clear": "mapSet", "set.to_vec": "mapSet", "set.union": "mapSet", "set.intersection": "mapSet",
  "set.difference": "mapSet",
  // VecDeque, SortedMap, SortedSet, Vec.from_slice (collections.ts)
  "deque.new": "collections", "deque.from": "collections", "deque.push_back": "collections", "deque.push_front": "collections",
  "deque.pop_back": "collections", "deque.pop_front": "collections", "deque.front": "collections", "deque.back": "collections",
  "sortedmap.new": "collections", "sortedmap.min": "collections", "sortedmap.max": "collections", "sortedmap.floor": "collections",
  "sortedmap.ceiling": "collections", "sortedmap.range": "collections", "sortedset.new": "collections", "sortedset.min": "collections",
  "sortedset.max": "collections", "vec.from_slice": "collections",
  "iter.from_vec": "collections", "iter.next": "collections", "iter.peek": "collections", "iter.to_vec": "collections",
  "channel.new": "channel",
  "sender.send": "channel", "sender.clone": "channel",
  "receiver.recv": "channel", "receiver.try_recv": "channel",
  "weak.downgrade": "rc", "weak.from_option": "rc", "weak.upgrade": "rc",
} as const satisfies Record<BuiltinOp, LoweringFamily>;

/** The lowering families: this file's switch, the helpers that lower a group of ops, or none yet. */
type LoweringFamily = "core" | "seq" | "text" | "mapSet" | "channel" | "number" | "collections" | "rc" | "none";

/** Lowers one builtin; undefined when the family does not handle this op (a compile error, below). */
type Lowering = (fl: Lowerer, e: BuiltinExpr) => Ref | undefined;

type CoreOp = { [K in BuiltinOp]: (typeof LOWERING)[K] extends "core" ? K : never }[BuiltinOp];

const FAMILIES: Record<LoweringFamily, Lowering> = {
  core: (fl, e) => lowerCore(fl, e, e.op as CoreOp),
  seq: lowerSeqOp,
  text: lowerStringOp,
  // A SortedMap / SortedSet snapshot comes in key order; everything else is the Map / Set op.
  mapSet: (fl, e) => lowerSortedSnapshot(fl, e) ?? lowerMapSet(fl, e),
  channel: lowerChannelOp,
  collections: lowerCollectionOp,
  number: lowerNumberOp,
  rc: lowerWeakOp,
  // `(a..b).sum()` outside a loop reduction is checked but has no lowering yet.
  none: () => undefined,
};

function builtin(fl: Lowerer, e: BuiltinExpr): Ref {
  const r = FAMILIES[LOWERING[e.op]](fl, e);
  if (r === undefined) throw new CodegenError(`builtin ${e.op} is not supported yet`, e.span);
  return r;
}

function lowerCore(fl: Lowerer, e: BuiltinExpr, op: CoreOp): Ref {
  const { m, ir, g, L } = fl;
  const arg = (k: number) => fl.expr(e.args[k]);
  const lo = fl.locals;
  switch (op) {
    case "print":
      return write(fl, 1, false, e.args[0]);
    case "println":
      return write(fl, 1, true, e.args[0]);
    case "eprintln":
      return write(fl, 2, true, e.args[0]);
    case "dbg":
      return lowerDbg(fl, e);
    case "to_string": {
      const t = e.receiver ? recvType(e.receiver) : e.args[0].type;
      const v = e.receiver ? recv(fl, e.receiver) : fl.borrow(e.args[0]);
      const sb = fl.tmp(i32);
      return m.block(null, [ir.set(sb, m.call(STR.new, [ir.c32(16)], i32)), fmtValue(g, t, ir.get(lo, sb), v), ir.get(lo, sb)], i32);
    }
    case "panic":
      return panicMsg(fl, e, "", true);
    case "todo":
      return panicMsg(fl, e, "not yet implemented", true);
    case "unreachable":
      return panicMsg(fl, e, "entered unreachable code", true);
    case "assert": {
      const msgArg = e.args[1];
      // A computed message is evaluated only when the assertion fails.
      const fail = !msgArg ? fl.panic(e.span, "assertion failed")
        : msgArg.kind === "string" ? fl.panic(e.span, msgArg.value)
        : panicWithString(fl, e.span, "", msgArg);
      return m.if(m.i32.eqz(arg(0)), fail);
    }
    case "assert_eq":
    case "assert_ne":
      return assertCompare(fl, e, op === "assert_eq");

    // ---------------------------------------------------------------- Vec / Array / Slice
    case "vec.new":
    case "vec.with_capacity": {
      const el = seqElem(e.type);
      const cap = op === "vec.new" ? ir.c32(0) : m.i32.wrap(arg(0));
      return m.call(VEC.new, [cap, ir.c32(L.elemBytes(el))], i32);
    }
    case "vec.filled":
      return fl.expr({ kind: "vecRepeat", value: e.args[1], count: e.args[0], type: e.type, span: e.span });
    case "vec.push": {
      const el = seqElem(recvType(e.receiver));
      const w = L.wasm(el);
      if (w === none) return fl.stmtize(arg(0));
      const x = fl.tmp(w);
      return m.block(null, [
        ir.set(x, fl.consume(e.args[0])),
        ir.storeSlot(L.elem(el), m.call(VEC.pushSlot, [recv(fl, e.receiver), ir.c32(L.elemBytes(el))], i32), ir.get(lo, x)),
      ]);
    }
    case "vec.pop": {
      const el = seqElem(recvType(e.receiver));
      const w = L.wasm(el);
      const es = L.elemBytes(el);
      const v = fl.tmp(i32);
      const n = fl.tmp(i32);
      const V = () => ir.get(lo, v);
      return m.block(
        null,
        [
          ir.set(v, recv(fl, e.receiver)),
          ir.set(n, ir.load32(V(), HDR.LEN)),
          m.if(
            m.i32.eqz(ir.get(lo, n)),
            makeVariant(fl, e.type, "None"),
            m.block(
              null,
              [
                ir.set(n, m.i32.sub(ir.get(lo, n), ir.c32(1))),
                ir.store32(V(), ir.get(lo, n), HDR.LEN),
                makeVariant(fl, e.type, "Some", w === none ? undefined : ir.loadSlot(L.elem(el), ir.elemAt(ir.load32(V(), HDR.DATA), ir.get(lo, n), es))),
              ],
              i32,
            ),
          ),
        ],
        i32,
      );
    }
    case "vec.len":
    case "array.len":
    case "slice.len":
      return len64(fl, recv(fl, e.receiver));
    case "vec.is_empty":
      return m.i32.eqz(ir.load32(recv(fl, e.receiver), HDR.LEN));
    case "vec.get":
    case "array.get":
    case "slice.get":
    case "vec.first":
    case "vec.last": {
      const el = seqElem(recvType(e.receiver));
      const w = L.wasm(el);
      const es = L.elemBytes(el);
      const v = fl.tmp(i32);
      const i = fl.tmp(i64);
      const V = () => ir.get(lo, v);
      const index =
        op === "vec.first" ? ir.c64(0) : op === "vec.last" ? m.i64.sub(len64(fl, V()), ir.c64(1)) : arg(0);
      return m.block(
        null,
        [
          ir.set(v, recv(fl, e.receiver)),
          ir.set(i, index),
          m.if(
            m.i64.lt_u(ir.get(lo, i), len64(fl, V())),
            makeVariant(
              fl,
              e.type,
              "Some",
              w === none ? undefined : fl.copyValue(el, ir.loadSlot(L.elem(el), ir.elemAt(ir.load32(V(), HDR.DATA), m.i32.wrap(ir.get(lo, i)), es))),
            ),
            makeVariant(fl, e.type, "None"),
          ),
        ],
        i32,
      );
    }
    case "vec.contains":
    case "array.contains": {
      const el = seqElem(recvType(e.receiver));
      const w = L.wasm(el);
      const es = L.elemBytes(el);
      const v = fl.tmp(i32);
      const x = w === none ? -1 : fl.tmp(w);
      const i = fl.tmp(i32);
      const r = fl.tmp(i32);
      const top = fl.label("contains");
      if (x < 0) return m.i32.ne(ir.load32(recv(fl, e.receiver), HDR.LEN), ir.c32(0));
      return m.block(
        null,
        [
          ir.set(v, recv(fl, e.receiver)),
          ir.set(x, fl.borrow(e.args[0])),
          ir.set(i, ir.c32(0)),
          ir.set(r, ir.c32(0)),
          m.loop(
            top,
            m.if(
              m.i32.and(m.i32.eqz(ir.get(lo, r)), m.i32.lt_u(ir.get(lo, i), ir.load32(ir.get(lo, v), HDR.LEN))),
              m.block(null, [
                ir.set(r, eqValue(g, el, ir.loadSlot(L.elem(el), ir.elemAt(ir.load32(ir.get(lo, v), HDR.DATA), ir.get(lo, i), es)), ir.get(lo, x))),
                ir.set(i, m.i32.add(ir.get(lo, i), ir.c32(1))),
                m.br(top),
              ]),
            ),
          ),
          ir.get(lo, r),
        ],
        i32,
      );
    }
    case "vec.insert":
    case "vec.remove": {
      const el = seqElem(recvType(e.receiver));
      const w = L.wasm(el);
      const es = L.elemBytes(el);
      const v = fl.tmp(i32);
      const i = fl.tmp(i64);
      const V = () => ir.get(lo, v);
      const at = () => ir.elemAt(ir.load32(V(), HDR.DATA), m.i32.wrap(ir.get(lo, i)), es);
      const tail = () => m.i32.mul(m.i32.sub(ir.load32(V(), HDR.LEN), m.i32.wrap(ir.get(lo, i))), ir.c32(es));
      if (op === "vec.insert") {
        const x = w === none ? -1 : fl.tmp(w);
        return m.block(null, [
          ir.set(v, recv(fl, e.receiver)),
          ir.set(i, arg(0)),
          x >= 0 ? ir.set(x, fl.consume(e.args[1])) : fl.stmtize(arg(1)),
          m.if(m.i64.gt_u(ir.get(lo, i), len64(fl, V())), panicCall(fl.g, indexPanic(fl.g), fl.site(e.span), [ir.get(lo, i), len64(fl, V())])),
          m.call(VEC.reserve, [V(), ir.c32(1), ir.c32(es)], none),
          m.memory.copy(m.i32.add(at(), ir.c32(es)), at(), tail(), "mem", "mem"),
          x >= 0 ? ir.storeSlot(L.elem(el), at(), ir.get(lo, x)) : m.nop(),
          ir.store32(V(), m.i32.add(ir.load32(V(), HDR.LEN), ir.c32(1)), HDR.LEN),
        ]);
      }
      const r = w === none ? -1 : fl.tmp(w);
      return m.block(
        null,
        [
          ir.set(v, recv(fl, e.receiver)),
          ir.set(i, arg(0)),
          m.if(m.i64.ge_u(ir.get(lo, i), len64(fl, V())), panicCall(fl.g, indexPanic(fl.g), fl.site(e.span), [ir.get(lo, i), len64(fl, V())])),
          r >= 0 ? ir.set(r, ir.loadSlot(L.elem(el), at())) : m.nop(),
          m.memory.copy(at(), m.i32.add(at(), ir.c32(es)), m.i32.sub(tail(), ir.c32(es)), "mem", "mem"),
          ir.store32(V(), m.i32.sub(ir.load32(V(), HDR.LEN), ir.c32(1)), HDR.LEN),
          r >= 0 ? ir.get(lo, r) : m.nop(),
        ],
        w,
      );
    }
    case "vec.clear":
    case "vec.truncate": {
      const el = seqElem(recvType(e.receiver));
      const w = L.wasm(el);
      const es = L.elemBytes(el);
      const v = fl.tmp(i32);
      const n = fl.tmp(i32);
      const i = fl.tmp(i32);
      const d = dropFn(g, el);
      const k64 = fl.tmp(i64);
      const top = fl.label("trunc");
      return m.block(null, [
        ir.set(v, recv(fl, e.receiver)),
        op === "vec.clear" ? ir.set(n, ir.c32(0)) : ir.set(k64, arg(0)),
        op === "vec.clear"
          ? m.nop()
          : ir.set(n, m.select(m.i64.lt_u(ir.get(lo, k64), len64(fl, ir.get(lo, v))), m.i32.wrap(ir.get(lo, k64)), ir.load32(ir.get(lo, v), HDR.LEN))),
        d
          ? m.block(null, [
              ir.set(i, ir.get(lo, n)),
              m.loop(
                top,
                m.if(
                  m.i32.lt_u(ir.get(lo, i), ir.load32(ir.get(lo, v), HDR.LEN)),
                  m.block(null, [
                    m.call(d, [ir.loadSlot(L.elem(el), ir.elemAt(ir.load32(ir.get(lo, v), HDR.DATA), ir.get(lo, i), es))], none),
                    ir.set(i, m.i32.add(ir.get(lo, i), ir.c32(1))),
                    m.br(top),
                  ]),
                ),
              ),
            ])
          : m.nop(),
        m.if(m.i32.lt_u(ir.get(lo, n), ir.load32(ir.get(lo, v), HDR.LEN)), ir.store32(ir.get(lo, v), ir.get(lo, n), HDR.LEN)),
      ]);
    }
    case "vec.reverse":
    case "vec.swap": {
      const el = seqElem(recvType(e.receiver));
      const w = L.wasm(el);
      const es = L.elemBytes(el);
      const v = fl.tmp(i32);
      const a = fl.tmp(i32);
      const b = fl.tmp(i32);
      const t = w === none ? -1 : fl.tmp(w);
      const swap = () =>
        t < 0
          ? m.nop()
          : m.block(null, [
              ir.set(t, ir.loadSlot(L.elem(el), ir.get(lo, a))),
              ir.storeSlot(L.elem(el), ir.get(lo, a), ir.loadSlot(L.elem(el), ir.get(lo, b))),
              ir.storeSlot(L.elem(el), ir.get(lo, b), ir.get(lo, t)),
            ]);
      if (op === "vec.swap") {
        return m.block(null, [
          ir.set(v, recv(fl, e.receiver)),
          ir.set(a, fl.elemAddr(ir.get(lo, v), arg(0), el, "vec", e.span)),
          ir.set(b, fl.elemAddr(ir.get(lo, v), arg(1), el, "vec", e.span)),
          swap(),
        ]);
      }
      const top = fl.label("rev");
      return m.block(null, [
        ir.set(v, recv(fl, e.receiver)),
        ir.set(a, ir.load32(ir.get(lo, v), HDR.DATA)),
        ir.set(b, ir.elemAt(ir.get(lo, a), m.i32.sub(ir.load32(ir.get(lo, v), HDR.LEN), ir.c32(1)), es)),
        m.if(
          ir.load32(ir.get(lo, v), HDR.LEN),
          m.loop(
            top,
            m.if(
              m.i32.lt_u(ir.get(lo, a), ir.get(lo, b)),
              m.block(null, [
                swap(),
                ir.set(a, m.i32.add(ir.get(lo, a), ir.c32(es))),
                ir.set(b, m.i32.sub(ir.get(lo, b), ir.c32(es))),
                m.br(top),
              ]),
            ),
          ),
        ),
      ]);
    }
    case "vec.sort":
      return m.call(sortFn(g, seqElem(recvType(e.receiver))), [recv(fl, e.receiver)], none);
    case "vec.join": {
      const v = fl.tmp(i32);
      const sep = fl.tmp(i32);
      return m.block(null, [ir.set(v, recv(fl, e.receiver)), ir.set(sep, fl.borrow(e.args[0])), m.call("rt_vec_join", [ir.get(lo, v), ir.get(lo, sep)], i32)], i32);
    }
    case "vec.extend": {
      const el = seqElem(recvType(e.receiver));
      const w = L.wasm(el);
      const es = L.elemBytes(el);
      const v = fl.tmp(i32);
      const o = fl.tmp(i32);
      const i = fl.tmp(i32);
      const top = fl.label("ext");
      if (w === none) return m.nop();
      return m.block(null, [
        ir.set(v, recv(fl, e.receiver)),
        ir.set(o, fl.borrow(e.args[0])),
        ir.set(i, ir.c32(0)),
        m.loop(
          top,
          m.if(
            m.i32.lt_u(ir.get(lo, i), ir.load32(ir.get(lo, o), HDR.LEN)),
            m.block(null, [
              ir.storeSlot(
                L.elem(el),
                m.call(VEC.pushSlot, [ir.get(lo, v), ir.c32(es)], i32),
                fl.copyValue(el, ir.loadSlot(L.elem(el), ir.elemAt(ir.load32(ir.get(lo, o), HDR.DATA), ir.get(lo, i), es))),
              ),
              ir.set(i, m.i32.add(ir.get(lo, i), ir.c32(1))),
              m.br(top),
            ]),
          ),
        ),
      ]);
    }
    case "vec.clone":
    case "string.clone": {
      // `to_vec` on a Slice copies the elements into a Vec (a slice's own copy is another view).
      const rt = recvType(e.receiver);
      return fl.copyValue(rt.kind === "slice" ? { kind: "vec", elem: rt.elem } : rt, recv(fl, e.receiver));
    }
    case "vec.eq":
      return eqValue(g, recvType(e.receiver), recv(fl, e.receiver), fl.borrow(e.args[0]));

    // ---------------------------------------------------------------- String / char
    case "string.new":
      return m.call(STR.new, [ir.c32(0)], i32);
    case "string.from":
      return fl.consume(e.args[0]);
    case "string.len":
      return len64(fl, recv(fl, e.receiver));
    case "string.is_empty":
      return m.i32.eqz(ir.load32(recv(fl, e.receiver), HDR.LEN));
    case "string.push":
      return m.call(STR.pushChar, [recv(fl, e.receiver), arg(0)], none);
    case "string.push_str":
      return m.call(STR.pushStr, [recv(fl, e.receiver), fl.borrow(e.args[0])], none);
    case "string.concat":
      return m.call(STR.concat, [recv(fl, e.receiver), fl.borrow(e.args[0])], i32);
    case "string.contains":
    case "string.starts_with":
    case "string.ends_with":
      return m.call(`rt_${op.replace(".", "_")}`, [recv(fl, e.receiver), fl.borrow(e.args[0])], i32);
    case "string.char_count":
      return m.call("rt_string_char_count", [recv(fl, e.receiver)], i64);
    case "string.trim":
      return m.call(`rt_${op.replace(".", "_")}`, [recv(fl, e.receiver)], i32);
    case "string.repeat":
      return m.call("rt_string_repeat", [recv(fl, e.receiver), arg(0)], i32);
    case "char.is_digit":
      return m.i32.ge_s(m.call("rt_char_digit", [recv(fl, e.receiver), e.args[0] ? m.i32.wrap(toI64(fl, e.args[0])) : ir.c32(10)], i32), ir.c32(0));
    case "char.to_digit": {
      const d = fl.tmp(i32);
      return m.block(
        null,
        [
          ir.set(d, m.call("rt_char_digit", [recv(fl, e.receiver), e.args[0] ? m.i32.wrap(toI64(fl, e.args[0])) : ir.c32(10)], i32)),
          m.if(m.i32.lt_s(ir.get(lo, d), ir.c32(0)), makeVariant(fl, e.type, "None"), makeVariant(fl, e.type, "Some", ir.get(lo, d))),
        ],
        i32,
      );
    }

    // ---------------------------------------------------------------- numbers
    case "int.MIN":
    case "int.MAX": {
      const t = (e.typeArgs[0] ?? e.type) as IntT;
      const v = op === "int.MIN" ? intMin(t) : intMax(t);
      return t.bits === 64 ? ir.c64(v) : ir.c32(Number(BigInt.asIntN(32, v)));
    }
    case "int.abs": {
      const t = recvType(e.receiver) as IntT;
      if (!t.signed) return recv(fl, e.receiver);
      return negPrepared(fl, t, e);
    }
    case "int.pow": {
      const t = recvType(e.receiver) as IntT;
      return m.call(powFn(fl, t), [recv(fl, e.receiver), m.i32.wrap(toI64(fl, e.args[0])), fl.site(e.span)], L.wasm(t));
    }
    case "int.min":
    case "int.max":
    case "min":
    case "max": {
      const t = e.receiver ? recvType(e.receiver) : e.args[0].type;
      const a = fl.tmp(L.wasm(t));
      const b = fl.tmp(L.wasm(t));
      const first = e.receiver ? recv(fl, e.receiver) : fl.borrow(e.args[0]);
      const second = e.receiver ? fl.borrow(e.args[0]) : fl.borrow(e.args[1]);
      const isMin = op.endsWith("min");
      // On a tie min keeps the first argument and max the second (observable with a user `cmp`).
      const pick = fl.compare(isMin ? "<=" : ">", t, ir.get(lo, a), ir.get(lo, b));
      const res = m.select(pick, ir.get(lo, a), ir.get(lo, b));
      return m.block(null, [ir.set(a, first), ir.set(b, second), L.owned(t) ? fl.copyValue(t, res) : res], L.wasm(t));
    }
    case "clamp": {
      const t = e.args[0].type;
      const w = L.wasm(t);
      const v = fl.tmp(w);
      const a = fl.tmp(w);
      const b = fl.tmp(w);
      return m.block(
        null,
        [
          ir.set(v, fl.borrow(e.args[0])),
          ir.set(a, fl.borrow(e.args[1])),
          ir.set(b, fl.borrow(e.args[2])),
          m.if(fl.compare("<", t, ir.get(lo, v), ir.get(lo, a)), ir.set(v, ir.get(lo, a))),
          m.if(fl.compare(">", t, ir.get(lo, v), ir.get(lo, b)), ir.set(v, ir.get(lo, b))),
          L.owned(t) ? fl.copyValue(t, ir.get(lo, v)) : ir.get(lo, v),
        ],
        w,
      );
    }
    case "int.wrapping_add":
    case "int.wrapping_sub":
    case "int.wrapping_mul": {
      const t = recvType(e.receiver) as IntT;
      const o = t.bits === 64 ? m.i64 : m.i32;
      const f = op === "int.wrapping_add" ? o.add : op === "int.wrapping_sub" ? o.sub : o.mul;
      const r = f(recv(fl, e.receiver), arg(0));
      return t.bits === 64 ? r : normalize32(g, t, r);
    }
    case "int.checked_add":
    case "int.checked_sub":
    case "int.checked_mul":
    case "int.saturating_add":
    case "int.saturating_sub":
    case "int.saturating_mul": {
      const t = recvType(e.receiver) as IntT;
      const kind = op.endsWith("add") ? "add" : op.endsWith("sub") ? "sub" : "mul";
      const w = L.wasm(t);
      const a = fl.tmp(w);
      const b = fl.tmp(w);
      const ok = fl.tmp(i32);
      const r = fl.tmp(w);
      const calc = m.call(overflowFn(fl, t, kind), [ir.get(lo, a), ir.get(lo, b)], i64);
      // overflowFn returns the wrapped result in the low bits; the flag comes from rt state
      const res: Ref[] = [ir.set(a, recv(fl, e.receiver)), ir.set(b, arg(0))];
      const packed = fl.tmp(i64);
      res.push(ir.set(packed, calc));
      res.push(ir.set(ok, m.i32.eqz(m.call("rt_ovf_flag", [], i32))));
      res.push(ir.set(r, t.bits === 64 ? ir.get(lo, packed) : m.i32.wrap(ir.get(lo, packed))));
      if (op.startsWith("int.checked")) {
        res.push(m.if(ir.get(lo, ok), makeVariant(fl, e.type, "Some", ir.get(lo, r)), makeVariant(fl, e.type, "None")));
        return m.block(null, res, i32);
      }
      // saturate toward the sign of the true result
      const o = t.bits === 64 ? m.i64 : m.i32;
      const zero = t.bits === 64 ? ir.c64(0) : ir.c32(0);
      const mk = (v: bigint) => (t.bits === 64 ? ir.c64(v) : ir.c32(Number(BigInt.asIntN(32, v))));
      let negative: Ref;
      if (!t.signed) negative = ir.c32(kind === "sub" ? 1 : 0);
      else if (kind === "mul") negative = m.i32.ne(o.lt_s(ir.get(lo, a), zero), o.lt_s(ir.get(lo, b), zero));
      else if (kind === "add") negative = o.lt_s(ir.get(lo, a), zero);
      else negative = o.lt_s(ir.get(lo, a), zero);
      res.push(m.select(ir.get(lo, ok), ir.get(lo, r), m.select(negative, mk(intMin(t)), mk(intMax(t)))));
      return m.block(null, res, w);
    }
    case "int.rem_euclid":
    case "int.div_euclid": {
      const t = recvType(e.receiver) as IntT;
      const w = L.wasm(t);
      const o = t.bits === 64 ? m.i64 : m.i32;
      const zero = t.bits === 64 ? ir.c64(0) : ir.c32(0);
      const one = t.bits === 64 ? ir.c64(1) : ir.c32(1);
      const a = fl.tmp(w);
      const b = fl.tmp(w);
      const r = fl.tmp(w);
      const q = fl.tmp(w);
      const site = fl.site(e.span);
      const body: Ref[] = [
        ir.set(a, recv(fl, e.receiver)),
        ir.set(b, arg(0)),
        ir.set(r, m.call(checkedBinary(g, "%", t), [ir.get(lo, a), ir.get(lo, b), site], w)),
      ];
      if (op === "int.rem_euclid") {
        if (t.signed)
          body.push(
            m.if(
              o.lt_s(ir.get(lo, r), zero),
              ir.set(r, m.select(o.lt_s(ir.get(lo, b), zero), o.sub(ir.get(lo, r), ir.get(lo, b)), o.add(ir.get(lo, r), ir.get(lo, b)))),
            ),
          );
        body.push(ir.get(lo, r));
      } else {
        body.push(ir.set(q, m.call(checkedBinary(g, "/", t), [ir.get(lo, a), ir.get(lo, b), fl.site(e.span)], w)));
        if (t.signed)
          body.push(
            m.if(
              o.lt_s(ir.get(lo, r), zero),
              ir.set(q, m.select(o.gt_s(ir.get(lo, b), zero), o.sub(ir.get(lo, q), one), o.add(ir.get(lo, q), one))),
            ),
          );
        body.push(ir.get(lo, q));
      }
      return m.block(null, body, w);
    }
    case "int.signum": {
      const t = recvType(e.receiver) as IntT;
      const x = fl.tmp(L.wasm(t));
      const o = t.bits === 64 ? m.i64 : m.i32;
      const zero = t.bits === 64 ? ir.c64(0) : ir.c32(0);
      const s = m.i32.sub(o.gt_s(ir.get(lo, x), zero), o.lt_s(ir.get(lo, x), zero));
      return m.block(null, [ir.set(x, recv(fl, e.receiver)), t.bits === 64 ? m.i64.extend_s(s) : s], L.wasm(t));
    }
    case "float.parse":
      return lowerFloatParse(fl, e);
    case "int.parse": {
      const t = (e.typeArgs[0] ?? { kind: "int", name: "i64", bits: 64, signed: true }) as IntT;
      const ok = fl.tmp(i32);
      const v = fl.tmp(i64);
      const s = fl.borrow(e.args[0] ?? (e.receiver && e.receiver.kind === "value" ? e.receiver.value : e.args[0]));
      const inRange = t.signed
        ? m.i32.and(m.i64.ge_s(ir.get(lo, v), ir.c64(intMin(t))), m.i64.le_s(ir.get(lo, v), ir.c64(intMax(t))))
        : t.bits === 64
          ? ir.c32(1)
          : m.i64.le_u(ir.get(lo, v), ir.c64(intMax(t)));
      return m.block(
        null,
        [
          ir.set(v, m.call("rt_parse_int", [s, ir.c32(t.signed ? 1 : 0)], i64)),
          ir.set(ok, m.i32.and(m.i32.eqz(m.call("rt_ovf_flag", [], i32)), inRange)),
          m.if(
            ir.get(lo, ok),
            makeVariant(fl, e.type, "Some", t.bits === 64 ? ir.get(lo, v) : m.i32.wrap(ir.get(lo, v))),
            makeVariant(fl, e.type, "None"),
          ),
        ],
        i32,
      );
    }
    case "float.NAN":
    case "float.INFINITY":
    case "float.EPSILON": {
      const t = (e.typeArgs[0] ?? e.type) as Extract<Type, { kind: "float" }>;
      const v = op === "float.NAN" ? NaN : op === "float.INFINITY" ? Infinity : t.bits === 32 ? 1.1920928955078125e-7 : Number.EPSILON;
      return t.bits === 32 ? m.f32.const(v) : m.f64.const(v);
    }
    case "float.sqrt":
    case "float.abs":
    case "float.floor":
    case "float.ceil":
    case "float.trunc":
    case "float.round": {
      const t = recvType(e.receiver) as Extract<Type, { kind: "float" }>;
      const o = t.bits === 64 ? m.f64 : m.f32;
      const x = recv(fl, e.receiver);
      switch (op) {
        case "float.sqrt":
          return o.sqrt(x);
        case "float.abs":
          return o.abs(x);
        case "float.floor":
          return o.floor(x);
        case "float.ceil":
          return o.ceil(x);
        case "float.trunc":
          return o.trunc(x);
        default:
          return m.call(t.bits === 64 ? "rt_round64" : "rt_round32", [x], t.bits === 64 ? f64 : f32);
      }
    }
    case "float.min":
    case "float.max": {
      const t = recvType(e.receiver) as Extract<Type, { kind: "float" }>;
      const name = `rt_f${t.bits}_${op === "float.min" ? "min" : "max"}`;
      return m.call(name, [recv(fl, e.receiver), arg(0)], t.bits === 64 ? f64 : f32);
    }
    case "float.powi":
    case "float.pow": {
      const t = recvType(e.receiver) as Extract<Type, { kind: "float" }>;
      const x = t.bits === 64 ? recv(fl, e.receiver) : m.f64.promote(recv(fl, e.receiver));
      const yT = e.args[0].type;
      let y = arg(0);
      if (yT.kind === "int") y = yT.bits === 64 ? m.f64.convert_s.i64(y) : m.f64.convert_s.i32(y);
      else if (yT.kind === "float" && yT.bits === 32) y = m.f64.promote(y);
      const r = m.call("rt_pow", [x, y], f64);
      return t.bits === 64 ? r : m.f32.demote(r);
    }

    // ---------------------------------------------------------------- Option / Result
    case "option.is_some":
    case "option.is_none":
    case "result.is_ok":
    case "result.is_err": {
      const t = recvType(e.receiver);
      const name = op === "option.is_some" ? "Some" : op === "option.is_none" ? "None" : op === "result.is_ok" ? "Ok" : "Err";
      const boxed = t.kind === "enum" && L.enumBoxed(t.name);
      const v = recv(fl, e.receiver);
      return m.i32.eq(boxed ? ir.load32(v) : v, ir.c32(variantIndex(fl, t, name)));
    }
    case "option.unwrap":
    case "option.expect":
    case "result.unwrap":
    case "result.expect":
    case "result.unwrap_err":
    case "option.unwrap_or":
    case "result.unwrap_or": {
      const t = recvType(e.receiver);
      const want = op.startsWith("option") ? "Some" : op === "result.unwrap_err" ? "Err" : "Ok";
      const f = payloadOffset(fl, t, want);
      const w = L.wasm(e.type);
      const fresh = recvFresh(fl, e.receiver);
      const o = fl.tmp(i32);
      const r = w === none ? -1 : fl.tmp(w);
      const take = (): Ref => {
        if (r < 0) return m.nop();
        const raw = ir.load(f.wasm, ir.get(lo, o), f.offset);
        return ir.set(r, fresh ? raw : fl.copyValue(e.type, raw));
      };
      const matches = m.i32.eq(ir.load32(ir.get(lo, o)), ir.c32(variantIndex(fl, t, want)));
      const body: Ref[] = [ir.set(o, fresh ? fl.expr((e.receiver as { value: TExpr }).value) : recv(fl, e.receiver))];
      if (op.endsWith("unwrap_or")) {
        const d = w === none ? m.nop() : fl.consume(e.args[0]);
        // An owned Err(e) receiver is used up here: its payload is dropped with it.
        const other = op.startsWith("result") && fresh ? payloadOffset(fl, t, "Err") : undefined;
        const dropOther = other && other.wasm !== none ? fl.dropValue(other.type, ir.load(other.wasm, ir.get(lo, o), other.offset)) : m.nop();
        body.push(m.if(matches, take(), m.block(null, [dropOther, r < 0 ? fl.stmtize(d) : ir.set(r, d)])));
        if (fresh) body.push(m.call(FREE, [ir.get(lo, o)], none));
      } else {
        const what = op.startsWith("option") ? "None" : op === "result.unwrap_err" ? "Ok" : "Err";
        body.push(m.if(m.i32.eqz(matches), unwrapPanic(fl, e, what)), take());
        if (fresh) body.push(m.call(FREE, [ir.get(lo, o)], none));
      }
      if (r >= 0) body.push(ir.get(lo, r));
      return m.block(null, body, w);
    }

    // ---------------------------------------------------------------- concurrency
    case "atomic.new":
      return atomicNew(fl, e.typeArgs[0] ?? e.args[0].type, fl.consume(e.args[0]));
    case "atomic.load":
    case "atomic.store":
    case "atomic.fetch_add":
    case "atomic.fetch_sub":
    case "atomic.fetch_and":
    case "atomic.fetch_or":
    case "atomic.fetch_xor":
    case "atomic.swap":
    case "atomic.compare_exchange": {
      const rt = recvType(e.receiver);
      const inner = e.typeArgs[0] ?? (rt.kind === "atomic" ? rt.inner : e.type);
      const args = e.args.filter((a) => a.type.kind !== "memoryOrdering").map((a) => fl.expr(a));
      return atomicOp(fl, op, inner, recv(fl, e.receiver), args, e.type);
    }
    case "fence":
      return m.atomic.fence();
    case "taskgroup.new":
      // The group's PARENT word links it to the enclosing task's cancel word like a par's control
      // block, so a group created in a par branch body is cancelled with that branch.
      return m.call(
        groupRuntime(fl.g).create,
        [fl.cancellable ? m.if(m.global.get(G.TASK, i32), ir.load32(m.global.get(G.TASK, i32), TASK.CANCEL), ir.c32(0)) : ir.c32(0)],
        i32,
      );
    case "taskgroup.spawn":
      return lowerSpawn(fl, e.args[0], recv(fl, e.receiver), e.span);
    case "spawn":
      return lowerSpawn(fl, e.args[0], undefined, e.span);
    case "taskgroup.cancel":
      // The group record's first word is the cancel word its tasks observe (TASK.CANCEL).
      return m.i32.atomic.store(0, recv(fl, e.receiver), ir.c32(1), "mem");
    case "taskhandle.join":
      return lowerJoin(fl, recv(fl, e.receiver), e.type);
    case "mutex.new": {
      const t = e.args[0].type;
      const w = L.wasm(t);
      const p = fl.tmp(i32);
      return m.block(
        null,
        [
          ir.set(p, m.call(ALLOC, [ir.c32(16)], i32)),
          m.memory.fill(ir.get(lo, p), ir.c32(0), ir.c32(16), "mem"),
          ir.store32(ir.get(lo, p), ir.c32(syncSiteWord(g, "mutex", e)), SYNC_SITE.MUTEX),
          w === none ? fl.stmtize(fl.expr(e.args[0])) : ir.store(w, ir.get(lo, p), fl.consume(e.args[0]), 8),
          ir.get(lo, p),
        ],
        i32,
      );
    }
    default: {
      const unhandled: never = op;
      throw new CodegenError(`builtin ${String(unhandled)} has no lowering`, e.span);
    }
  }
}

function negPrepared(fl: Lowerer, t: IntT, e: BuiltinExpr): Ref {
  // |x| with the overflow check of negation for MIN.
  const { m, ir, L, g } = fl;
  const x = fl.tmp(L.wasm(t));
  const o = t.bits === 64 ? m.i64 : m.i32;
  const zero = t.bits === 64 ? ir.c64(0) : ir.c32(0);
  return m.block(
    null,
    [
      ir.set(x, recv(fl, e.receiver)),
      m.if(o.lt_s(ir.get(fl.locals, x), zero), ir.set(x, m.call(checkedNeg(g, t), [ir.get(fl.locals, x), fl.site(e.span)], L.wasm(t)))),
      ir.get(fl.locals, x),
    ],
    L.wasm(t),
  );
}

function toI64(fl: Lowerer, e: TExpr): Ref {
  const v = fl.expr(e);
  if (e.type.kind === "int" && e.type.bits < 64) return e.type.signed ? fl.m.i64.extend_s(v) : fl.m.i64.extend_u(v);
  return v;
}

/** x.pow(n) with checked multiplication at the type's width. */
function powFn(fl: Lowerer, t: IntT): string {
  const g = fl.g;
  const { m, ir } = g;
  const w = g.layouts.wasm(t);
  const mul = checkedBinary(g, "*", t);
  return g.define(`pow_${t.name}`, [w, i32, i32], w, (l) => {
    const [x, n, site] = [0, 1, 2];
    const r = l.add(w);
    const one = t.bits === 64 ? ir.c64(1) : ir.c32(1);
    return [
      ir.set(r, one),
      m.loop(
        "pow",
        m.if(
          ir.get(l, n),
          m.block(null, [ir.set(r, m.call(mul, [ir.get(l, r), ir.get(l, x), ir.get(l, site)], w)), ir.set(n, m.i32.sub(ir.get(l, n), ir.c32(1))), m.br("pow")]),
        ),
      ),
      ir.get(l, r),
    ];
  });
}

/**
 * Wrapping a op b at t's width, returned in an i64; sets the per-instance overflow flag
 * (read by rt_ovf_flag) when the true result does not fit.
 */
function overflowFn(fl: Lowerer, t: IntT, kind: "add" | "sub" | "mul"): string {
  const g = fl.g;
  const { m, ir } = g;
  const w = g.layouts.wasm(t);
  return g.define(`ovf_${kind}_${t.name}`, [w, w], i64, (l) => {
    const [a, b] = [0, 1];
    const A = () => ir.get(l, a);
    const B = () => ir.get(l, b);
    const flag = (c: Ref) => m.global.set("g_ovf", c);
    if (t.bits === 64) {
      const o = m.i64;
      const r = l.add(i64);
      const R = () => ir.get(l, r);
      if (kind === "add")
        return [ir.set(r, o.add(A(), B())), flag(t.signed ? o.lt_s(o.and(o.xor(A(), R()), o.xor(B(), R())), ir.c64(0)) : o.lt_u(R(), A())), R()];
      if (kind === "sub")
        return [ir.set(r, o.sub(A(), B())), flag(t.signed ? o.lt_s(o.and(o.xor(A(), B()), o.xor(A(), R())), ir.c64(0)) : o.lt_u(A(), B())), R()];
      return [
        ir.set(r, o.mul(A(), B())),
        flag(
          t.signed
            ? m.if(
                o.eqz(A()),
                ir.c32(0),
                m.if(o.eq(A(), ir.c64(-1)), o.eq(B(), ir.c64(intMin(t))), o.ne(o.div_s(R(), A()), B())),
              )
            : m.if(o.eqz(A()), ir.c32(0), o.ne(o.div_u(R(), A()), B())),
        ),
        R(),
      ];
    }
    const ext = (v: Ref) => (t.signed ? m.i64.extend_s(v) : m.i64.extend_u(v));
    const r = l.add(i64);
    const R = () => ir.get(l, r);
    const f = kind === "add" ? m.i64.add : kind === "sub" ? m.i64.sub : m.i64.mul;
    return [
      ir.set(r, f(ext(A()), ext(B()))),
      flag(
        t.signed
          ? m.i32.or(m.i64.lt_s(R(), ir.c64(intMin(t))), m.i64.gt_s(R(), ir.c64(intMax(t))))
          : m.i64.gt_u(R(), ir.c64(intMax(t))),
      ),
      m.i64.extend_u(normalize32(g, t, m.i32.wrap(R()))),
    ];
  });
}

