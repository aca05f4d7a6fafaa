// Reference counting of `shared` struct/enum objects (core semantics of karac: every copy of a
// handle counts a holder, every holder releases at its own scope end, the object is destroyed
// when the last one goes). Counts are plain loads and stores: a shared handle never crosses a
// task boundary (E_CONCURRENT_SHARED_STRUCT), so only one worker ever touches an object.
//
// The header (layout.ts RC_STRUCT / RC_ENUM) holds the strong count as holders - 1 (a new object
// has one holder, the value its literal produced) and the number of `weak` handles. Destruction
// marks the object DYING while its `Drop` body and its fields run (a cycle back into it through a
// field then releases nothing twice), then frees the block, or, when weak handles remain, marks
// it DEAD and leaves the block to the last weak handle, so `upgrade` on any of them sees it gone.

import type { TExpr, Type } from "../../tir/nodes.js";
import type { Gen } from "../context.js";
import { i32, none, type Locals, type Ref } from "../ir.js";
import type { Lowerer } from "./lowerer.js";
import { makeVariant, variantIndex } from "./variants.js";
import { typeKey } from "../layout.js";
import { FREE } from "../runtime/alloc.js";

/** Strong-count values of a destroyed object (alive objects have counts >= 0). */
const DYING = -2;
const DEAD = -1;

/** `retain(p) -> p`: one more holder of the object (null-safe). */
export function rcRetainFn(g: Gen, t: Type): string {
  const { m, ir } = g;
  const { STRONG } = g.layouts.rcHeader(t);
  return g.define(`rc_retain@${STRONG}`, [i32], i32, (l) => [
    m.if(ir.get(l, 0), ir.store32(ir.get(l, 0), m.i32.add(ir.load32(ir.get(l, 0), STRONG), ir.c32(1)), STRONG)),
    ir.get(l, 0),
  ]);
}

/**
 * `release(p)`: one holder fewer; the last one runs `destroy` (the user `Drop` body, then the
 * fields) and frees the block unless weak handles still point at it.
 */
export function rcReleaseFn(g: Gen, t: Type, destroy: (l: Locals, v: number) => Ref[]): string {
  const { m, ir } = g;
  const { STRONG, WEAK } = g.layouts.rcHeader(t);
  return g.define(`rc_release:${typeKey(t)}`, [i32], none, (l) => {
    const p = 0;
    const s = l.add(i32);
    const strong = () => ir.load32(ir.get(l, p), STRONG);
    return [
      m.if(m.i32.eqz(ir.get(l, p)), m.return()),
      ir.set(s, strong()),
      m.if(m.i32.gt_s(ir.get(l, s), ir.c32(0)), m.block(null, [ir.store32(ir.get(l, p), m.i32.sub(ir.get(l, s), ir.c32(1)), STRONG), m.return()])),
      // Already being destroyed (a strong cycle reached back into it) or destroyed.
      m.if(m.i32.lt_s(ir.get(l, s), ir.c32(0)), m.return()),
      ir.store32(ir.get(l, p), ir.c32(DYING), STRONG),
      ...destroy(l, p),
      m.if(
        m.i32.eqz(ir.load32(ir.get(l, p), WEAK)),
        m.call(FREE, [ir.get(l, p)], none),
        ir.store32(ir.get(l, p), ir.c32(DEAD), STRONG),
      ),
    ];
  });
}

/** `weak_retain(p) -> p`: one more weak handle (null-safe). */
export function weakRetainFn(g: Gen, t: Type): string {
  const { m, ir } = g;
  const { WEAK } = g.layouts.rcHeader(t);
  return g.define(`rc_weak_retain@${WEAK}`, [i32], i32, (l) => [
    m.if(ir.get(l, 0), ir.store32(ir.get(l, 0), m.i32.add(ir.load32(ir.get(l, 0), WEAK), ir.c32(1)), WEAK)),
    ir.get(l, 0),
  ]);
}

