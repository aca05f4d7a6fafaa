// The typed program's invariants, checked: what every phase after the checker may rely on. The
// checker runs this on its output (a violation is a checker bug and becomes E9999); the test suites
// also run it after each later phase (KARA_VERIFY_TIR=1, see `verifyAfterPhase`).
//
// Invariants:
//  - every type is a final `Type`: no inference variable, no `error` type, nominal types by their
//    mangled instance name (no checker-side type arguments) naming a definition of the program;
//  - every expression, pattern and place has a type and a span, and its kind is a TIR kind
//    (no checker-internal `$own` marker, no `error` node);
//  - every builtin op is in the registry;
//  - local, function and global references are in range;
//  - no expression, statement, pattern or place object appears twice in one function: passes that
//    rewrite a node in place or key facts by node must not affect a second, unrelated use.

import type { TExpr, TFunction, TPattern, TPlace, TProgram, TStmt, Type } from "./nodes.js";
import { BUILTIN_REGISTRY, type BuiltinRegistry } from "./builtins.js";
import { mutViewArg, mutViewLoop, walkBlock, walkExpr, walkPattern, type Visitor } from "./walk.js";

const EXPR_KINDS: ReadonlySet<string> = new Set([
  "int", "float", "bool", "char", "string", "unit", "read", "move", "copy", "coerce", "cast", "binary", "logical",
  "unary", "call", "callValue", "fnRef", "builtin", "fstring", "tuple", "struct", "variant", "vecLit", "vecRepeat",
  "arrayLit", "arrayRepeat", "mapLit", "setLit", "range", "slice", "closure", "block", "if", "match", "while", "loop",
  "for", "break", "continue", "return", "try", "par", "lock", "defer", "providerCall", "providerScope",
]);

const TYPE_KINDS: ReadonlySet<string> = new Set([
  "int", "float", "bool", "char", "string", "unit", "never", "tuple", "struct", "enum", "vec", "array", "slice", "map",
  "set", "fn", "atomic", "mutex", "weak", "taskGroup", "taskHandle", "memoryOrdering", "range", "channel", "sender", "receiver",
]);

export interface TirViolation {
  /** The function (mangled name) or `$globals`. */
  where: string;
  message: string;
}

/** Every violated invariant of `program`, in program order; empty when the program is well formed. */
export function verifyProgram(program: TProgram, builtins: BuiltinRegistry = BUILTIN_REGISTRY): TirViolation[] {
  const out: TirViolation[] = [];
  for (const fn of program.functions) out.push(...verifyFunction(fn, program, builtins));
  const v = new FunctionVerifier("$globals", undefined, program, builtins);
  for (const g of program.globals) {
    v.type(g.type, `global ${g.name}`);
    walkExpr(g.init, v.visitor);
  }
  out.push(...v.problems);
  return out;
}

/**
 * The invariants of one function. `program` supplies the definitions nominal types must name and
 * the function count; without it only the shape of the function itself is checked.
 */
export function verifyFunction(fn: TFunction, program?: Pick<TProgram, "functions" | "structs" | "enums" | "globals">, builtins: BuiltinRegistry = BUILTIN_REGISTRY): TirViolation[] {
  const v = new FunctionVerifier(fn.name, fn, program, builtins);
  for (const l of fn.locals) v.type(l.type, `local ${l.name}`);
  for (const p of fn.params) {
    v.type(p.type, `parameter ${p.name}`);
    v.local(p.local, `parameter ${p.name}`);
  }
  for (const c of fn.captures) {
    v.type(c.type, `capture ${c.name}`);
    v.local(c.local, `capture ${c.name}`);
  }
  v.type(fn.ret, "return type");
  for (const id of fn.paramDrops) v.local(id, "parameter drop");
  walkBlock(fn.body, v.visitor);
  if (fn.parResult) {
    v.local(fn.parResult.local, "par result");
    walkPattern(fn.parResult.errPattern, v.visitor);
  }
  return v.problems;
}

/** Throws when `program` breaks an invariant; `phase` names the phase whose output it is. */
export function assertValidTir(program: TProgram, phase: string, builtins: BuiltinRegistry = BUILTIN_REGISTRY): void {
  const problems = verifyProgram(program, builtins);
  if (!problems.length) return;
  const shown = problems.slice(0, 5).map((p) => `${p.where}: ${p.message}`);
  const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : "";
  throw new Error(`the typed program after ${phase} is malformed: ${shown.join("; ")}${more}`);
}

/** KARA_VERIFY_TIR=1 in the environment (the test suites set it; there is none in a browser). */
export function verifyAfterPhase(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.KARA_VERIFY_TIR === "1";
}

/** "`kind` what", built once per kind: the verifier names every node it visits. */
const descriptions: Record<string, Map<string, string>> = { expression: new Map(), place: new Map(), pattern: new Map() };
function described(kind: string, what: "expression" | "place" | "pattern"): string {
  const table = descriptions[what];
  let d = table.get(kind);
  if (d === undefined) table.set(kind, (d = `\`${kind}\` ${what}`));
  return d;
}

class FunctionVerifier {
  readonly problems: TirViolation[] = [];
  private seen = new Set<object>();
  /** Places the walker reports a second time: those a `mut Slice` argument lends for writing. */
  private revisits = new Set<object>();
  readonly visitor: Visitor;

  constructor(
    private where: string,
    private fn: TFunction | undefined,
    private program: Pick<TProgram, "functions" | "structs" | "enums" | "globals"> | undefined,
    private builtins: BuiltinRegistry,
  ) {
    this.visitor = {
      builtins,
      expr: (e) => this.expr(e),
      place: (p) => this.place(p),
      pattern: (p) => this.pattern(p),
      stmt: (s) => this.stmt(s),
    };
  }

