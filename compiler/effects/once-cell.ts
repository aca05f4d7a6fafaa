// E0254 for an `OnceCell[T]` captured by a `par` branch. A OnceCell is single-task (karac:
// E_ONCE_CELL_CROSSES_TASK_BOUNDARY, reported as CrossTaskUnsafeCapture): unlike other shared
// values it has no sole-ownership carve-out at a `par {}` boundary, so even one branch using it
// is rejected. (Spawned tasks and channel sends already reject
// it as a shared value, par-safety.ts.)

import type { Diagnostic } from "../diagnostics.js";
import type { TExpr, TProgram, Type } from "../tir/nodes.js";
import { walkBlock } from "../tir/walk.js";
import { findInType, showType } from "./types.js";
import { effectError } from "./diag.js";
import { firstUse } from "./first-use.js";

const ONCE_CELL = "OnceCell";

export function checkOnceCellCaptures(program: TProgram, diags: Diagnostic[]): void {
  for (const fn of program.functions) {
    walkBlock(fn.body, {
      expr: (e: TExpr) => {
        if (e.kind !== "par" || (e.origin && e.origin !== "explicit")) return;
        for (const br of e.branches) {
          const branch = program.functions[br.fn];
          if (!branch) continue;
          for (const slot of branch.captures) {
            const path = reachesOnceCell(program, slot.type);
            if (!path) continue;
            const ty = showType(slot.type);
            const where = path.length ? ` at ${path.join(" -> ")}` : "";
            diags.push(
              effectError(
                "E0254",
                `capture of \`${slot.name}\` (type \`${ty}\`) cannot cross a par {} task boundary — type \`${ty}\` reaches \`OnceCell\`${where}, which is single-task`,
                firstUse(branch, slot.local) ?? br.span,
                { notes: ["help: create the OnceCell inside the branch that uses it; a value shared between tasks needs a par type (Mutex[T] or Atomic[T])"] },
              ),
            );
          }
        }
      },
    });
  }
}

/** The field path from t to a OnceCell, or undefined when t holds none. */
function reachesOnceCell(program: TProgram, t: Type): string[] | undefined {
  return findInType(program, t, {
    leafAt: (x) => (x.kind === "struct" && program.structs.get(x.name)?.baseName === ONCE_CELL ? { leaf: ONCE_CELL, typeName: ONCE_CELL } : undefined),
    // A OnceCell behind a Mutex is reached only under the lock; channels and task handles
    // already refuse shared values on their own (par-safety.ts).
    throughHandles: false,
    elementSteps: true,
  })?.path;
}
