// Per-type helper functions generated on demand: drop (free an owned value), copy (deep copy
// for value semantics), fmt (append the Display rendering to a String), eq and cmp.

import binaryen from "binaryen";
import type { Type } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { i32, i64, none, TABLE, wasmSize, type Ref, type Locals, type SlotShape, type WType } from "../ir.js";
import { HDR, typeKey, type BlockLayout } from "../layout.js";
import { ALLOC, FREE } from "../runtime/alloc.js";
import { STR } from "../runtime/strings.js";
import { VEC } from "../runtime/vec.js";
import { ENV } from "./signature.js";
import { channelEndCopy, channelEndDrop } from "./channels.js";
import { deadAt, mapCopyFn, mapEqFn, mapOffsets } from "./maps.js";
import { rcReleaseFn, rcRetainFn, weakReleaseFn, weakRetainFn } from "./rc.js";

type Elem = { offset: number; type: Type; wasm: WType };


function seqElem(t: Type): Type | undefined {
  return t.kind === "vec" || t.kind === "array" || t.kind === "slice" ? t.elem : undefined;
}

/** Blocks of a struct/tuple-like type: one layout, or one per enum variant. */
function fieldsOf(g: Gen, t: Type): BlockLayout | undefined {
  if (t.kind === "struct") return g.layouts.structLayout(t.name);
  if (t.kind === "tuple") return g.layouts.tupleLayout(t.elems);
  // Map and Set are blocks of parallel Vecs plus a tombstone count (see lower/maps.ts); the
  // slots of removed entries are zeroed, so dropping every element skips them.
  const i32t: Type = { kind: "int", name: "i32", bits: 32, signed: true };
  const index: Type = { kind: "vec", elem: i32t };
  const dead: Type = { kind: "vec", elem: { kind: "int", name: "u8", bits: 8, signed: false } };
  if (t.kind === "map") return g.layouts.tupleLayout([{ kind: "vec", elem: t.key }, { kind: "vec", elem: t.value }, index, dead, i32t]);
  if (t.kind === "set") return g.layouts.tupleLayout([{ kind: "vec", elem: t.elem }, index, dead, i32t]);
  return undefined;
}

// ---------------------------------------------------------------- drop

/** Name of `drop(v)` for an owned type, or undefined when values of t own nothing. */
export function dropFn(g: Gen, t: Type): string | undefined {
  const L = g.layouts;
  if (!L.owned(t)) return undefined;
  const { m, ir } = g;
  const name = `drop:${typeKey(t)}`;
  if (t.kind === "sender" || t.kind === "receiver") return channelEndDrop(g, t, () => dropFn(g, t.elem));
  if (L.isRc(t)) return rcReleaseFn(g, t, (l, v) => dropParts(g, t, l, v));
  if (t.kind === "weak") return weakReleaseFn(g, t.inner);
  if (t.kind === "fn") {
    // The environment's first word is the table slot of its drop function (see envOps).
    return g.define(name, [i64], none, (l) => {
      const env = l.add(i32);
      return [
        ir.set(env, m.i32.wrap(ir.get(l, 0))),
        m.if(ir.get(l, env), m.call_indirect(TABLE, ir.load32(ir.get(l, env), ENV.DROP), [ir.get(l, env)], binaryen.createType([i32]), none)),
      ];
    });
  }
  return g.define(name, [i32], none, (l) => {
    const v = 0;
    const out: Ref[] = [m.if(m.i32.eqz(ir.get(l, v)), m.return())];
    if (t.kind === "slice") {
      // A view: only the header is the slice's own.
      out.push(m.call(FREE, [ir.get(l, v)], none));
      return out;
    }
    if (t.kind === "string") {
      out.push(m.call(STR.free, [ir.get(l, v)], none));
      return out;
    }
    const el = seqElem(t);
    if (el) {
      const inner = dropFn(g, el);
      if (inner) out.push(eachElem(g, l, v, el, (addr) => m.call(inner, [ir.load(L.wasm(el), addr)], none)));
      out.push(m.call(VEC.freeShallow, [ir.get(l, v)], none));
      return out;
    }
    out.push(...dropParts(g, t, l, v));
    out.push(m.call(FREE, [ir.get(l, v)], none));
    return out;
  });
}

