// Which functions are worth outlining inner loops in (outline-loops.ts): those with a loop inside
// a loop that run a bounded, small number of times: `main`, and any function all of whose
// uses are direct calls (or `par` branches, the chunks of a fanned-out loop included) made
// outside every loop of a function that is itself entered once. Outlining inner loops
// (outline-loops.ts) pays only there: a function that runs often is optimised by the engine
// after a few calls anyway, and outlining its inner loops would only add a call per iteration
// of the enclosing loop.
//
// Conservative in the direction that keeps code in place: a function used as a value, by a
// closure, by a provider or from inside a loop, and every function in a call
// cycle, counts as running often. A user `Drop`, `Eq` or `Display` impl that the generated
// helpers call without a TIR call node may be counted as entered once; that costs at most a
// call per outer iteration in it, never correctness.

import type { FnId, TBlock, TExpr, TProgram } from "../tir/nodes.js";
import { memoPerProgram } from "../tir/program-memo.js";
import { walkBlock, walkExpr, type Visitor } from "../tir/walk.js";

interface Use {
  from: FnId;
  /** A direct call (or `par` branch) outside every loop of `from`. */
  once: boolean;
}

const LOOPS = new Set<TExpr["kind"]>(["while", "loop", "for"]);

/**
 * The functions entered once that have a loop inside a loop of their own body: the only ones
 * whose code the outliner needs to look at (one pass over the typed program, shared by all).
 */
export const outliningCandidates: (program: TProgram) => ReadonlySet<FnId> = memoPerProgram(classify);

function classify(program: TProgram): Set<FnId> {
  const uses = new Map<FnId, Use[]>();
  const note = (to: FnId, use: Use) => {
    const list = uses.get(to);
    if (list) list.push(use);
    else uses.set(to, [use]);
  };
  const nested = new Set<FnId>();
  for (const fn of program.functions) {
    if (fn?.body && scan(fn.body, fn.id, note)) nested.add(fn.id);
  }
  const once = new Set<FnId>();
  if (program.main !== undefined) once.add(program.main);
  // Grows monotonically: a function joins once every use of it comes from a member, so a call
  // cycle never joins (each of its functions waits for another).
  for (let changed = true; changed; ) {
    changed = false;
    for (const [to, list] of uses) {
      if (once.has(to)) continue;
      if (list.every((u) => u.once && once.has(u.from))) {
        once.add(to);
        changed = true;
      }
    }
  }
  for (const id of once) if (!nested.has(id)) once.delete(id);
  return once;
}

/** Notes the functions `from` uses; true when its body has a loop inside a loop. */
function scan(body: TBlock, from: FnId, note: (to: FnId, use: Use) => void): boolean {
  let nested = false;
  const visitor = (inLoop: boolean): Visitor => {
    const v: Visitor = {
      expr(e) {
        if (LOOPS.has(e.kind)) {
          if (inLoop) nested = true;
          else {
            walkExpr(e, loopVisitor);
            return false;
          }
        }
        switch (e.kind) {
          case "call":
            note(e.fn, { from, once: !inLoop });
            break;
          case "par":
            // A fanned-out loop's chunks share one branch function, entered once per chunk
            // (a fixed 8 or 16 times), each entry running a long stretch of the loop.
            for (const br of e.branches) note(br.fn, { from, once: !inLoop });
            break;
          case "fnRef":
          case "closure":
            note(e.fn, { from, once: false });
            break;
          case "providerCall":
            for (const c of e.cases) note(c, { from, once: false });
            break;
        }
      },
    };
    return v;
  };
  const loopVisitor = visitor(true);
  walkBlock(body, visitor(false));
  return nested;
}
