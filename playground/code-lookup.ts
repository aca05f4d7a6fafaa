// Questions the editor asks of a CodeIndex: which symbol a position names, which variables are
// visible there, and what `expr.` offers. Positions are in the index's own text; the editor maps
// its current positions there first (code-intel.ts). No DOM, so it is unit-tested.

import { BUILTIN_REGISTRY } from "../compiler/tir/builtins.js";
import type { CodeIndex, CodeSymbol } from "./code-index.js";

export interface Member {
  name: string;
  kind: "field" | "method";
  detail: string;
  doc?: string;
}

/** The symbol named at `pos` (a position inside or at the end of the name). */
export function symbolAt(index: CodeIndex, pos: number): CodeSymbol | undefined {
  for (const r of index.refs) {
    if (r.from > pos) break;
    if (pos <= r.to) return index.symbols[r.symbol];
  }
  return undefined;
}

/** Variables and parameters visible at `pos`: declared before it, in scope, the innermost of each name. */
export function localsInScope(index: CodeIndex, pos: number): CodeSymbol[] {
  const byName = new Map<string, CodeSymbol>();
  for (const s of index.symbols) {
    if ((s.kind !== "variable" && s.kind !== "parameter") || !s.scope || !s.def) continue;
    if (s.def.to > pos || pos > s.scope.to) continue;
    const seen = byName.get(s.name);
    if (!seen || seen.def!.from < s.def.from) byName.set(s.name, s);
  }
  return [...byName.values()];
}

/** Library types written by name before `.` (`Vec.new()`), and their builtin op prefixes. */
const LIBRARY_TYPES: Record<string, string> = {
  Vec: "vec",
  String: "string",
  Map: "map",
  Set: "set",
  Atomic: "atomic",
  Mutex: "mutex",
  TaskGroup: "taskgroup",
  Channel: "channel",
  char: "char",
  i8: "int",
  i16: "int",
  i32: "int",
  i64: "int",
  u8: "int",
  u16: "int",
  u32: "int",
  u64: "int",
  f32: "float",
  f64: "float",
};

/** How a builtin's source form writes it after `.`: `v.push(x: T)` → `push`. */
const methodName = (op: string): string => op.slice(op.indexOf(".") + 1);

/** The library's methods for member keys like `vec`: the registry's ops named `vec.*` called on a value. */
export function libraryMembers(key: string): Member[] {
  return BUILTIN_REGISTRY.opsWhere((d, op) => op.startsWith(`${key}.`) && d.receiver !== "none" && d.sig.includes(`.${methodName(op)}(`)).map((op) => {
    const d = BUILTIN_REGISTRY.get(op)!;
    return { name: methodName(op), kind: "method", detail: d.sig, doc: d.doc };
  });
}

/** `Type.` on a library type: its constructors and constants (`Vec.new`, `i64.MAX`). */
export function associatedLibraryMembers(typeName: string): Member[] {
  const key = LIBRARY_TYPES[typeName];
  if (key === undefined) return [];
  return BUILTIN_REGISTRY.opsWhere((d, op) => op.startsWith(`${key}.`) && d.receiver === "none").map((op) => {
    const d = BUILTIN_REGISTRY.get(op)!;
    return { name: methodName(op), kind: "method", detail: d.sig, doc: d.doc };
  });
}

/** Fields and methods for member keys (user types' tables, the library's prefixes), each name once. */
export function membersOf(index: CodeIndex, keys: readonly string[]): Member[] {
  const out = new Map<string, Member>();
  for (const key of keys) {
    const table = index.members[key];
    if (table) {
      for (const id of table.fields) {
        const s = index.symbols[id];
        if (!out.has(s.name)) out.set(s.name, { name: s.name, kind: "field", detail: s.detail });
      }
      for (const id of table.methods) {
        const s = index.symbols[id];
        if (!out.has(s.name)) out.set(s.name, { name: s.name, kind: "method", detail: s.detail });
      }
    } else {
      for (const m of libraryMembers(key)) if (!out.has(m.name)) out.set(m.name, m);
    }
  }
  return [...out.values()];
}

/**
 * What `a.b.c.` offers at `pos`: the head is a variable in scope (or a type name, for associated
 * functions), then each further name a field or method of the previous one.
 */
export function membersAfter(index: CodeIndex, chain: readonly string[], pos: number): Member[] {
  const [head, ...rest] = chain;
  if (head === undefined) return [];
  const local = localsInScope(index, pos).find((s) => s.name === head);
  let keys: string[] | undefined = local?.members;
  if (!local) {
    const type = index.symbols.find((s) => (s.kind === "struct" || s.kind === "enum") && s.name === head);
    if (rest.length === 0) {
      if (type) {
        const key = type.members?.[0];
        const table = key ? index.members[key] : undefined;
        return (table?.methods ?? []).map((id) => index.symbols[id]).map((s) => ({ name: s.name, kind: "method", detail: s.detail }));
      }
      return associatedLibraryMembers(head);
    }
    return [];
  }
  for (const name of rest) {
    if (!keys) return [];
    const next: CodeSymbol | undefined = keys
      .flatMap((k) => [...(index.members[k]?.fields ?? []), ...(index.members[k]?.methods ?? [])])
      .map((id) => index.symbols[id])
      .find((s) => s.name === name);
    keys = next?.members;
  }
  return keys ? membersOf(index, keys) : [];
}

/** Free names at `pos`: variables in scope, functions, types, and the prelude's functions. */
export function namesAt(index: CodeIndex, pos: number): Array<{ name: string; kind: CodeSymbol["kind"]; detail: string; doc?: string }> {
  const out = new Map<string, { name: string; kind: CodeSymbol["kind"]; detail: string; doc?: string }>();
  for (const s of localsInScope(index, pos)) out.set(s.name, s);
  for (const s of index.symbols) {
    if ((s.kind === "function" || s.kind === "struct" || s.kind === "enum") && !out.has(s.name)) out.set(s.name, s);
  }
  for (const op of BUILTIN_REGISTRY.opsWhere((d, op) => d.receiver === "none" && !op.includes("."))) {
    const d = BUILTIN_REGISTRY.get(op)!;
    if (!out.has(op)) out.set(op, { name: op, kind: "builtin", detail: d.sig, doc: d.doc });
  }
  return [...out.values()];
}