/** Drop what a struct/tuple/enum/map block at local v holds (not the block itself). */
function dropParts(g: Gen, t: Type, l: Locals, v: number): Ref[] {
  const { m, ir } = g;
  // A user `impl Drop` runs first, with every field still alive (then the fields drop).
  const out: Ref[] = userDrop(g, t, l, v);
  // Fixed-shape parts drop last first, mirroring construction (karac core semantics §7.8).
  const layout = fieldsOf(g, t);
  if (layout) return [...out, ...dropFields(g, l, v, [...layout.fields].reverse())];
  if (t.kind === "enum") {
    g.layouts.variantLayouts(t.name).forEach((vl, k) => {
      const body = dropFields(g, l, v, [...vl.fields].reverse());
      if (body.length) out.push(m.if(m.i32.eq(ir.load32(ir.get(l, v)), ir.c32(k)), m.block(null, body)));
    });
  }
  return out;
}

/**
 * The call of a user `drop(mut ref self)` on the value in local v, if its type has one. A `mut ref`
 * receiver is the address of a cell holding the value, so the value is put in a scratch cell.
 */
function userDrop(g: Gen, t: Type, l: Locals, v: number): Ref[] {
  const def = t.kind === "struct" ? g.layouts.struct(t.name) : t.kind === "enum" ? g.layouts.enumDef(t.name) : undefined;
  if (def?.userDrop === undefined) return [];
  const { m, ir } = g;
  const cell = l.add(i32);
  return [
    ir.set(cell, m.call(ALLOC, [ir.c32(8)], i32)),
    ir.store32(ir.get(l, cell), ir.get(l, v)),
    m.call(g.fnSymbol(def.userDrop), [ir.get(l, cell)], none),
    m.call(FREE, [ir.get(l, cell)], none),
  ];
}

function dropFields(g: Gen, l: Locals, v: number, fields: Elem[]): Ref[] {
  const out: Ref[] = [];
  for (const f of fields) {
    const d = dropFn(g, f.type);
    if (d) out.push(g.m.call(d, [g.ir.load(f.wasm, g.ir.get(l, v), f.offset)], none));
  }
  return out;
}

/** Loop over the element slots of a {data, len} header in local v. */
function eachElem(g: Gen, l: Locals, v: number, el: Type, body: (addr: Ref) => Ref): Ref {
  const { m, ir } = g;
  const es = g.layouts.elemBytes(el);
  const i = l.add(i32);
  const label = `each${i}`;
  return m.block(null, [
    ir.set(i, ir.c32(0)),
    m.loop(
      label,
      m.if(
        m.i32.lt_u(ir.get(l, i), ir.load32(ir.get(l, v), HDR.LEN)),
        m.block(null, [
          body(ir.elemAt(ir.load32(ir.get(l, v), HDR.DATA), ir.get(l, i), es)),
          ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
          m.br(label),
        ]),
      ),
    ),
  ]);
}

// ---------------------------------------------------------------- copy

