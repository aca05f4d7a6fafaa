// `frozen T` parameters and `frozen self` receivers (karac's freeze forms of stages 1 and 2.7): a
// read-only handle to a deeply immutable `shared` struct, which every branch of a `par`
// block may pass on at once (par-safety.ts admits it). A receiver is the method's parameter 0.
//   E0512  the parameter's type cannot be frozen: not a `shared struct` (enums never are), a `par
//          struct`, or a type with a `mut` field anywhere reachable from it
//   E0510  a frozen value is changed in place (a mutating method, a `mut` argument) — assignments
//          to it are already refused by the checker, as for any `ref` parameter
//   E0511  the frozen handle escapes: moved, captured by a closure, or a handle-bearing place read
//          anywhere other than as a whole argument to another `frozen` parameter, or bound out of
//          it by a `match` pattern (the scrutinee itself is only inspected)
// Both are judged on the typed program, where every use of a parameter is a place read, a move or
// a capture. A `par` branch is not a closure here: it joins before the function returns, so a frozen
// value it captures stays a frozen root inside the branch.

import type { Diagnostic } from "../diagnostics.js";
import type { FnId, LocalId, TExpr, TFunction, TPlace, TProgram, Type } from "../tir/nodes.js";
import { typeParts } from "../tir/type-parts.js";
import { placeRoot, walkBlock, walkPattern } from "../tir/walk.js";
import { effectError } from "./diag.js";
import { showType } from "./types.js";

export function checkFrozenParams(program: TProgram, diags: Diagnostic[]): void {
  for (const fn of program.functions) {
    const roots = new Set<LocalId>();
    for (const p of fn.params) {
      if (!p.frozen) continue;
      const refusal = freezeRefusal(program, p.type);
      if (refusal) diags.push(effectError("E0512", refusal.message, p.span, { notes: [refusal.note] }));
      else roots.add(p.local);
    }
    if (roots.size) checkEscapes(program, fn, roots, diags, new Set());
  }
}

/** Whether argument `index` of a call to `id` goes to a `frozen` parameter. */
export function isFrozenSlot(program: TProgram, id: FnId, index: number): boolean {
  return program.functions[id]?.params[index]?.frozen === true;
}

function freezeRefusal(program: TProgram, t: Type): { message: string; note: string } | undefined {
  const shown = showType(t);
  // karac freezes structs only: an enum, `shared` or not, is refused like any other non-struct.
  if (t.kind === "enum") {
    const name = program.enums.get(t.name)?.baseName ?? shown;
    return {
      message: `\`frozen\` requires a \`shared struct\`; \`${name}\` is an enum`,
      note: `pass \`${name}\` as \`ref\`, or hold it in a field of a \`shared struct\` and freeze that`,
    };
  }
  const def = t.kind === "struct" ? program.structs.get(t.name) : undefined;
  const name = def?.baseName ?? shown;
  if (def?.flavor === "par") {
    return {
      message: `\`${name}\` is a \`par struct\`, so \`frozen\` adds nothing`,
      note: "a `par struct` can already be read from several branches at once; drop `frozen` and pass it as `ref`",
    };
  }
  if (!def || def.flavor !== "shared") {
    return {
      message: `\`frozen\` requires a \`shared\` type; \`${name}\` is not one`,
      note: `\`frozen\` lets concurrent branches read one reference-counted handle without touching its count, and \`${name}\` has no count; pass it as \`ref\``,
    };
  }
  const field = mutableFieldReachable(program, t, new Set());
  if (field) {
    return {
      message: `\`${name}\` has mutable state (\`mut\` field \`${field}\`), so it cannot be frozen`,
      note: `a frozen value must be deeply immutable while it is shared: remove \`mut\` from every field reachable from \`${name}\`, or pass it as \`ref\``,
    };
  }
  return undefined;
}

/** The first `mut` field (as `Type.field`) reachable from t through fields, payloads and elements. */
function mutableFieldReachable(program: TProgram, t: Type, seen: Set<string>): string | undefined {
  const key = showType(t);
  if (seen.has(key)) return undefined;
  seen.add(key);
  if (t.kind === "struct") {
    const def = program.structs.get(t.name);
    for (const f of def?.fields ?? []) {
      if (f.mut) return `${def!.baseName}.${f.name}`;
      const inner = mutableFieldReachable(program, f.type, seen);
      if (inner) return inner;
    }
    return undefined;
  }
  if (t.kind === "enum") {
    for (const v of program.enums.get(t.name)?.variants ?? []) {
      for (const f of v.fields) {
        const inner = mutableFieldReachable(program, f.type, seen);
        if (inner) return inner;
      }
    }
    return undefined;
  }
  // Interior mutability is state too.
  if (t.kind === "atomic" || t.kind === "mutex") return `${key}`;
  for (const inner of typeParts(t)) {
    const found = mutableFieldReachable(program, inner, seen);
    if (found) return found;
  }
  return undefined;
}

