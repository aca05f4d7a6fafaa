// docs/library.md, rendered from the builtin registry. `npm run docs:library` writes it; a test
// fails when the file and the table disagree.

import { BUILTIN_REGISTRY, type BuiltinDescriptor, type BuiltinRegistry } from "./builtins.js";
import { COMPOSED_FORMS } from "./library-forms.js";

/** Section titles by op prefix (the part before the dot; "" for prelude functions). */
const SECTIONS: Record<string, string> = {
  "": "Prelude functions",
  vec: "Vec[T]",
  array: "Arrays [T; N]",
  slice: "Slice[T]",
  string: "String",
  char: "char",
  int: "Integers (i8 … u64)",
  float: "Floats (f32, f64)",
  ordering: "Ordering",
  range: "Ranges",
  range_inclusive: "Ranges",
  option: "Option[T]",
  result: "Result[T, E]",
  atomic: "Atomic[T]",
  mutex: "Mutex[T]",
  taskgroup: "TaskGroup",
  taskhandle: "TaskHandle[T]",
  map: "Map[K, V]",
  set: "Set[T]",
  channel: "Channels",
  sender: "Channels",
  receiver: "Channels",
};

function sectionOf(op: string): string {
  const dot = op.indexOf(".");
  const prefix = dot < 0 ? "" : op.slice(0, dot);
  return SECTIONS[prefix] ?? prefix;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

function row(op: string, d: BuiltinDescriptor): string {
  const receiver = d.receiver === "none" ? "" : d.receiver;
  const effects = (d.effects ?? []).join(", ");
  const roles = (d.roles ?? []).join(", ");
  return `| \`${cell(d.sig)}\` | ${receiver} | ${effects} | ${roles} | ${cell(d.doc)} | \`${op}\` |`;
}

export function renderLibraryDoc(registry: BuiltinRegistry = BUILTIN_REGISTRY): string {
  const sections = new Map<string, string[]>();
  for (const op of registry.ops()) {
    const title = sectionOf(op);
    const rows = sections.get(title) ?? [];
    rows.push(row(op, registry.get(op)!));
    sections.set(title, rows);
  }
  const out = [
    "# Builtin library",
    "",
    "<!-- Generated from compiler/tir/builtins.ts by `npm run docs:library`. Do not edit by hand. -->",
    "",
    "Every builtin function, method and constant the compiler knows, one row per operation of the typed",
    "program. Columns:",
    "",
    "- **receiver**: empty for a free function, constructor or constant; `value` when the receiver is read as",
    "  a value; `ref` when it is a place read in place or a shared cell updated through it; `mut` when the",
    "  operation modifies the binding (automatic parallelisation orders two such statements on one binding).",
    "- **effects**: what a call infers by itself — `panics`, `allocates` (allocates(Heap)), `suspends`.",
    "  Output is not an effect, and a trap on a bad index or an overflow is not listed as `panics`.",
    "- **role**: `output` (writes stdout/stderr), `cancel-point` (a free call that observes cancellation),",
    "  `spawn`, `join`, `channel`, `atomic-update` (updates a shared cell; two on one cell keep their order).",
    "- **op**: the operation's name in the typed program.",
    "",
  ];
  for (const [title, rows] of sections) {
    out.push(`## ${title}`, "", "| form | receiver | effects | role | description | op |", "|---|---|---|---|---|---|", ...rows, "");
  }
  // Methods the checker composes from the operations above (tir/library-forms.ts).
  out.push("## Forms built from other operations", "", "| form | description | built by |", "|---|---|---|");
  for (const f of COMPOSED_FORMS) out.push(`| \`${cell(f.sig)}\` | ${cell(f.doc)} | \`${f.builtBy}\` |`);
  out.push("");
  return out.join("\n");
}
