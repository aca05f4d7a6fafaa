// Patterns: the test whether a value matches (`patTest`), the binding of a pattern's variables
// (`bindPattern`), and `match`, which tries its arms in order.

import binaryen from "binaryen";
import type { TExpr, TMatchArm, TPattern, Type } from "../../tir/nodes.js";
import { i32, none, type Ref, type WType } from "../ir.js";
import { STR } from "../runtime/strings.js";
import type { Lowerer } from "./lowerer.js";
import { sliceBind, slicePatTest } from "./slice-patterns.js";
import { eqValue } from "./typeops.js";

/** Condition under which the value (read by get) matches p; undefined = always. */
export function patTest(fl: Lowerer, p: TPattern, get: () => Ref): Ref | undefined {
  const { m, ir, L } = fl;
  const and = (a: Ref | undefined, b: Ref | undefined): Ref | undefined =>
    a === undefined ? b : b === undefined ? a : m.if(a, b, ir.c32(0));
  switch (p.kind) {
    case "wild":
      return undefined;
    case "bind":
      return p.sub ? fl.patTest(p.sub, get) : undefined;
    case "lit":
      if (p.value.kind === "string") return m.call(STR.eq, [get(), ir.c32(fl.g.staticString(p.value.value))], i32);
      return eqValue(fl.g, p.type, get(), fl.expr(p.value));
    case "range": {
      let c: Ref | undefined;
      if (p.lo) c = fl.compare(">=", p.type, get(), fl.expr(p.lo));
      if (p.hi) c = and(c, fl.compare(p.inclusive ? "<=" : "<", p.type, get(), fl.expr(p.hi)));
      return c;
    }
    case "tuple": {
      if (p.type.kind !== "tuple") return undefined;
      const lay = L.tupleLayout(p.type.elems);
      let c: Ref | undefined;
      p.elems.forEach((sp, k) => {
        const f = lay.fields[k];
        if (f.wasm === none) return;
        c = and(c, fl.patTest(sp, () => ir.load(f.wasm, get(), f.offset)));
      });
      return c;
    }
    case "struct": {
      const lay = L.structLayout(p.type.kind === "struct" ? p.type.name : p.struct);
      let c: Ref | undefined;
      for (const fp of p.fields) {
        const f = lay.fields[fp.index];
        if (f.wasm === none) continue;
        c = and(c, fl.patTest(fp.pattern, () => ir.load(f.wasm, get(), f.offset)));
      }
      return c;
    }
    case "variant": {
      const en = p.type.kind === "enum" ? p.type.name : p.enum;
      const boxed = L.enumBoxed(en);
      const tag = boxed ? ir.load32(get()) : get();
      let c: Ref | undefined = m.i32.eq(tag, ir.c32(p.variant));
      if (boxed) {
        const lay = L.variantLayouts(en)[p.variant];
        p.args.forEach((ap, k) => {
          const f = lay.fields[k];
          if (!f || f.wasm === none) return;
          c = and(c, fl.patTest(ap, () => ir.load(f.wasm, get(), f.offset)));
        });
      }
      return c;
    }
    case "slice":
      return slicePatTest(fl, p, get);
    case "or": {
      let c: Ref | undefined = ir.c32(0);
      for (const alt of p.alts) {
        const t = fl.patTest(alt, get);
        if (t === undefined) return undefined;
        c = m.if(c, ir.c32(1), t);
      }
      return c;
    }
  }
}

/** Bind the pattern's variables (owned parts are copied out of the matched value). */
/**
 * Bind the pattern's variables from the value `get` yields. `addr`, when given, is the address of
 * the slot that value was loaded from: a binding the checker made a `mut ref` alias (a pattern
 * under a `mut ref` scrutinee, check/mutref-patterns.ts) points at that slot instead of copying.
 */
