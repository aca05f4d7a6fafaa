// Methods only a VecDeque has. A VecDeque shares a Vec's storage (as karac's does), so every Vec
// method applies to it too (sequences.ts, seq-algorithms.ts); this module adds the two-ended
// surface: push/pop at either end, front/back and make_contiguous.

import { type CheckContext, mk } from "../context.js";
import type { TExpr } from "../../tir/nodes.js";
import { UNIT, type Ty } from "../types.js";
import type { MethodSite } from "./site.js";

export function checkDequeMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "vec" }>): TExpr | undefined {
  const { m, args, asValue, asPlace, b, arity, mutRecv, fail } = s;
  const elem = rt.elem;
  switch (m) {
    case "push_back":
    case "push_front": {
      if (!arity(1)) return fail();
      mutRecv();
      const v = cx.coerce(cx.own(cx.checkExpr(args[0].value, elem)), elem, args[0].value.span);
      return b(`deque.${m}`, asPlace, [v], UNIT, [elem]);
    }
    case "pop_back":
    case "pop_front":
      if (!arity(0)) return fail();
      mutRecv();
      return b(`deque.${m}`, asPlace, [], cx.optionOf(elem), [elem]);
    case "front":
    case "back":
      if (!arity(0)) return fail();
      return b(`deque.${m}`, asValue, [], cx.optionOf(elem), [elem]);
    case "make_contiguous": {
      // The storage is always one run, front first: the whole deque as a writable view.
      if (!arity(0)) return fail();
      mutRecv();
      const place = asPlace.kind === "place" ? asPlace.place : s.place;
      const base = mk({ kind: "read", place }, rt, s.e.receiver.span);
      const view: Ty = { kind: "slice", elem, mut: true };
      return mk({ kind: "slice", base, inclusive: false }, view, s.span);
    }
    case "clone":
      // A copy of a VecDeque is a VecDeque.
      if (!arity(0)) return fail();
      return b("vec.clone", asValue, [], rt, [elem]);
  }
  return undefined;
}
