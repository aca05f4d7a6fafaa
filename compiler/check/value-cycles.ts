// Plain (non-`shared`) structs and enums are values: a field holds its value in place. A plain
// type that holds itself in place — directly, through another plain type, or inside a tuple,
// fixed array, `Option` or `Result` — would need infinite size; karac requires such a type to be
// `shared` (a reference-counted handle). Heap collections (`Vec`, `Map`, …) and `shared` types
// break a cycle, since they hold a handle rather than the value.

import type { TypeExpr } from "../syntax/ast.js";
import type { DiagnosticBag } from "../diagnostics.js";
import { Codes } from "./codes.js";
import type { EnumInfo, ItemTable, StructInfo } from "./items.js";

/** Built-in type constructors that hold their type arguments in place. */
const INLINE_CONSTRUCTORS = new Set(["Option", "Result", "Array"]);

type Nominal = StructInfo | EnumInfo;

export function reportValueCycles(table: ItemTable, diags: DiagnosticBag): void {
  const plain = new Map<string, Nominal>();
  for (const s of table.structs.values()) if (s.flavor === "plain" && s.decl) plain.set(s.name, s);
  for (const e of table.enums.values()) if (e.flavor === "plain" && e.decl && !e.prelude) plain.set(e.name, e);

  const edges = new Map<string, string[]>();
  for (const [name, info] of plain) {
    const out = new Set<string>();
    for (const t of fieldTypes(info)) inlineNominals(t, plain, out);
    edges.set(name, [...out]);
  }

  // Depth-first search over the declaration graph; each cycle is reported once, at the first
  // declaration on it (in source order), naming the whole chain.
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string): void => {
    state.set(name, "open");
    stack.push(name);
    for (const next of edges.get(name) ?? []) {
      const s = state.get(next);
      if (s === "open") report(stack.slice(stack.indexOf(next)));
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(name, "done");
  };
  const report = (cycle: string[]): void => {
    if (cycle.some((n) => reported.has(n))) return;
    for (const n of cycle) {
      reported.add(n);
      table.infiniteTypes.add(n);
    }
    const first = cycle.reduce((a, b) => (plain.get(a)!.span.offset <= plain.get(b)!.span.offset ? a : b));
    const start = cycle.indexOf(first);
    const chain = [...cycle.slice(start), ...cycle.slice(0, start), first].map((n) => `\`${n}\``).join(" holds ");
    const info = plain.get(first)!;
    const kind = "variants" in info ? "enum" : "struct";
    diags.error(
      Codes.InfiniteType,
      "type",
      cycle.length === 1
        ? `${kind} \`${first}\` holds itself by value and would have infinite size; declare it \`shared ${kind}\` so it holds a reference-counted handle`
        : `${chain}: these types hold each other by value and would have infinite size; declare one of them \`shared\``,
      info.decl?.name.span ?? info.span,
    );
  };
  for (const name of [...plain.keys()].sort((a, b) => plain.get(a)!.span.offset - plain.get(b)!.span.offset)) {
    if (state.get(name) === undefined) visit(name);
  }
}

/** The declared field and payload types, read from the declaration (the table's are resolved). */
function fieldTypes(info: Nominal): TypeExpr[] {
  const decl = info.decl;
  if (!decl) return [];
  if (decl.kind === "struct") return decl.fields.map((f) => f.type);
  return decl.variants.flatMap((v) => (v.shape === "struct" ? v.fields.map((f) => f.type) : v.shape === "tuple" ? v.tupleTypes : []));
}

/** Adds to `out` each plain user type that `t` holds in place. */
function inlineNominals(t: TypeExpr, plain: Map<string, Nominal>, out: Set<string>): void {
  if (t.kind === "tuple") {
    for (const e of t.elems) inlineNominals(e, plain, out);
    return;
  }
  if (t.kind !== "named") return;
  const name = t.path[t.path.length - 1];
  if (t.path.length === 1 && INLINE_CONSTRUCTORS.has(name) && !plain.has(name)) {
    for (const a of t.args) if (a.kind !== "const") inlineNominals(a, plain, out);
    return;
  }
  // A user generic type's arguments are not followed: whether it holds them in place depends on
  // its fields, and a missed cycle only defers the report, while a wrong one rejects a valid type.
  if (plain.has(name)) out.add(name);
}