/** Does a value of type t carry a `shared` handle (whose copy would touch a reference count)? */
function carriesHandle(program: TProgram, t: Type, seen = new Set<string>()): boolean {
  const key = showType(t);
  if (seen.has(key)) return false;
  seen.add(key);
  if (t.kind === "struct") {
    const def = program.structs.get(t.name);
    if ((def?.flavor ?? t.flavor) === "shared") return true;
    return (def?.fields ?? []).some((f) => carriesHandle(program, f.type, seen));
  }
  if (t.kind === "enum") {
    const def = program.enums.get(t.name);
    if ((def?.flavor ?? t.flavor) === "shared") return true;
    return (def?.variants ?? []).some((v) => v.fields.some((f) => carriesHandle(program, f.type, seen)));
  }
  if (t.kind === "weak") return true;
  return typeParts(t).some((x) => carriesHandle(program, x, seen));
}

/** A `frozen self` receiver is named as one: the declaration to change is the method's. */
function frozenNoun(name: string): string {
  return name === "self" ? "frozen receiver `self`" : `frozen value \`${name}\``;
}

function checkEscapes(program: TProgram, fn: TFunction, roots: Set<LocalId>, diags: Diagnostic[], visited: Set<FnId>): void {
  if (visited.has(fn.id)) return;
  visited.add(fn.id);
  const passedOn = new WeakSet<object>();
  const inner = new WeakSet<TPlace>();
  const toPlainParam = new WeakSet<object>();
  const rootOf = (p: TPlace): LocalId | undefined => {
    const r = placeRoot(p);
    return r?.kind === "local" && roots.has(r.local) ? r.local : undefined;
  };
  const report = (local: LocalId, how: string, span: TExpr["span"]): void => {
    const name = fn.locals[local]?.name ?? "value";
    diags.push(
      effectError("E0511", `${frozenNoun(name)} ${how}`, span, {
        notes: ["a frozen handle is read without counting references, so it may only be read or passed whole to another `frozen` parameter; it must not outlive the call"],
      }),
    );
  };
  walkBlock(fn.body, {
    place: (p, access, span) => {
      const root = rootOf(p);
      if (root === undefined || access === "read" || inner.has(p)) return;
      // Places come outermost first: the bases of a reported place are the same write.
      for (let b: TPlace | undefined = p; b && "base" in b; b = b.base as TPlace) inner.add(b.base as TPlace);
      const name = fn.locals[root]?.name ?? "value";
      diags.push(
        effectError("E0510", `cannot mutate ${frozenNoun(name)}`, span, {
          notes: ["a frozen value is shared read-only (every `par` branch may be reading it); pass it as `mut ref` to change it"],
        }),
      );
    },
    expr: (e) => {
      switch (e.kind) {
        case "call":
          e.args.forEach((a, i) => {
            if (a.mode === "mutref" || a.value.kind !== "read" || rootOf(a.value.place) === undefined) return;
            if (isFrozenSlot(program, e.fn, i)) passedOn.add(a.value);
            else toPlainParam.add(a.value);
          });
          break;
        case "read": {
          const root = rootOf(e.place);
          if (root === undefined || passedOn.has(e)) break;
          if (carriesHandle(program, e.place.type)) {
            const what = toPlainParam.has(e)
              ? "is passed to a parameter that is not `frozen`"
              : e.place.kind === "local"
                ? "is used as a value"
                : `has a part of type \`${showType(e.place.type)}\` taken out of it`;
            report(root, `${what}; it may only be read or passed to a \`frozen\` parameter`, e.span);
          }
          break;
        }
        case "match": {
          // A match inspects its scrutinee in place (codegen borrows it), so matching a frozen
          // place is a read; what its arms bind is copied out, and a copied handle would count.
          const s = e.scrutinee;
          const root = s.kind === "read" ? rootOf(s.place) : undefined;
          if (root === undefined) break;
          passedOn.add(s);
          for (const arm of e.arms) {
            walkPattern(arm.pattern, {
              pattern: (p) => {
                if (p.kind === "bind" && carriesHandle(program, p.type)) {
                  report(root, `has a part of type \`${showType(p.type)}\` bound out of it by a pattern; it may only be read or passed to a \`frozen\` parameter`, p.span);
                }
              },
            });
          }
          break;
        }
        case "move":
          if (roots.has(e.local)) report(e.local, "is moved; a frozen handle cannot be given away", e.span);
          break;
        case "closure":
          for (const c of e.captures) if (roots.has(c.outer)) report(c.outer, "is captured by a closure, which could outlive the call", e.span);
          return false;
        case "par":
          for (const b of e.branches) {
            const branch = program.functions[b.fn];
            if (!branch) continue;
            const inner = new Set<LocalId>();
            b.captures.forEach((c, slot) => {
              const cap = branch.captures[slot];
              if (roots.has(c.outer) && cap) inner.add(cap.local);
            });
            if (inner.size) checkEscapes(program, branch, inner, diags, visited);
          }
          break;
        default:
          break;
      }
    },
  });
}
