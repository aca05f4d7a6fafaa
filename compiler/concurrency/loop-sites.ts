// Where the loop analyses (reductions, disjoint writes) look for loops: top-level statements, `if`
// arms, blocks, loop bodies and the function's tail. Both report loops by the index of the
// top-level statement that holds them, and neither looks inside a loop it has claimed, since that
// loop's inner loops become part of its chunks.

import type { LocalId, TBlock, TExpr, TFunction, TStmt } from "../tir/nodes.js";
import { walkExpr } from "../tir/walk.js";

export interface LoopVisitor {
  /** A `for` loop; returns true when the analysis claims it, so its body is not searched. */
  forLoop(loop: TExpr & { kind: "for" }, statement: number): boolean;
  /** A `while` or `loop`, before its body is searched. */
  otherLoop?(loop: TExpr & { kind: "while" | "loop" }, statement: number): void;
}

export function visitLoops(fn: TFunction, visitor: LoopVisitor): void {
  const visit = (e: TExpr | undefined, statement: number): void => {
    if (!e) return;
    switch (e.kind) {
      case "for":
        if (!visitor.forLoop(e, statement)) visit(e.body as TExpr, statement);
        break;
      case "while":
      case "loop":
        visitor.otherLoop?.(e, statement);
        visit(e.body as TExpr, statement);
        break;
      case "if":
        visit(e.then as TExpr, statement);
        visit(e.else, statement);
        break;
      case "block":
        for (const s of e.stmts) visitStmt(s, statement);
        visit(e.tail, statement);
        break;
      default:
        break;
    }
  };
  const visitStmt = (s: TStmt, statement: number): void => {
    if (s.kind === "expr") visit(s.expr, statement);
    else if (s.kind === "let") visit(s.init, statement);
  };
  fn.body.stmts.forEach((s, i) => visitStmt(s, i));
  visit(fn.body.tail, fn.body.stmts.length);
}

/** The locals a loop body binds itself (fresh per iteration, so never shared between chunks). */
export function declaredInside(body: TBlock): Set<LocalId> {
  const out = new Set<LocalId>();
  walkExpr(body as TExpr, {
    pattern: (p) => {
      if (p.kind === "bind") out.add(p.local);
    },
  });
  return out;
}