/** Name of `copy(v) -> v'` (deep copy), or undefined when a bit copy suffices. */
export function copyFn(g: Gen, t: Type): string | undefined {
  const L = g.layouts;
  if (!L.owned(t)) return undefined;
  const { m, ir } = g;
  if (t.kind === "sender" || t.kind === "receiver") return channelEndCopy(g, t);
  if (L.isRc(t)) return rcRetainFn(g, t);
  if (t.kind === "weak") return weakRetainFn(g, t.inner);
  if (t.kind === "map" || t.kind === "set") return mapCopyFn(g, t);
  if (t.kind === "fn") {
    // Same table slot, a copy of the environment (made by the function in its second word).
    return g.define(`copy:${typeKey(t)}`, [i64], i64, (l) => {
      const env = l.add(i32);
      return [
        ir.set(env, m.i32.wrap(ir.get(l, 0))),
        m.if(m.i32.eqz(ir.get(l, env)), m.return(ir.get(l, 0))),
        m.i64.or(
          m.i64.and(ir.get(l, 0), ir.c64(-(1n << 32n))),
          m.i64.extend_u(m.call_indirect(TABLE, ir.load32(ir.get(l, env), ENV.COPY), [ir.get(l, env)], binaryen.createType([i32]), i32)),
        ),
      ];
    });
  }
  return g.define(`copy:${typeKey(t)}`, [i32], i32, (l) => {
    const v = 0;
    const out: Ref[] = [m.if(m.i32.eqz(ir.get(l, v)), m.return(ir.c32(0)))];
    if (t.kind === "slice") {
      // A new view of the same elements.
      const r = l.add(i32);
      out.push(
        ir.set(r, m.call(ALLOC, [ir.c32(HDR.SIZE)], i32)),
        ir.store32(ir.get(l, r), ir.load32(ir.get(l, v), HDR.DATA), HDR.DATA),
        ir.store32(ir.get(l, r), ir.load32(ir.get(l, v), HDR.LEN), HDR.LEN),
        ir.store32(ir.get(l, r), ir.c32(0), HDR.CAP),
        m.return(ir.get(l, r)),
      );
      return out;
    }
    if (t.kind === "string") {
      out.push(m.return(m.call(STR.clone, [ir.get(l, v)], i32)));
      return out;
    }
    const r = l.add(i32);
    const el = seqElem(t);
    if (el) {
      const es = L.elemBytes(el);
      const w = L.wasm(el);
      const inner = copyFn(g, el);
      out.push(
        ir.set(r, m.call(VEC.new, [ir.load32(ir.get(l, v), HDR.LEN), ir.c32(es)], i32)),
        ir.store32(ir.get(l, r), ir.load32(ir.get(l, v), HDR.LEN), HDR.LEN),
      );
      if (inner) {
        const d = l.add(i32);
        out.push(
          ir.set(d, m.i32.sub(ir.load32(ir.get(l, r), HDR.DATA), ir.load32(ir.get(l, v), HDR.DATA))),
          eachElem(g, l, v, el, (addr) => {
            const a = l.add(i32);
            return m.block(null, [
              ir.set(a, addr),
              ir.store(w, m.i32.add(ir.get(l, a), ir.get(l, d)), m.call(inner, [ir.load(w, ir.get(l, a))], w)),
            ]);
          }),
        );
      } else {
        out.push(
          m.memory.copy(
            ir.load32(ir.get(l, r), HDR.DATA),
            ir.load32(ir.get(l, v), HDR.DATA),
            m.i32.mul(ir.load32(ir.get(l, v), HDR.LEN), ir.c32(es)),
            "mem",
            "mem",
          ),
        );
      }
      out.push(m.return(ir.get(l, r)));
      return out;
    }
    const layout = fieldsOf(g, t);
    const size = layout ? layout.size : t.kind === "enum" ? L.enumBlockSize(t.name) : 8;
    out.push(
      ir.set(r, m.call(ALLOC, [ir.c32(size)], i32)),
      m.memory.copy(ir.get(l, r), ir.get(l, v), ir.c32(size), "mem", "mem"),
    );
    const copyFields = (fields: Elem[]): Ref[] => {
      const res: Ref[] = [];
      for (const f of fields) {
        const c = copyFn(g, f.type);
        if (c) res.push(ir.store(f.wasm, ir.get(l, r), m.call(c, [ir.load(f.wasm, ir.get(l, v), f.offset)], f.wasm), f.offset));
      }
      return res;
    };
    if (layout) out.push(...copyFields(layout.fields));
    else if (t.kind === "enum") {
      L.variantLayouts(t.name).forEach((vl, k) => {
        const body = copyFields(vl.fields);
        if (body.length) out.push(m.if(m.i32.eq(ir.load32(ir.get(l, v)), ir.c32(k)), m.block(null, body)));
      });
    }
    out.push(m.return(ir.get(l, r)));
    return out;
  });
}

// ---------------------------------------------------------------- display

/** Append the rendering of a value of type t (in wasm form) to String sb. */
/**
 * Appends value `v` of type `t` to string builder `sb` in its Display form, or with `debug` in
 * its Debug form (what `dbg` prints): the same text except that String and char parts are quoted
 * and escaped (lower/debug-format.ts).
 */
