// A readable rendering of the typed program, for `kara query tir` and for tests that pin down what a
// desugaring produces. Locals print as `name#id` (ids make shadowed names distinct), builtin ops as
// `@op(receiver; args)`, ownership conversions as `move x` / `copy(e)` / `coerce[T](e)`, and every
// `let` with its type. Lifted bodies (closures, par branches, thunks) are functions of their own,
// printed after the function that creates them.

import type { FStringPart, TBlock, TExpr, TFunction, TPattern, TPlace, TProgram, TStmt } from "./nodes.js";
import { showSourceType } from "./show-type.js";

const INDENT = "    ";

/** The whole program: type definitions, then every function in id order. */
export function printProgram(p: TProgram): string {
  const out: string[] = [];
  for (const s of p.structs.values()) out.push(`struct ${s.name} { ${s.fields.map((f) => `${f.mut ? "mut " : ""}${f.name}: ${showSourceType(f.type)}`).join(", ")} }`);
  for (const e of p.enums.values()) {
    if (e.prelude) continue;
    out.push(`enum ${e.name} { ${e.variants.map((v) => (v.fields.length ? `${v.name}(${v.fields.map((f) => showSourceType(f.type)).join(", ")})` : v.name)).join(", ")} }`);
  }
  for (const g of p.globals) out.push(`global ${g.name}#${g.id}: ${showSourceType(g.type)} = ${new Printer(p, undefined).expr(g.init, 0)};`);
  if (out.length) out.push("");
  for (const fn of p.functions) out.push(printFunction(p, fn), "");
  return out.join("\n");
}

/** One function and, after it, the bodies lifted out of it (closures, par branches, thunks), recursively. */
export function printFunctionWithLifted(p: TProgram, fn: TFunction): string {
  const out = [printFunction(p, fn)];
  const lifted = new Set<number>();
  const collect = (f: TFunction): void => {
    for (const g of p.functions) {
      if (g.id !== f.id && g.kind !== "fn" && g.kind !== "method" && g.panicName === fn.panicName && g.name.startsWith(`${f.name}$`) && !lifted.has(g.id)) {
        lifted.add(g.id);
        out.push("", printFunction(p, g));
        collect(g);
      }
    }
  };
  collect(fn);
  return out.join("\n");
}

export function printFunction(p: TProgram, fn: TFunction): string {
  const pr = new Printer(p, fn);
  const params = fn.params.map((x) => `${x.mode === "owned" ? "" : x.mode === "ref" ? "ref " : "mut ref "}${pr.local(x.local)}: ${showSourceType(x.type)}`);
  const captures = fn.captures.length ? ` captures [${fn.captures.map((c) => `${c.byRef ? "ref " : ""}${pr.local(c.local)}`).join(", ")}]` : "";
  const kind = fn.kind === "fn" || fn.kind === "method" ? "fn" : fn.kind;
  return `${kind} ${fn.name}(${params.join(", ")}) -> ${showSourceType(fn.ret)}${captures} ${pr.block(fn.body, 0)}`;
}

class Printer {
  constructor(
    private p: TProgram,
    private fn: TFunction | undefined,
  ) {}

  local(id: number): string {
    return `${this.fn?.locals[id]?.name ?? "$"}#${id}`;
  }

  private fnName(id: number): string {
    return this.p.functions[id]?.name ?? `fn#${id}`;
  }

  block(b: TBlock, depth: number): string {
    const pad = INDENT.repeat(depth + 1);
    const lines = b.stmts.map((s) => pad + this.stmt(s, depth + 1));
    if (b.tail) lines.push(pad + this.expr(b.tail, depth + 1));
    const head = `${b.seq ? "seq " : ""}${b.unsafe ? "unsafe " : ""}${b.labelId !== undefined ? `'b${b.labelId}: ` : ""}{`;
    const drops = b.drops.length ? ` drop [${b.drops.map((d) => this.local(d)).join(", ")}]` : "";
    if (!lines.length) return `${head}}${drops}`;
    return `${head}\n${lines.join("\n")}\n${INDENT.repeat(depth)}}${drops}`;
  }

