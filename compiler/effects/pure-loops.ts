// L0003 (warning): a loop inside a `par` branch whose body has no effect boundary. Cooperative
// cancellation is observed at calls to effectful callees (effects-concurrency §4.2); a loop with
// none cannot be stopped mid-iteration by a failing sibling through that mechanism. Our generated code
// also checks at loop back-edges, so the loop does stop here; the warning stays because the same
// program would not stop early under karac, which only checks at effectful calls.

import type { Diagnostic } from "../diagnostics.js";
import type { FnId, TExpr, TProgram } from "../tir/nodes.js";
import { BOUNDARY_VERBS } from "./atoms.js";
import { effectWarning } from "./diag.js";
import { isFirewall, type Inference } from "./infer.js";
import { BOUNDARY_FREE_BUILTINS } from "./leaves.js";
import { walkBlock, walkExpr, type Visitor } from "../tir/walk.js";

export function checkPureLoops(program: TProgram, inf: Inference, diags: Diagnostic[]): void {
  const reported = new Set<number>();

  const effectful = (id: FnId): boolean => {
    const fn = program.functions[id];
    if (!fn) return true;
    const clause = inf.clauses.get(id);
    if (clause && (clause.underscore || clause.vars.length > 0)) return true;
    const atoms = isFirewall(fn) ? clause?.atoms ?? [] : inf.inferred[id].atoms();
    return atoms.some((a) => BOUNDARY_VERBS.has(a.verb));
  };

  /** Does anything in this expression carry a cancellation check (including lifted bodies it creates)? */
  const hasBoundary = (root: TExpr): boolean => {
    let found = false;
    const visited = new Set<FnId>();
    const visitor: Visitor = {
      expr(e) {
        if (found) return false;
        switch (e.kind) {
          case "call": {
            const callee = program.functions[e.fn];
            // Method-call syntax always carries a check; path calls only when the callee is effectful.
            if (callee?.receiver !== undefined || effectful(e.fn)) found = true;
            break;
          }
          case "callValue":
          case "providerCall": // `R.m(..)`: method-call syntax, and reads or writes R
            found = true;
            break;
          case "builtin":
            if (e.receiver !== undefined || BOUNDARY_FREE_BUILTINS.has(e.op)) found = true;
            break;
          case "closure":
            enter(e.fn);
            break;
          case "par":
            for (const b of e.branches) enter(b.fn);
            break;
          default:
            break;
        }
        return !found;
      },
    };
    const enter = (id: FnId): void => {
      if (visited.has(id) || found) return;
      visited.add(id);
      const fn = program.functions[id];
      if (fn) walkBlock(fn.body, visitor);
    };
    walkExpr(root, visitor);
    return found;
  };

  /** Loops of a branch body and of the lifted bodies created inside it. */
  const scanBranch = (id: FnId, seen: Set<FnId>): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const fn = program.functions[id];
    if (!fn) return;
    walkBlock(fn.body, {
      expr(e) {
        if (e.kind === "while" || e.kind === "loop" || e.kind === "for") {
          if (!reported.has(e.span.offset) && !hasBoundary(e.body)) {
            reported.add(e.span.offset);
            diags.push(
              effectWarning(
                "L0003",
                "loop in a `par` branch has no effect boundary: karac observes cancellation only at effectful calls, so under karac a failing sibling cannot stop this loop mid-iteration (this compiler also checks at every iteration)",
                e.span,
                { notes: ["make sure the loop is bounded, or call a function with reads/writes/sends/receives effects inside it; suppress with #[allow(pure_loop_in_par)]"] },
              ),
            );
          }
        } else if (e.kind === "closure") scanBranch(e.fn, seen);
        else if (e.kind === "par") for (const b of e.branches) scanBranch(b.fn, seen);
      },
    });
  };

  for (const fn of program.functions) {
    if (fn.kind !== "parBranch") continue;
    scanBranch(fn.id, new Set());
  }
}