export function fmtValue(g: Gen, t: Type, sb: Ref, v: Ref, debug = false): Ref {
  const { m } = g;
  if (debug && t.kind === "string") return m.call(debugFormatting.str!(g), [sb, v], none);
  if (debug && t.kind === "char") return m.call(debugFormatting.char!(g), [sb, v], none);
  switch (t.kind) {
    case "int":
      if (t.bits === 64) return m.call(t.signed ? STR.pushI64 : STR.pushU64, [sb, v], none);
      return m.call(t.signed ? STR.pushI64 : STR.pushU64, [sb, t.signed ? m.i64.extend_s(v) : m.i64.extend_u(v)], none);
    case "float":
      return m.call(STR.pushF64, [sb, t.bits === 32 ? m.f64.promote(v) : v], none);
    case "char":
      return m.call(STR.pushChar, [sb, v], none);
    case "string":
      return m.call(STR.pushStr, [sb, v], none);
    case "bool":
      return m.call(STR.pushStr, [sb, m.if(v, g.ir.c32(g.staticString("true")), g.ir.c32(g.staticString("false")))], none);
    case "unit":
    case "never":
      return m.nop();
    default:
      return m.call(fmtFn(g, t, debug), [sb, v], none);
  }
}

/** The Debug renderers of String and char leaves; lower/debug-format.ts installs them (it imports this module). */
export const debugFormatting: { str?: (g: Gen) => string; char?: (g: Gen) => string } = {};

function text(g: Gen, sb: Ref, s: string): Ref {
  return g.m.call(STR.pushStr, [sb, g.ir.c32(g.staticString(s))], none);
}

/**
 * How a SortedMap / SortedSet prints (in key order). collections.ts installs it: it sorts with
 * this module's comparisons, so this module cannot import it without an import cycle.
 */
export const orderedFormatting: { fmt?: (g: Gen, l: Locals, t: Type, sb: number, v: number, debug: boolean) => Ref[] } = {};