/** `weak_release(p)`: one weak handle fewer; the last one frees a destroyed object's block. */
export function weakReleaseFn(g: Gen, t: Type): string {
  const { m, ir } = g;
  const { STRONG, WEAK } = g.layouts.rcHeader(t);
  return g.define(`rc_weak_release@${STRONG}.${WEAK}`, [i32], none, (l) => {
    const w = l.add(i32);
    return [
      m.if(m.i32.eqz(ir.get(l, 0)), m.return()),
      ir.set(w, m.i32.sub(ir.load32(ir.get(l, 0), WEAK), ir.c32(1))),
      ir.store32(ir.get(l, 0), ir.get(l, w), WEAK),
      m.if(
        m.i32.and(m.i32.eqz(ir.get(l, w)), m.i32.eq(ir.load32(ir.get(l, 0), STRONG), ir.c32(DEAD))),
        m.call(FREE, [ir.get(l, 0)], none),
      ),
    ];
  });
}

/** `upgrade(p) -> p or 0`: a new strong holder when the object is still alive, else null. */
export function weakUpgradeFn(g: Gen, t: Type): string {
  const { m, ir } = g;
  const { STRONG } = g.layouts.rcHeader(t);
  return g.define(`rc_upgrade@${STRONG}`, [i32], i32, (l) => [
    m.if(m.i32.eqz(ir.get(l, 0)), m.return(ir.c32(0))),
    m.if(m.i32.lt_s(ir.load32(ir.get(l, 0), STRONG), ir.c32(0)), m.return(ir.c32(0))),
    ir.store32(ir.get(l, 0), m.i32.add(ir.load32(ir.get(l, 0), STRONG), ir.c32(1)), STRONG),
    ir.get(l, 0),
  ]);
}

/** Header stores for a freshly allocated object at `p`: one holder, no weak handles. */
export function rcInit(g: Gen, t: Type, p: () => Ref): Ref[] {
  const { ir } = g;
  const { STRONG, WEAK } = g.layouts.rcHeader(t);
  return [ir.store32(p(), ir.c32(0), STRONG), ir.store32(p(), ir.c32(0), WEAK)];
}

/**
 * The `weak` builtins the checker inserts (check/weak.ts): `weak.downgrade` (a T into a weak slot),
 * `weak.from_option` (an Option[T] into one: None is the empty handle) and `weak.upgrade` (a read of
 * a weak place: Some(object) with a new strong holder while the object lives, else None).
 */
export function lowerWeakOp(fl: Lowerer, e: TExpr & { kind: "builtin" }): Ref | undefined {
  const { m, ir, g } = fl;
  const inner = e.typeArgs[0];
  switch (e.op) {
    case "weak.downgrade":
      return m.call(weakRetainFn(g, inner), [fl.borrow(e.args[0])], i32);
    case "weak.from_option": {
      const t = e.args[0].type;
      const o = fl.tmp(i32);
      const some = variantIndex(fl, t, "Some");
      const slot = t.kind === "enum" ? g.layouts.variantLayouts(t.name)[some].fields[0] : undefined;
      if (!slot) return undefined;
      return m.block(null, [
        ir.set(o, fl.borrow(e.args[0])),
        m.call(
          weakRetainFn(g, inner),
          [m.if(m.i32.eq(ir.load32(ir.get(fl.locals, o)), ir.c32(some)), ir.load32(ir.get(fl.locals, o), slot.offset), ir.c32(0))],
          i32,
        ),
      ], i32);
    }
    case "weak.upgrade": {
      if (e.receiver?.kind !== "place") return undefined;
      const p = fl.tmp(i32);
      return m.block(null, [
        ir.set(p, m.call(weakUpgradeFn(g, inner), [fl.read(e.receiver.place)], i32)),
        m.if(ir.get(fl.locals, p), makeVariant(fl, e.type, "Some", ir.get(fl.locals, p)), makeVariant(fl, e.type, "None")),
      ], i32);
    }
    default:
      return undefined;
  }
}