  private fail(message: string): void {
    // One broken invariant tends to repeat at every node: a few examples say enough.
    if (this.problems.length < 20) this.problems.push({ where: this.where, message });
  }

  private once(node: object, what: string): void {
    if (this.seen.has(node)) this.fail(`${what} node appears more than once in the tree`);
    else this.seen.add(node);
  }

  local(id: number, what: string): void {
    if (this.fn && !(Number.isInteger(id) && id >= 0 && id < this.fn.locals.length)) this.fail(`${what} refers to local ${id}, not one of the function's ${this.fn.locals.length}`);
  }

  private fnId(id: number, what: string): void {
    if (this.program && !(Number.isInteger(id) && id >= 0 && id < this.program.functions.length)) this.fail(`${what} refers to function ${id}, which does not exist`);
  }

  /** A final type: a TIR kind all the way down, nominal types naming an instance of the program. */
  type(t: Type | undefined, what: string): void {
    if (!t || typeof t !== "object") return this.fail(`${what} has no type`);
    if (!TYPE_KINDS.has(t.kind)) return this.fail(`${what} has a non-final type of kind \`${t.kind}\``);
    switch (t.kind) {
      case "struct":
      case "enum": {
        if ("args" in t) return this.fail(`${what} has the checker-side type \`${t.name}\` with unmangled type arguments`);
        const defs = t.kind === "struct" ? this.program?.structs : this.program?.enums;
        if (defs && !defs.has(t.name)) this.fail(`${what} names ${t.kind} \`${t.name}\`, which the program does not define`);
        return;
      }
      case "tuple":
        return t.elems.forEach((x) => this.type(x, what));
      case "fn":
        t.params.forEach((x) => this.type(x, what));
        return this.type(t.ret, what);
      case "map":
        this.type(t.key, what);
        return this.type(t.value, what);
      case "atomic":
      case "mutex":
      case "weak":
        return this.type(t.inner, what);
      case "taskHandle":
        return this.type(t.result, what);
      case "vec":
      case "array":
      case "slice":
      case "set":
      case "range":
      case "channel":
      case "sender":
      case "receiver":
        return this.type(t.elem, what);
      default:
        return;
    }
  }

  private spanned(x: { span?: unknown }, what: string): void {
    if (!x.span || typeof x.span !== "object") this.fail(`${what} has no span`);
  }

  private expr(e: TExpr): void {
    const what = described(e.kind, "expression");
    if (!EXPR_KINDS.has(e.kind)) this.fail(`${what} is not a TIR node (a checker-internal node leaked)`);
    this.once(e, what);
    this.spanned(e, what);
    this.type(e.type, what);
    switch (e.kind) {
      case "coerce":
      case "cast":
        this.type(e.from, what);
        this.type(e.to, what);
        break;
      case "binary":
        this.type(e.operand, what);
        break;
      case "builtin":
        if (!this.builtins.get(e.op)) this.fail(`builtin op \`${e.op}\` is not in the registry`);
        e.typeArgs.forEach((t) => this.type(t, `\`${e.op}\` type argument`));
        break;
      case "move":
        this.local(e.local, what);
        break;
      case "call":
        for (const a of e.args) {
          for (let q = mutViewArg(a); q; q = q.kind === "field" || q.kind === "tupleField" || q.kind === "index" ? q.base : undefined) this.revisits.add(q);
        }
        this.fnId(e.fn, what);
        break;
      case "fnRef":
      case "closure":
        this.fnId(e.fn, what);
        break;
      case "providerCall":
        e.cases.forEach((f) => this.fnId(f, what));
        break;
      case "providerScope":
        e.bindings.forEach((b) => this.local(b.local, "provider binding"));
        break;
      case "for":
        if ("elem" in e.iter) this.type(e.iter.elem, "for-loop element");
        // The walker reports the place a `for x in v.iter_mut()` view lends a second time.
        for (let q = mutViewLoop(e.iter); q; q = q.kind === "field" || q.kind === "tupleField" || q.kind === "index" ? q.base : undefined) this.revisits.add(q);
        break;
      case "par":
        for (const b of e.branches) {
          this.fnId(b.fn, "par branch");
          if (b.escape) walkExpr(b.escape.exit, this.visitor);
        }
        e.hoisted.forEach((id) => this.local(id, "hoisted par local"));
        break;
      case "lock":
        this.local(e.alias, what);
        break;
      case "defer":
        if (e.errPattern) walkPattern(e.errPattern, this.visitor);
        break;
      case "block":
        e.drops.forEach((id) => this.local(id, "block drop"));
        break;
    }
  }

  private place(p: TPlace): void {
    const what = described(p.kind, "place");
    if (this.revisits.delete(p)) return;
    this.once(p, what);
    this.spanned(p, what);
    this.type(p.type, what);
    if (p.kind === "local") this.local(p.local, what);
    if (p.kind === "global" && this.program && !this.program.globals.some((g) => g.id === p.global)) this.fail(`${what} refers to global ${p.global}, which does not exist`);
  }

  private pattern(p: TPattern): void {
    const what = described(p.kind, "pattern");
    this.once(p, what);
    this.spanned(p, what);
    this.type(p.type, what);
    if (p.kind === "bind") this.local(p.local, what);
    if (p.kind === "slice") this.type(p.elem, what);
  }

  private stmt(s: TStmt): void {
    this.once(s, `\`${s.kind}\` statement`);
    if (s.kind === "compoundAssign") this.type(s.operand, "compound assignment");
  }
}