export function fmtFn(g: Gen, t: Type, debug = false): string {
  const L = g.layouts;
  const { m, ir } = g;
  const w = L.wasm(t);
  return g.define(`${debug ? "dbgfmt" : "fmt"}:${typeKey(t)}`, [i32, w === none ? i32 : w], none, (l) => {
    const [sb, v] = [0, 1];
    const SB = () => ir.get(l, sb);
    const el = seqElem(t);
    if (el) {
      const out: Ref[] = [text(g, SB(), "[")];
      const first = l.add(i32);
      out.push(ir.set(first, ir.c32(1)));
      out.push(
        eachElem(g, l, v, el, (addr) =>
          m.block(null, [
            m.if(m.i32.eqz(ir.get(l, first)), text(g, SB(), ", ")),
            ir.set(first, ir.c32(0)),
            fmtValue(g, el, SB(), ir.loadSlot(L.elem(el), addr), debug),
          ]),
        ),
      );
      out.push(text(g, SB(), "]"));
      return out;
    }
    if (t.kind === "tuple") {
      const lay = L.tupleLayout(t.elems);
      const out: Ref[] = [text(g, SB(), "(")];
      lay.fields.forEach((f, k) => {
        if (k > 0) out.push(text(g, SB(), ", "));
        out.push(fmtValue(g, f.type, SB(), f.wasm === none ? 0 : ir.load(f.wasm, ir.get(l, v), f.offset), debug));
      });
      out.push(text(g, SB(), ")"));
      return out;
    }
    if ((t.kind === "map" || t.kind === "set") && t.sorted && orderedFormatting.fmt) return orderedFormatting.fmt(g, l, t, sb, v, debug);
    if (t.kind === "map" || t.kind === "set") {
      // Map: {k: v, ...}; Set: Set{a, ...} (insertion order).
      const keys = l.add(i32);
      const vals = l.add(i32);
      const first = l.add(i32);
      const kt = t.kind === "map" ? t.key : t.elem;
      const out: Ref[] = [
        ir.set(keys, ir.load32(ir.get(l, v), 0)),
        ir.set(vals, t.kind === "map" ? ir.load32(ir.get(l, v), 4) : ir.c32(0)),
        ir.set(first, ir.c32(1)),
        text(g, SB(), t.kind === "map" ? "{" : "Set{"),
      ];
      const kes = L.elemBytes(kt);
      const idx = l.add(i32);
      const dead = mapOffsets(t.kind === "map").dead;
      out.push(
        eachElem(g, l, keys, kt, (addr) => {
          const body: Ref[] = [
            ir.set(idx, m.i32.div_u(m.i32.sub(addr, ir.load32(ir.get(l, keys), HDR.DATA)), ir.c32(kes))),
            m.br("skip", deadAt(g, () => ir.load32(ir.get(l, v), dead), ir.get(l, idx))),
            m.if(m.i32.eqz(ir.get(l, first)), text(g, SB(), ", ")),
            ir.set(first, ir.c32(0)),
            fmtValue(g, kt, SB(), ir.loadSlot(L.elem(kt), addr), debug),
          ];
          if (t.kind === "map") {
            const ves = L.elemBytes(t.value);
            body.push(
              text(g, SB(), ": "),
              fmtValue(g, t.value, SB(), ir.loadSlot(L.elem(t.value), ir.elemAt(ir.load32(ir.get(l, vals), HDR.DATA), ir.get(l, idx), ves)), debug),
            );
          }
          return m.block("skip", body);
        }),
      );
      out.push(text(g, SB(), "}"));
      return out;
    }
    if (t.kind === "struct") {
      const def = L.struct(t.name);
      if (def.display?.kind === "user") return userDisplay(g, l, def.display.fn);
      const lay = L.structLayout(t.name);
      const out: Ref[] = [text(g, SB(), `${def.baseName} {`)];
      def.fields.forEach((f, k) => {
        out.push(text(g, SB(), `${k > 0 ? "," : ""} ${f.name}: `));
        const fl = lay.fields[k];
        out.push(fmtValue(g, f.type, SB(), fl.wasm === none ? 0 : ir.load(fl.wasm, ir.get(l, v), fl.offset), debug));
      });
      out.push(text(g, SB(), def.fields.length ? " }" : "}"));
      return out;
    }
    if (t.kind === "enum") {
      const def = L.enumDef(t.name);
      if (def.display?.kind === "user") return userDisplay(g, l, def.display.fn);
      const boxed = L.enumBoxed(t.name);
      const tag = () => (boxed ? ir.load32(ir.get(l, v)) : ir.get(l, v));
      const lays = boxed ? L.variantLayouts(t.name) : [];
      const out: Ref[] = [];
      def.variants.forEach((vd, k) => {
        const shown = def.display?.kind === "derive" && def.display.snakeCase ? snakeCase(vd.name) : vd.name;
        const body: Ref[] = [text(g, SB(), shown)];
        if (vd.fields.length > 0) {
          const fl = lays[k].fields;
          const struct = vd.shape === "struct";
          body.push(text(g, SB(), struct ? " { " : "("));
          vd.fields.forEach((f, j) => {
            if (j > 0) body.push(text(g, SB(), ", "));
            if (struct) body.push(text(g, SB(), `${f.name}: `));
            body.push(fmtValue(g, f.type, SB(), fl[j].wasm === none ? 0 : ir.load(fl[j].wasm, ir.get(l, v), fl[j].offset), debug));
          });
          body.push(text(g, SB(), struct ? " }" : ")"));
        }
        out.push(m.if(m.i32.eq(tag(), ir.c32(k)), m.block(null, body)));
      });
      return out;
    }
    // Values with no Display (rejected by the checker) render as nothing.
    return [m.nop()];
  });

  function userDisplay(g2: Gen, l: Locals, fn: number): Ref[] {
    const s = l.add(i32);
    return [
      ir.set(s, m.call(g2.fnSymbol(fn), [ir.get(l, 1)], i32)),
      m.call(STR.pushStr, [ir.get(l, 0), ir.get(l, s)], none),
      m.call(STR.free, [ir.get(l, s)], none),
    ];
  }
}

// ---------------------------------------------------------------- equality and ordering

