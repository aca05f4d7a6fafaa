// E0254 for an `OnceCell[T]` captured by a `par` branch. A OnceCell is single-task (karac:
// E_ONCE_CELL_CROSSES_TASK_BOUNDARY, reported as CrossTaskUnsafeCapture): unlike other shared
// values it has no sole-ownership carve-out at a `par {}` boundary, so even one branch using it
// is rejected. (Spawned tasks and channel sends already reject
// it as a shared value, par-safety.ts.)

import type { Diagnostic } from "../diagnostics.js";
import type { LocalId, Span, TExpr, TFunction, TProgram, Type } from "../tir/nodes.js";
import { walkBlock } from "../tir/walk.js";
import { showType } from "./types.js";
import { effectError } from "./diag.js";

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
            const path = reachesOnceCell(program, slot.type, new Set());
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
function reachesOnceCell(program: TProgram, t: Type, seen: Set<string>): string[] | undefined {
  const inner = (x: Type, step: string): string[] | undefined => {
    const p = reachesOnceCell(program, x, seen);
    return p ? [step, ...p] : undefined;
  };
  switch (t.kind) {
    case "struct": {
      const def = program.structs.get(t.name);
      if (!def) return undefined;
      if (def.baseName === ONCE_CELL) return [];
      if (seen.has(t.name)) return undefined;
      seen.add(t.name);
      for (const f of def.fields) {
        const p = inner(f.type, f.name);
        if (p) return p;
      }
      return undefined;
    }
    case "enum": {
      const def = program.enums.get(t.name);
      if (!def || seen.has(t.name)) return undefined;
      seen.add(t.name);
      for (const v of def.variants) {
        for (let i = 0; i < v.fields.length; i++) {
          const p = inner(v.fields[i].type, `${v.name}.${v.fields[i].name ?? i}`);
          if (p) return p;
        }
      }
      return undefined;
    }
    case "tuple":
      for (let i = 0; i < t.elems.length; i++) {
        const p = inner(t.elems[i], String(i));
        if (p) return p;
      }
      return undefined;
    case "vec":
    case "array":
    case "slice":
    case "set":
      return inner(t.elem, "[]");
    case "map":
      return inner(t.key, "key") ?? inner(t.value, "value");
    default:
      return undefined;
  }
}

function firstUse(fn: TFunction, local: LocalId): Span | undefined {
  let first: Span | undefined;
  const seen = (span: Span): void => {
    if (!first || span.offset < first.offset) first = span;
  };
  walkBlock(fn.body, {
    place: (p, _a, span) => {
      if (p.kind === "local" && p.local === local) seen(span);
    },
    expr: (e) => {
      if (e.kind === "move" && e.local === local) seen(e.span);
    },
  });
  return first;
}
