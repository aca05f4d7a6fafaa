// Helpers shared by the syntax tests: parse a snippet, pull out parts of the tree, and
// print expressions as fully parenthesised text to check precedence.

import { parse } from "./parser.js";
import type * as A from "./ast.js";
import type { Diagnostic } from "../diagnostics.js";

export function parseOk(src: string): A.Program {
  const r = parse(src, "test.kara");
  if (r.diagnostics.length > 0) {
    throw new Error(`unexpected diagnostics:\n${r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`).join("\n")}`);
  }
  return r.program;
}

export function diags(src: string): Diagnostic[] {
  return parse(src, "test.kara").diagnostics;
}

// The diagnostics as "CODE line:col" strings.
export function where(src: string): string[] {
  return diags(src).map((d) => `${d.code} ${d.span.line}:${d.span.column}`);
}

export function fnBody(src: string): A.Block {
  const p = parseOk(src);
  const f = p.items.find((i): i is A.FnDecl => i.kind === "fn");
  if (!f || !f.body) throw new Error("no fn with a body");
  return f.body;
}

// Parses `e` as the tail expression of a function body.
export function expr(e: string): A.Expr {
  const b = fnBody(`fn t() {\n${e}\n}`);
  if (!b.tail) throw new Error(`no tail expression in: ${e}`);
  return b.tail;
}

// The statements of a body; a trailing `()` keeps a final block-like statement from
// becoming the tail.
export function stmts(body: string): A.Stmt[] {
  return fnBody(`fn t() {\n${body}\n()\n}`).stmts;
}

export function show(e: A.Expr | undefined): string {
  if (!e) return "_";
  switch (e.kind) {
    case "int":
    case "float":
      return e.text;
    case "str":
      return JSON.stringify(e.value);
    case "bool":
      return String(e.value);
    case "char":
      return `'${String.fromCodePoint(e.value)}'`;
    case "ident":
      return e.name;
    case "unit":
      return "()";
    case "binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "unary":
      return `(${e.op} ${show(e.operand)})`;
    case "cast":
      return `(${show(e.expr)} as ${showType(e.type)})`;
    case "try":
      return `${show(e.expr)}?`;
    case "call":
      return `${show(e.callee)}(${e.args.map(showArg).join(", ")})`;
    case "methodCall":
      return `${show(e.receiver)}.${e.method.name}(${e.args.map(showArg).join(", ")})`;
    case "field":
      return `${show(e.object)}${e.optional ? "?." : "."}${e.name.name}`;
    case "index":
      return `${show(e.object)}[${e.indices.map(show).join(", ")}]`;
    case "range":
      return `(${show(e.lo)}${e.inclusive ? "..=" : ".."}${show(e.hi)})`;
    case "tuple":
      return `(${e.elems.map(show).join(", ")},)`;
    case "list": {
      const pre = e.prefix ?? "";
      if (e.repeat) return `${pre}[${show(e.repeat.value)}; ${show(e.repeat.count)}]`;
      if (e.entries) return `${pre}[${e.entries.map(([k, v]) => `${show(k)}: ${show(v)}`).join(", ")}]`;
      return `${pre}[${e.elems.map(show).join(", ")}]`;
    }
    case "structLit":
      return `${e.path.join(".")}{${e.fields.map((f) => `${f.name.name}: ${show(f.value)}`).join(", ")}${e.base ? `, ..${show(e.base)}` : ""}}`;
    case "closure":
      return `|${e.params.map((p) => showPat(p.pattern)).join(", ")}| ${show(e.body)}`;
    case "error":
      return "<error>";
    default:
      return `<${e.kind}>`;
  }
}

function showArg(a: A.Arg): string {
  return `${a.label ? a.label + ": " : ""}${a.mutMarker ? "mut " : ""}${show(a.value)}`;
}

export function showType(t: A.TypeExpr | A.TypeArg | undefined): string {
  if (!t) return "_";
  switch (t.kind) {
    case "named":
      return t.path.join(".") + (t.args.length ? `[${t.args.map(showType).join(", ")}]` : "");
    case "tuple":
      return `(${t.elems.map(showType).join(", ")})`;
    case "fn":
      return `Fn(${t.params.map(showType).join(", ")})${t.ret ? " -> " + showType(t.ret) : ""}${t.effects ? " with " + t.effects.items.map(showEffect).join(" ") : ""}`;
    case "ref":
      return `${t.mut ? "mut ref" : "ref"} ${showType(t.inner)}`;
    case "self":
      return "Self";
    case "infer":
      return "_";
    case "const":
      return show(t.value);
  }
}

export function showEffect(i: A.EffectItem): string {
  if (i.kind === "verb") {
    return i.resources.length === 0 ? i.verb : `${i.verb}(${i.resources.map((r) => r.path.join(".") + (r.key ? `[${show(r.key)}]` : "")).join(", ")})`;
  }
  return `${i.kind}:${i.name}`;
}

export function showPat(p: A.Pattern): string {
  switch (p.kind) {
    case "wild":
      return "_";
    case "bind":
      return `${p.mut ? "mut " : ""}${p.name}${p.sub ? " @ " + showPat(p.sub) : ""}`;
    case "lit":
      return show(p.value);
    case "range":
      return `${p.lo ? show(p.lo) : ""}${p.inclusive ? "..=" : ".."}${p.hi ? show(p.hi) : ""}`;
    case "tuple":
      return `(${p.elems.map(showPat).join(", ")})`;
    case "variant":
      return p.path.join(".") + (p.args ? `(${p.args.map(showPat).join(", ")})` : "");
    case "struct":
      return `${p.path.join(".")} {${p.fields.map((f) => `${f.name}: ${showPat(f.pattern)}`).join(", ")}${p.rest ? ", .." : ""}}`;
    case "or":
      return p.alts.map(showPat).join(" | ");
    case "slice":
      return `[${p.elems.map(showPat).join(", ")}]`;
    case "rest":
      return `..${p.binding ?? ""}`;
  }
}

// Every node reachable from `root` that has an id, for id-uniqueness and span checks.
export function allNodes(root: unknown): A.NodeBase[] {
  const out: A.NodeBase[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.id === "number" && o.span) out.push(o as unknown as A.NodeBase);
    for (const [k, x] of Object.entries(o)) if (k !== "span") walk(x);
  };
  walk(root);
  return out;
}