/** a == b for values of type t (wasm form). */
export function eqValue(g: Gen, t: Type, a: Ref, b: Ref): Ref {
  const { m } = g;
  const user = userComparison(g, t, "eq");
  if (user !== undefined) return m.call(g.fnSymbol(user), [a, b], i32);
  switch (t.kind) {
    case "int":
      return t.bits === 64 ? m.i64.eq(a, b) : m.i32.eq(a, b);
    case "float":
      return t.bits === 64 ? m.f64.eq(a, b) : m.f32.eq(a, b);
    case "bool":
    case "char":
    case "memoryOrdering":
      return m.i32.eq(a, b);
    case "string":
      return m.call(STR.eq, [a, b], i32);
    case "unit":
      return g.ir.c32(1);
    case "fn":
      return m.i64.eq(a, b);
    case "enum":
      if (!g.layouts.enumBoxed(t.name)) return m.i32.eq(a, b);
      return m.call(structuralFn(g, t, "eq"), [a, b], i32);
    case "map":
    case "set":
      return m.call(mapEqFn(g, t), [a, b], i32);
    case "vec":
    case "array":
    case "slice":
    case "tuple":
    case "struct":
      if (t.kind === "struct" && t.flavor !== "plain") return m.i32.eq(a, b);
      return m.call(structuralFn(g, t, "eq"), [a, b], i32);
    default:
      return m.i32.eq(a, b);
  }
}

/** Three-way comparison (-1/0/1) for ordered types. */
export function cmpValue(g: Gen, t: Type, a: Ref, b: Ref): Ref {
  const { m } = g;
  // A user `cmp` returns an Ordering (Less = 0, Equal = 1, Greater = 2); shift it to -1/0/1.
  const user = userComparison(g, t, "cmp");
  if (user !== undefined) return m.i32.sub(m.call(g.fnSymbol(user), [a, b], i32), g.ir.c32(1));
  switch (t.kind) {
    case "int": {
      if (t.bits === 64) {
        return m.call(t.signed ? "rt_cmp_i64" : "rt_cmp_u64", [a, b], i32);
      }
      return m.call(t.signed ? "rt_cmp_i32" : "rt_cmp_u32", [a, b], i32);
    }
    case "bool":
    case "char":
      return m.call("rt_cmp_u32", [a, b], i32);
    case "float":
      return m.call(t.bits === 64 ? "rt_cmp_f64" : "rt_cmp_f32", [a, b], i32);
    case "string":
      return m.call(STR.cmp, [a, b], i32);
    case "enum":
      if (!g.layouts.enumBoxed(t.name)) return m.call("rt_cmp_u32", [a, b], i32);
      return m.call(structuralFn(g, t, "cmp"), [a, b], i32);
    case "unit":
      return g.ir.c32(0);
    default:
      return m.call(structuralFn(g, t, "cmp"), [a, b], i32);
  }
}

/** The function id of a user `eq` / `cmp` for a struct or enum type, if it has one. */
function userComparison(g: Gen, t: Type, kind: "eq" | "cmp"): number | undefined {
  if (t.kind !== "struct" && t.kind !== "enum") return undefined;
  const def = t.kind === "struct" ? g.layouts.struct(t.name) : g.layouts.enumDef(t.name);
  return kind === "eq" ? def.userEq : def.userCmp;
}

/** Scalar three-way comparisons used by cmpValue. */
export function emitCompareHelpers(g: Gen): void {
  const { m, ir } = g;
  const def = (name: string, w: WType, lt: (a: Ref, b: Ref) => Ref, gt: (a: Ref, b: Ref) => Ref) =>
    g.define(name, [w, w], i32, (l) => [m.i32.sub(gt(ir.get(l, 0), ir.get(l, 1)), lt(ir.get(l, 0), ir.get(l, 1)))]);
  def("rt_cmp_i64", i64, m.i64.lt_s, m.i64.gt_s);
  def("rt_cmp_u64", i64, m.i64.lt_u, m.i64.gt_u);
  def("rt_cmp_i32", i32, m.i32.lt_s, m.i32.gt_s);
  def("rt_cmp_u32", i32, m.i32.lt_u, m.i32.gt_u);
  def("rt_cmp_f64", g.layouts.wasm({ kind: "float", bits: 64 }), m.f64.lt, m.f64.gt);
  def("rt_cmp_f32", g.layouts.wasm({ kind: "float", bits: 32 }), m.f32.lt, m.f32.gt);
}