  stmt(s: TStmt, depth: number): string {
    switch (s.kind) {
      case "let":
        return `let ${this.pattern(s.pattern)}: ${showSourceType(s.pattern.type)}${s.init ? ` = ${this.expr(s.init, depth)}` : ""};`;
      case "assign":
        return `${this.place(s.place, depth)} = ${this.expr(s.value, depth)};`;
      case "compoundAssign":
        return `${this.place(s.place, depth)} ${s.op}= ${this.expr(s.value, depth)};`;
      case "expr":
        return `${this.expr(s.expr, depth)};`;
    }
  }

  place(p: TPlace, depth: number): string {
    switch (p.kind) {
      case "local":
        return this.local(p.local);
      case "global":
        return `${this.p.globals.find((g) => g.id === p.global)?.name ?? "global"}#${p.global}`;
      case "field": {
        const def = p.base.type.kind === "struct" ? this.p.structs.get(p.base.type.name) : undefined;
        return `${this.place(p.base, depth)}.${def?.fields[p.index]?.name ?? p.index}`;
      }
      case "tupleField":
        return `${this.place(p.base, depth)}.${p.index}`;
      case "index":
        return `${this.place(p.base, depth)}[${this.expr(p.index, depth)}]${p.coll === "map" ? "(map)" : ""}${p.orInsert ? ` or_insert ${this.expr(p.orInsert, depth)}` : ""}`;
      case "temp":
        return `temp(${this.expr(p.value, depth)})`;
    }
  }

  private list(xs: TExpr[], depth: number): string {
    return xs.map((x) => this.expr(x, depth)).join(", ");
  }

  /** `Some`, `Err` for the prelude enums, `Shape.Circle` for the others (found by the instance's type). */
  private variantName(en: string, index: number, type: { kind: string; name?: string }): string {
    const def = (type.kind === "enum" && type.name ? this.p.enums.get(type.name) : undefined) ?? this.p.enums.get(en);
    const name = def?.variants[index]?.name ?? String(index);
    return def?.prelude ? name : `${def?.baseName ?? en}.${name}`;
  }

