// The one type printer. Final types (`Type`) and the checker's inference types share every shape
// but inference variables and the error type, so the shapes print here, once, parameterised by how
// a child type prints; the checker's printer (`show` in check/types.ts) resolves variables and
// delegates the rest.
//
// Two styles: "source" reads as Kāra source (`mut Slice[i64]`, `(i64,)`, `Fn(i64)`), for messages and
// instance names; "key" is the canonical key codegen names per-type generated functions by (types
// that share a runtime representation, like `Slice` and `mut Slice`, print the same).

import type { Type } from "./nodes.js";

export type TypeStyle = "source" | "key";

/** The type shapes both type representations have, with children of type `C`. */
export type TypeShape<C> =
  | { kind: "int"; name: string }
  | { kind: "float"; bits: number }
  | { kind: "bool" | "char" | "string" | "unit" | "never" | "taskGroup" | "memoryOrdering" }
  | { kind: "tuple"; elems: C[] }
  | { kind: "struct" | "enum"; name: string }
  | { kind: "vec" | "set" | "range" | "channel" | "sender" | "receiver"; elem: C; deque?: true; sorted?: true; iter?: true; inclusive?: boolean }
  | { kind: "array"; elem: C; len: number }
  | { kind: "slice"; elem: C; mut: boolean }
  | { kind: "map"; key: C; value: C; sorted?: true }
  | { kind: "fn"; params: C[]; ret: C }
  | { kind: "atomic" | "mutex"; inner: C }
  | { kind: "weak"; inner: C }
  | { kind: "taskHandle"; result: C };

const NAMED: Record<string, string> = {
  bool: "bool", char: "char", string: "String", unit: "()", taskGroup: "TaskGroup", memoryOrdering: "MemoryOrdering",
  vec: "Vec", set: "Set", range: "Range", channel: "Channel", sender: "Sender", receiver: "Receiver", atomic: "Atomic", mutex: "Mutex",
};

/**
 * One level of a type: `child` prints the children, `isUnit` tells whether a child is `()` (a
 * source-style `Fn` type leaves out a unit return). Nominal types print their name as given.
 */
export function printTypeShape<C>(t: TypeShape<C>, child: (c: C) => string, style: TypeStyle, isUnit: (c: C) => boolean): string {
  switch (t.kind) {
    case "int":
      return t.name;
    case "float":
      return `f${t.bits}`;
    case "never":
      return style === "source" ? "Never" : "!";
    case "bool":
    case "char":
    case "string":
    case "unit":
    case "taskGroup":
    case "memoryOrdering":
      return NAMED[t.kind];
    case "tuple":
      return `(${t.elems.map(child).join(", ")}${style === "source" && t.elems.length === 1 ? "," : ""})`;
    case "struct":
    case "enum":
      return t.name;
    case "vec":
    case "set":
    case "range":
    case "channel":
    case "sender":
    case "receiver": {
      // A VecDeque shares the Vec's runtime form, so the key style prints it as a Vec; an
      // iterator value is stored reversed, so it keeps its own key.
      const name =
        t.kind === "vec" && t.iter ? "Iterator" : t.kind === "vec" && t.deque && style === "source" ? "VecDeque" : t.kind === "set" && t.sorted ? "SortedSet" : t.kind === "range" && t.inclusive ? "RangeInclusive" : NAMED[t.kind];
      return `${name}[${child(t.elem)}]`;
    }
    case "array":
      return `Array[${child(t.elem)}, ${t.len}]`;
    case "slice":
      return `${style === "source" && t.mut ? "mut " : ""}Slice[${child(t.elem)}]`;
    case "map":
      return `${t.sorted ? "SortedMap" : "Map"}[${child(t.key)}, ${child(t.value)}]`;
    case "fn": {
      const ret = style === "source" && isUnit(t.ret) ? "" : ` -> ${child(t.ret)}`;
      return `Fn(${t.params.map(child).join(", ")})${ret}`;
    }
    case "atomic":
    case "mutex":
      return `${NAMED[t.kind]}[${child(t.inner)}]`;
    case "weak":
      return `weak ${child(t.inner)}`;
    case "taskHandle":
      return `TaskHandle[${child(t.result)}]`;
  }
}

const isUnitType = (t: Type): boolean => t.kind === "unit";

/** The canonical key of a final type (codegen's per-type function names, effect-phase messages). */
export function showType(t: Type): string {
  return printTypeShape<Type>(t, showType, "key", isUnitType);
}

/** A final type as Kāra source writes it: checker messages, generic instance names. */
export function showSourceType(t: Type): string {
  return printTypeShape<Type>(t, showSourceType, "source", isUnitType);
}
