// Atomic[T] operations and the memory orderings each accepts.

import type { Span } from "../../syntax/ast.js";
import { Codes } from "../codes.js";
import type { BuiltinOp, MemoryOrdering, TExpr } from "../../tir/nodes.js";
import { UNIT, resolve, show, type Ty } from "../types.js";
import type { CheckContext } from "../context.js";
import type { MethodSite } from "./site.js";

/** Atomic operations, each with its literal MemoryOrdering argument(s). */
export function checkAtomicMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "atomic" }>): TExpr | undefined {
  const { m, span, args, place, asPlace, b, fail } = s;
  const inner = rt.inner;
  const atom = (op: string, valueArgs: number, nOrd: number, ret: Ty): TExpr => {
    const what = `Atomic.${op}`;
    if (args.length === valueArgs + nOrd) {
      const ords = cx.orderings(args, nOrd, what, span);
      const vals = args.slice(0, valueArgs).map((a) => cx.expectArg(a.value, inner));
      if (place.kind === "local") cx.b.addressTaken(place.local);
      if (ords.length === nOrd) checkOrderingUse(cx, op, ords, span);
      return b(`atomic.${op}` as BuiltinOp, asPlace, vals, ret, [inner], ords);
    }
    if (args.length === valueArgs) {
      cx.checkArgsLoose(args);
      cx.err(Codes.AtomicMissingOrdering, `${what} takes (${[...Array(valueArgs)].map((_, i) => `v${i + 1}: ${show(inner)}, `).join("")}${nOrd === 1 ? "ordering: MemoryOrdering" : "success: MemoryOrdering, failure: MemoryOrdering"}): every atomic operation requires an explicit MemoryOrdering`, span);
      return fail();
    }
    cx.checkArgsLoose(args);
    cx.err(Codes.ArgCount, `${what} takes ${valueArgs + nOrd} arguments but ${args.length} were supplied`, span);
    return fail();
  };
  const isBool = resolve(inner).kind === "bool";
  switch (m) {
    case "load":
      return atom("load", 0, 1, inner);
    case "store":
      return atom("store", 1, 1, UNIT);
    case "swap":
      return atom("swap", 1, 1, inner);
    case "fetch_add":
    case "fetch_sub":
    case "fetch_and":
    case "fetch_or":
    case "fetch_xor":
      if (isBool) break;
      return atom(m, 1, 1, inner);
    case "compare_exchange":
      if (isBool) break;
      return atom("compare_exchange", 2, 2, cx.resultOf(inner, inner));
  }
  return undefined;
}

/** Orderings codegen rejects (effects-concurrency §3.3). */
export function checkOrderingUse(cx: CheckContext, op: string, ords: MemoryOrdering[], span: Span): void {
  const bad = (msg: string): void => cx.err(Codes.AtomicBadOrdering, msg, span);
  if (op === "load" && (ords[0] === "Release" || ords[0] === "AcqRel")) bad(`Atomic.load cannot use MemoryOrdering.${ords[0]}; use Acquire, SeqCst or Relaxed`);
  if (op === "store" && (ords[0] === "Acquire" || ords[0] === "AcqRel")) bad(`Atomic.store cannot use MemoryOrdering.${ords[0]}; use Release, SeqCst or Relaxed`);
  if (op === "compare_exchange" && (ords[1] === "Release" || ords[1] === "AcqRel")) bad(`the failure ordering of compare_exchange cannot be ${ords[1]}`);
}