  expr(e: TExpr, depth: number): string {
    switch (e.kind) {
      case "int":
        return String(e.value);
      case "float":
        return Number.isInteger(e.value) ? e.value.toFixed(1) : String(e.value);
      case "bool":
        return String(e.value);
      case "char":
        return `'${String.fromCodePoint(e.value)}'`;
      case "string":
        return JSON.stringify(e.value);
      case "unit":
        return "()";
      case "read":
        return this.place(e.place, depth);
      case "move":
        return `move ${this.local(e.local)}`;
      case "copy":
        return `copy(${this.expr(e.value, depth)})`;
      case "coerce":
        return `coerce[${showSourceType(e.to)}](${this.expr(e.value, depth)})`;
      case "cast":
        return `(${this.expr(e.value, depth)} as ${showSourceType(e.to)})`;
      case "binary":
      case "logical":
        return this.chain(e, depth);
      case "unary":
        return `${e.op === "neg" ? "-" : e.op === "not" ? "!" : "~"}${this.expr(e.operand, depth)}`;
      case "call":
        return `${this.fnName(e.fn)}(${e.args.map((a) => (a.mode === "mutref" ? `mut ref ${this.place(a.place, depth)}` : `${a.mode === "ref" ? "ref " : ""}${this.expr(a.value, depth)}`)).join(", ")})`;
      case "callValue":
        return `(${this.expr(e.callee, depth)})(${this.list(e.args, depth)})`;
      case "providerCall":
        return `${e.resource}.${e.method}@provider[${e.cases.map((f) => this.fnName(f)).join(", ")}](${e.args.map((a) => (a.mode === "mutref" ? `mut ref ${this.place(a.place, depth)}` : `${a.mode === "ref" ? "ref " : ""}${this.expr(a.value, depth)}`)).join(", ")})`;
      case "providerScope":
        return `providers [${e.bindings.map((b) => `${b.resource} => ${this.local(b.local)}`).join(", ")}] ${this.block(e.body, depth)}`;
      case "fnRef":
        return `fn ${this.fnName(e.fn)}`;
      case "builtin": {
        const recv = e.receiver ? (e.receiver.kind === "value" ? this.expr(e.receiver.value, depth) : `place ${this.place(e.receiver.place, depth)}`) : undefined;
        const ty = e.typeArgs.length ? `[${e.typeArgs.map(showSourceType).join(", ")}]` : "";
        const args = this.list(e.args, depth);
        return `@${e.op}${ty}(${recv ?? ""}${recv !== undefined && args ? "; " : ""}${args})`;
      }
      case "fstring":
        return `f"${e.parts.map((p: FStringPart) => (p.kind === "text" ? p.text.replace(/[{}"\\]/g, (c) => `\\${c}`) : `{${this.expr(p.value, depth)}}`)).join("")}"`;
      case "tuple":
        return `(${this.list(e.elems, depth)}${e.elems.length === 1 ? "," : ""})`;
      case "struct": {
        const def = this.p.structs.get(e.struct);
        return `${e.struct} { ${e.fields.map((f) => `${def?.fields[f.index]?.name ?? f.index}: ${this.expr(f.value, depth)}`).join(", ")} }`;
      }
      case "variant":
        return `${this.variantName(e.enum, e.variant, e.type)}${e.payload.length ? `(${this.list(e.payload, depth)})` : ""}`;
      case "vecLit":
        return `vec[${this.list(e.elems, depth)}]`;
      case "vecRepeat":
        return `vec[${this.expr(e.value, depth)}; ${this.expr(e.count, depth)}]`;
      case "arrayLit":
        return `[${this.list(e.elems, depth)}]`;
      case "arrayRepeat":
        return `[${this.expr(e.value, depth)}; ${e.count}]`;
      case "mapLit":
        return `map{${e.entries.map(([k, v]) => `${this.expr(k, depth)}: ${this.expr(v, depth)}`).join(", ")}}`;
      case "setLit":
        return `set{${this.list(e.elems, depth)}}`;
      case "range":
        return `${e.lo ? this.expr(e.lo, depth) : ""}${e.inclusive ? "..=" : ".."}${e.hi ? this.expr(e.hi, depth) : ""}`;
      case "slice":
        return `${this.expr(e.base, depth)}[${e.lo ? this.expr(e.lo, depth) : ""}${e.inclusive ? "..=" : ".."}${e.hi ? this.expr(e.hi, depth) : ""}]`;
      case "closure":
        return `closure ${this.fnName(e.fn)}[${e.captures.map((c) => `${c.byRef ? "ref " : ""}${this.local(c.outer)}`).join(", ")}]`;
      case "block":
        return this.block(e, depth);
      case "if":
        return `if ${this.expr(e.cond, depth)} ${this.block(e.then, depth)}${e.else ? ` else ${this.expr(e.else, depth)}` : ""}`;
      case "match": {
        const pad = INDENT.repeat(depth + 1);
        const arms = e.arms.map((a) => `${pad}${this.pattern(a.pattern)}${a.guard ? ` if ${this.expr(a.guard, depth + 1)}` : ""} => ${this.expr(a.body, depth + 1)},`);
        return `match ${this.expr(e.scrutinee, depth)} {\n${arms.join("\n")}\n${INDENT.repeat(depth)}}`;
      }
      case "while":
        return `'l${e.loopId}: while ${this.expr(e.cond, depth)} ${this.block(e.body, depth)}`;
      case "loop":
        return `'l${e.loopId}: loop ${this.block(e.body, depth)}`;
      case "for": {
        const it = e.iter;
        let src: string;
        switch (it.kind) {
          case "range":
            src = `${this.expr(it.lo, depth)}${it.inclusive ? "..=" : ".."}${this.expr(it.hi, depth)}${it.reverse ? " reversed" : ""}${it.step ? ` step ${this.expr(it.step, depth)}` : ""}`;
            break;
          case "seq":
            src = `${it.collKind} ${this.expr(it.coll, depth)}`;
            break;
          case "chars":
            src = `chars ${this.expr(it.string, depth)}`;
            break;
          case "map":
            src = `map ${this.expr(it.map, depth)}`;
            break;
          case "set":
            src = `set ${this.expr(it.set, depth)}`;
            break;
          case "other":
            src = `iter ${this.expr(it.iter, depth)}`;
            break;
        }
        return `'l${e.loopId}: for ${this.pattern(it.variable)} in ${src} ${this.block(e.body, depth)}`;
      }
      case "break":
        return `break 'l${e.target}${e.value ? ` ${this.expr(e.value, depth)}` : ""}`;
      case "continue":
        return `continue 'l${e.target}`;
      case "return":
        return `return${e.escape ? `(escape ${this.local(e.escape.slot)})` : ""}${e.value ? ` ${this.expr(e.value, depth)}` : ""}`;
      case "try":
        return `${this.expr(e.value, depth)}?`;
      case "par":
        return `par${e.origin && e.origin !== "explicit" ? `(${e.origin})` : ""} [${e.branches.map((b) => this.fnName(b.fn)).join(", ")}]${e.tail ? ` then ${this.expr(e.tail, depth)}` : ""}`;
      case "lock":
        return `lock ${this.place(e.mutex, depth)} as ${this.local(e.alias)} ${this.block(e.body, depth)}`;
      case "defer":
        return `${e.err ? "errdefer" : "defer"}${e.errPattern ? `(${this.pattern(e.errPattern)})` : ""} ${this.expr(e.value, depth)}`;
      case "error":
        return "<error>";
    }
  }