export function bindPattern(fl: Lowerer, p: TPattern, get: () => Ref, addr?: () => Ref): Ref[] {
  const { m, ir, L } = fl;
  // The slot of a part of a block: its loaded value and its address.
  const part = (f: { wasm: WType; offset: number }, sp: TPattern): Ref[] =>
    f.wasm === none ? [] : bindPattern(fl, sp, () => ir.load(f.wasm, get(), f.offset), () => m.i32.add(get(), ir.c32(f.offset)));
  switch (p.kind) {
    case "wild":
    case "lit":
    case "range":
      return [];
    case "bind": {
      const loc = fl.fn.locals[p.local];
      const t = loc.type;
      const w = L.wasm(t);
      let out: Ref[];
      if (loc.mode !== "owned" && loc.kind === "let" && addr) {
        // A borrowing binding (`mut ref` scrutinee, or a part with a user Drop): the slot's address.
        out = [fl.setAlias(p.local, addr())];
      } else if (p.take && addr && w !== none) {
        // Move the part out, leaving the slot empty for the scrutinee's own drop.
        out = [fl.writeLocal(p.local, get()), ir.store(w, addr(), ir.zero(w))];
      } else {
        out = [fl.writeLocal(p.local, w === none ? m.nop() : fl.copyValue(t, get()))];
      }
      if (p.sub) out.push(...bindPattern(fl, p.sub, get, addr));
      return out;
    }
    case "tuple": {
      if (p.type.kind !== "tuple") return [];
      const lay = L.tupleLayout(p.type.elems);
      return p.elems.flatMap((sp, k) => part(lay.fields[k], sp));
    }
    case "struct": {
      const lay = L.structLayout(p.type.kind === "struct" ? p.type.name : p.struct);
      return p.fields.flatMap((fp) => part(lay.fields[fp.index], fp.pattern));
    }
    case "variant": {
      const en = p.type.kind === "enum" ? p.type.name : p.enum;
      if (!L.enumBoxed(en)) return [];
      const lay = L.variantLayouts(en)[p.variant];
      return p.args.flatMap((ap, k) => {
        const f = lay.fields[k];
        return !f ? [] : part(f, ap);
      });
    }
    case "slice":
      return sliceBind(fl, p, get);
    case "or": {
      // Bind through whichever alternative matches.
      let chain: Ref = m.nop();
      for (let k = p.alts.length - 1; k >= 0; k--) {
        const binds = bindPattern(fl, p.alts[k], get, addr);
        const test = fl.patTest(p.alts[k], get);
        const body = m.block(null, binds.length ? binds : [m.nop()]);
        chain = test === undefined ? body : m.if(test, body, chain);
      }
      return [chain];
    }
  }
}

/**
 * `match`: the scrutinee is evaluated once; each arm tests its pattern and guard and falls through
 * to the next arm when either fails. The checker made the arms exhaustive.
 */
export function match(fl: Lowerer, scrutinee: TExpr, arms: TMatchArm[], type: Type): Ref {
  const { m, ir, L } = fl;
  const sw = L.wasm(scrutinee.type);
  const w = L.wasm(type);
  const s = sw === none ? -1 : fl.tmp(sw);
  const get = () => (s >= 0 ? ir.get(fl.locals, s) : ir.c32(0));
  const done = fl.label("match");
  const out: Ref[] = [s >= 0 ? ir.set(s, fl.borrow(scrutinee)) : fl.stmtize(fl.expr(scrutinee))];
  for (const arm of arms) {
    const next = fl.label("arm");
    const code: Ref[] = [];
    const test = s >= 0 ? fl.patTest(arm.pattern, get) : undefined;
    if (test !== undefined) code.push(m.br(next, m.i32.eqz(test)));
    if (s >= 0) code.push(...fl.bindPattern(arm.pattern, get));
    if (arm.guard) code.push(m.br(next, m.i32.eqz(fl.scoped(i32, () => fl.expr(arm.guard!)))));
    const body = fl.scoped(w, () => fl.consume(arm.body));
    // An arm that diverges (returns, breaks, panics) never reaches the end of the match.
    if (binaryen.getExpressionType(body) === binaryen.unreachable) code.push(body);
    else if (w === none) code.push(fl.stmtize(body), m.br(done));
    else code.push(m.br(done, undefined, body));
    out.push(m.block(next, code));
  }
  out.push(m.unreachable());
  return m.block(done, out, w);
}
