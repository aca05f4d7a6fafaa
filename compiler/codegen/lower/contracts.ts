// Run-time contracts, as karac's debug builds check them: every `requires` predicate on entry
// (parameters bound, body not started), then the `old(e)` snapshots, and every `ensures`
// predicate at the function's one exit (each `return`, `?` and the tail reach it) with its
// result local holding the returned value. A false predicate panics at the predicate with
// `contract violated: requires clause` / `contract violated: ensures clause`, naming the function
// in the panic line like any other panic in it; a panic raised while a predicate is evaluated is
// prefixed `contract predicate panicked: ` (runtime/tasks.ts rt_panic). A struct invariant on a
// method runs at the same exit after the `ensures` (`contract violated: invariant`); on a
// constructor its `self` local holds the returned value, like an `ensures` result.

import binaryen from "binaryen";
import type { LocalId, TExpr } from "../../tir/nodes.js";
import { G } from "../runtime/names.js";
import type { Lowerer } from "./lowerer.js";

type Ref = binaryen.ExpressionRef;

const VIOLATED = {
  requires: "contract violated: requires clause",
  ensures: "contract violated: ensures clause",
  invariant: "contract violated: invariant",
} as const;

type Kind = keyof typeof VIOLATED;

/**
 * `if !pred { panic }`, the predicate's temporaries freed before the test. While the predicate is
 * evaluated the worker's contract depth is raised, so a panic inside it (an index out of bounds,
 * in a function it calls too) reads `contract predicate panicked: <msg>`.
 */
function check(lw: Lowerer, pred: TExpr, kind: Kind): Ref {
  const { m } = lw;
  const depth = (delta: number): Ref => m.global.set(G.CONTRACT, m.i32.add(m.global.get(G.CONTRACT, binaryen.i32), m.i32.const(delta)));
  const held = lw.tmp(binaryen.i32);
  return m.block(null, [
    depth(1),
    m.local.set(held, lw.scoped(binaryen.i32, () => lw.expr(pred))),
    depth(-1),
    m.if(m.i32.eqz(m.local.get(held, binaryen.i32)), lw.panic(pred.span, VIOLATED[kind])),
  ]);
}

/** The checks and snapshots that run before the body. */
export function contractEntry(lw: Lowerer): Ref[] {
  const out: Ref[] = [];
  for (const c of lw.fn.contracts ?? []) if (c.kind === "requires") out.push(check(lw, c.expr, c.kind));
  for (const s of lw.fn.contractSnapshots ?? []) {
    const w = lw.L.wasm(s.value.type);
    const v = lw.scoped(w, () => lw.consume(s.value));
    out.push(lw.writeLocal(s.local, v));
  }
  return out;
}

/**
 * The checks that run when the body has produced its value (`returned` reads it; undefined when
 * the function returns nothing in wasm), then the snapshots freed. The result locals only alias
 * the returned value: they are never dropped.
 */
export function contractExit(lw: Lowerer, returned: (() => Ref) | undefined): Ref[] {
  const out: Ref[] = [];
  const atExit = (lw.fn.contracts ?? []).filter((c) => c.kind !== "requires");
  // The `ensures` first, then the invariants, each kind in source order.
  for (const c of [...atExit.filter((c) => c.kind === "ensures"), ...atExit.filter((c) => c.kind === "invariant")]) {
    if (c.result !== undefined && returned) out.push(lw.writeLocal(c.result as LocalId, returned()));
    out.push(check(lw, c.expr, c.kind));
  }
  for (const s of lw.fn.contractSnapshots ?? []) out.push(lw.dropLocal(s.local));
  return out;
}
