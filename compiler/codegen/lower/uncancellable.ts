// Par branch functions whose cancel word can never be set, so their loops and calls need no
// cancellation points (function.ts `cancellable`).
//
// A branch's task observes its par's control block, which links to the enclosing task's cancel
// word. The block's own word is set only by a branch that fails: a `?` escaping it
// (rt_par_fail), or a panic in a branch the program wrote (rt_raise leaves auto-parallel
// statements and reduction or disjoint-write chunks out, so that earlier statements and chunks
// finish as in the sequential program). So the branches of an `auto` or `reduce` par without
// `Result` branches or escapes see a set word only through the enclosing task: when the par sits
// in a function that is not itself cancellable, nothing ever sets it. For a fanned-out loop in
// `main` this drops two loads and a branch from every back-edge of every chunk, which the
// sequential build of the same loop never had.

import type { FnId, TBlock, TExpr, TProgram } from "../../tir/nodes.js";
import { memoPerProgram } from "../../tir/program-memo.js";
import { walkBlock } from "../../tir/walk.js";
import { SCALAR_KINDS } from "./signature.js";

interface BranchUse {
  from: FnId;
  /** The par's own word is never set (compiler-introduced, no failing branch). */
  quiet: boolean;
}

/** Branch functions (kind "parBranch") that never observe a set cancel word. */
export const uncancellableBranches: (program: TProgram) => ReadonlySet<FnId> = memoPerProgram(classify);

function classify(program: TProgram): Set<FnId> {
  const uses = new Map<FnId, BranchUse[]>();
  for (const fn of program.functions) {
    if (!fn?.body) continue;
    noteBranches(fn.body, fn.id, (to, use) => {
      const list = uses.get(to);
      if (list) list.push(use);
      else uses.set(to, [use]);
    });
  }
  const quiet = new Set<FnId>();
  const cancellable = (id: FnId): boolean => {
    const f = program.functions[id];
    if (!f) return true;
    if (f.kind === "parBranch") return !quiet.has(id);
    return f.kind === "thunk" && SCALAR_KINDS.has(f.ret.kind);
  };
  // Grows monotonically: a branch joins once every par that runs it is quiet and sits in a
  // function that is not cancellable (a nested branch waits for its enclosing one).
  for (let changed = true; changed; ) {
    changed = false;
    for (const [to, list] of uses) {
      if (quiet.has(to) || program.functions[to]?.kind !== "parBranch") continue;
      if (list.every((u) => u.quiet && !cancellable(u.from))) {
        quiet.add(to);
        changed = true;
      }
    }
  }
  return quiet;
}

function noteBranches(body: TBlock, from: FnId, note: (to: FnId, use: BranchUse) => void): void {
  walkBlock(body, {
    expr(e: TExpr) {
      if (e.kind !== "par") return;
      const compilerMade = e.origin === "auto" || e.origin === "reduce";
      const failing = e.branches.some((b) => b.result !== undefined || b.escape !== undefined);
      for (const b of e.branches) note(b.fn, { from, quiet: compilerMade && !failing });
    },
  });
}