  /** A left-deep operator chain, printed in a loop: chains can be tens of thousands of terms long. */
  private chain(top: Extract<TExpr, { kind: "binary" | "logical" }>, depth: number): string {
    const spine: Extract<TExpr, { kind: "binary" | "logical" }>[] = [];
    let cur: TExpr = top;
    while (cur.kind === "binary" || cur.kind === "logical") {
      spine.push(cur);
      cur = cur.left;
    }
    let text = this.expr(cur, depth);
    for (let i = spine.length - 1; i >= 0; i--) text = `(${text} ${spine[i].op} ${this.expr(spine[i].right, depth)})`;
    return text;
  }

  pattern(p: TPattern): string {
    switch (p.kind) {
      case "wild":
        return "_";
      case "bind":
        return `${this.local(p.local)}${p.sub ? ` @ ${this.pattern(p.sub)}` : ""}`;
      case "lit":
        return this.expr(p.value, 0);
      case "range":
        return `${p.lo ? this.expr(p.lo, 0) : ""}${p.inclusive ? "..=" : ".."}${p.hi ? this.expr(p.hi, 0) : ""}`;
      case "tuple":
        return `(${p.elems.map((x) => this.pattern(x)).join(", ")}${p.elems.length === 1 ? "," : ""})`;
      case "variant":
        return `${this.variantName(p.enum, p.variant, p.type)}${p.args.length ? `(${p.args.map((x) => this.pattern(x)).join(", ")})` : ""}`;
      case "struct": {
        const def = this.p.structs.get(p.struct);
        return `${p.struct} { ${p.fields.map((f) => `${def?.fields[f.index]?.name ?? f.index}: ${this.pattern(f.pattern)}`).join(", ")} }`;
      }
      case "or":
        return p.alts.map((x) => this.pattern(x)).join(" | ");
      case "slice":
        return `[${[...p.prefix.map((x) => this.pattern(x)), ...(p.rest ? [`${this.pattern(p.rest)} @ ..`] : []), ...p.suffix.map((x) => this.pattern(x))].join(", ")}]`;
    }
  }
}
