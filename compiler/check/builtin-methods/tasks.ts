// Methods of TaskGroup and TaskHandle receivers.

import type { TExpr } from "../../tir/nodes.js";
import { ERROR, UNIT, resolve, type Ty } from "../types.js";
import { type CheckContext, mk, T } from "../context.js";
import type { MethodSite } from "./site.js";

/** `g.spawn(thunk)` and `g.cancel()`. */
export function checkTaskGroupMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "taskGroup" }>): TExpr | undefined {
  const { m, args, asPlace, b, arity, mutRecv, fail } = s;
  if (m === "spawn") {
    if (!arity(1)) return fail();
    mutRecv();
    const thunk = cx.checkThunk(args[0].value);
    const tt = resolve(T(thunk));
    const ret = tt.kind === "fn" ? tt.ret : ERROR;
    return b("taskgroup.spawn", asPlace, [thunk], { kind: "taskHandle", result: ret }, [ret]);
  }
  if (m === "cancel") {
    if (!arity(0)) return fail();
    return b("taskgroup.cancel", asPlace, [], UNIT);
  }
  return undefined;
}

/** `h.join()` consumes the handle. */
export function checkTaskHandleMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "taskHandle" }>): TExpr | undefined {
  const { e, m, asValue, b, arity, fail } = s;
  if (m === "join") {
    if (!arity(0)) return fail();
    const v = mk({ kind: "$own", value: (asValue as { value: TExpr }).value }, rt, e.receiver.span);
    return b("taskhandle.join", { kind: "value", value: v }, [], rt.result, [rt.result]);
  }
  return undefined;
}