/** A full-width field of a block (struct, tuple, enum payload). */
const fieldSlot = (wasm: WType): SlotShape => ({ bytes: wasmSize(wasm), wasm, signed: false });

/** eq / cmp over sequences, tuples, structs and boxed enums. */
function structuralFn(g: Gen, t: Type, kind: "eq" | "cmp"): string {
  const L = g.layouts;
  const { m, ir } = g;
  return g.define(`${kind}:${typeKey(t)}`, [i32, i32], i32, (l) => {
    const [a, b] = [0, 1];
    const A = () => ir.get(l, a);
    const B = () => ir.get(l, b);
    const r = l.add(i32);
    const one = (ft: Type, slot: SlotShape, offA: (base: Ref) => Ref, off: number): Ref => {
      if (slot.wasm === none) return m.nop();
      const x = ir.loadSlot(slot, offA(A()), off);
      const y = ir.loadSlot(slot, offA(B()), off);
      return kind === "eq"
        ? m.if(m.i32.eqz(eqValue(g, ft, x, y)), m.return(ir.c32(0)))
        : m.block(null, [ir.set(r, cmpValue(g, ft, x, y)), m.if(ir.get(l, r), m.return(ir.get(l, r)))]);
    };
    const el = seqElem(t);
    if (el) {
      const slot = L.elem(el);
      const es = slot.bytes;
      const i = l.add(i32);
      const n = l.add(i32);
      const at = (base: Ref) => ir.elemAt(ir.load32(base, HDR.DATA), ir.get(l, i), es);
      return [
        kind === "eq" ? m.if(m.i32.ne(ir.load32(A(), HDR.LEN), ir.load32(B(), HDR.LEN)), m.return(ir.c32(0))) : m.nop(),
        ir.set(n, ir.load32(A(), HDR.LEN)),
        m.if(m.i32.gt_u(ir.get(l, n), ir.load32(B(), HDR.LEN)), ir.set(n, ir.load32(B(), HDR.LEN))),
        m.block("done", [
          m.loop(
            "scan",
            m.block(null, [
              m.br("done", m.i32.ge_u(ir.get(l, i), ir.get(l, n))),
              one(el, slot, at, 0),
              ir.set(i, m.i32.add(ir.get(l, i), ir.c32(1))),
              m.br("scan"),
            ]),
          ),
        ]),
        kind === "eq" ? ir.c32(1) : m.call("rt_cmp_u32", [ir.load32(A(), HDR.LEN), ir.load32(B(), HDR.LEN)], i32),
      ];
    }
    const id = (base: Ref) => base;
    const layout = fieldsOf(g, t);
    if (layout) return [...layout.fields.map((f) => one(f.type, fieldSlot(f.wasm), id, f.offset)), kind === "eq" ? ir.c32(1) : ir.c32(0)];
    if (t.kind === "enum") {
      const out: Ref[] = [
        kind === "eq"
          ? m.if(m.i32.ne(ir.load32(A()), ir.load32(B())), m.return(ir.c32(0)))
          : m.block(null, [ir.set(r, cmpValue(g, { kind: "char" }, ir.load32(A()), ir.load32(B()))), m.if(ir.get(l, r), m.return(ir.get(l, r)))]),
      ];
      L.variantLayouts(t.name).forEach((vl, k) => {
        if (vl.fields.length === 0) return;
        out.push(m.if(m.i32.eq(ir.load32(A()), ir.c32(k)), m.block(null, vl.fields.map((f) => one(f.type, fieldSlot(f.wasm), id, f.offset)))));
      });
      out.push(kind === "eq" ? ir.c32(1) : ir.c32(0));
      return out;
    }
    return [kind === "eq" ? m.i32.eq(A(), B()) : ir.c32(0)];
  });
}

/** `DarkRed` -> `dark_red`: a variant name as `#[derive(Display(snake_case))]` prints it. */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toLowerCase();
}
