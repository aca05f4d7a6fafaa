// Final pass over the checked program: substitute solved types (instantiating nominal types
// by mangled name), resolve ownership markers into move/copy, settle literal types and ranges,
// and compute which locals own memory.

import type { DiagnosticBag } from "../diagnostics.js";
import { Codes } from "./codes.js";
import { tyOf } from "./builder.js";
import type { ItemTable } from "./items.js";
import type { TEnumDef, TExpr, TFunction, TLocal, TStructDef, Type, ValueClass } from "../tir/nodes.js";
import { hasOpenVars, mangle, valueClass, zonk, type InstanceHook, type Ty } from "./types.js";
import { isCopyLike } from "./copy-like.js";
import { indexMoveMessage } from "./index-moves.js";
import { settleContracts } from "./contracts.js";

export class Finalizer {
  readonly structs = new Map<string, TStructDef>();
  readonly enums = new Map<string, TEnumDef>();
  private visited = new Set<object>();
  /** Generic nominal instances whose fields are being computed, innermost last. */
  private expanding: { name: string; mangled: string }[] = [];
  /** Generic types already reported as expanding without bound. */
  private unbounded = new Set<string>();

  constructor(
    private table: ItemTable,
    private diags: DiagnosticBag,
    private fnIdOf: (symbol: string) => number | undefined,
  ) {}

  readonly hook: InstanceHook = (kind, name, args, tyArgs) => {
    const mangled = mangle(name, args);
    if (kind === "struct" ? this.structs.has(mangled) : this.enums.has(mangled)) return mangled;
    if (this.expandsWithoutBound(name, mangled)) return mangled;
    this.expanding.push({ name, mangled });
    try {
      return kind === "struct" ? this.structInstance(name, mangled, args, tyArgs) : this.enumInstance(name, mangled, args, tyArgs);
    } finally {
      this.expanding.pop();
    }
  };

  /**
   * A generic type whose fields need an ever larger instance of itself (`struct S[T] { v: S[S[T]] }`)
   * has no finite set of instances. A finite recursion revisits an instance already being built (and
   * stops there), so finding the same generic type nested this deep in its own field types means the
   * expansion does not end: report it once, at the declaration, instead of instantiating forever.
   */
  private expandsWithoutBound(name: string, mangled: string): boolean {
    const open = this.expanding.filter((x) => x.name === name);
    if (open.length < MAX_NESTED_INSTANCES) return false;
    if (!this.unbounded.has(name) && !this.table.infiniteTypes.has(name)) {
      this.unbounded.add(name);
      const info = this.table.structs.get(name) ?? this.table.enums.get(name);
      const chain = [open[0].mangled, open[1].mangled, open[2].mangled].map((s) => `\`${s}\``).join(" needs ");
      this.diags.error(
        Codes.InfiniteType,
        "type",
        `generic type \`${name}\` expands without bound: ${chain}, and so on; a field may not nest its own type in a larger instance of it`,
        info?.span ?? { offset: 0, length: 0, line: 1, column: 1 },
        { notes: [`${MAX_NESTED_INSTANCES} nested instances were built before giving up, the last being \`${mangled}\``] },
      );
    }
    return true;
  }

  private structInstance(name: string, mangled: string, args: Type[], tyArgs: Ty[]): string {
    const info = this.table.structs.get(name);
    if (!info) return mangled;
    const def: TStructDef = {
      name: mangled, baseName: name, typeArgs: args, flavor: info.flavor, fields: [], derives: info.derives, span: info.span,
    };
    this.structs.set(mangled, def);
    def.fields = this.table.structFields(info, tyArgs).map((f) => ({ name: f.name, mut: f.mut, type: this.type(f.type) }));
    const user = this.table.displayImpls.get(name);
    if (user) def.display = { kind: "user", fn: user.id };
    else if (info.derives.includes("Display")) def.display = { kind: "derive" };
    this.userComparisons(def, name);
    return mangled;
  }

  private enumInstance(name: string, mangled: string, args: Type[], tyArgs: Ty[]): string {
    const info = this.table.enums.get(name);
    if (!info) return mangled;
    const def: TEnumDef = {
      name: mangled, baseName: name, typeArgs: args, flavor: info.flavor, variants: [], derives: info.derives, span: info.span,
    };
    if (info.prelude) def.prelude = info.prelude;
    this.enums.set(mangled, def);
    def.variants = info.variants.map((v) => {
      const types = this.table.variantTypes(info, v, tyArgs);
      return {
        name: v.name,
        shape: v.shape,
        fields: types.map((t, i) => (v.names[i] !== undefined ? { name: v.names[i], type: this.type(t) } : { type: this.type(t) })),
      };
    });
    const user = this.table.displayImpls.get(name);
    if (user) def.display = { kind: "user", fn: user.id };
    else if (info.derives.includes("Display")) def.display = info.derives.includes("Display(snake_case)") ? { kind: "derive", snakeCase: true } : { kind: "derive" };
    this.userComparisons(def, name);
    return mangled;
  }

  /** Sorting, `contains`, `max` and friends call a user `eq` / `cmp` instead of comparing structurally. */
  private userComparisons(def: { userEq?: number; userCmp?: number; userDrop?: number }, name: string): void {
    const eq = this.table.eqImpls.get(name);
    const cmp = this.table.cmpImpls.get(name);
    const drop = this.table.dropImpls.get(name);
    if (eq) def.userEq = eq.id;
    if (cmp) def.userCmp = cmp.id;
    if (drop) def.userDrop = drop.id;
  }

  /**
   * Settled types by the checker's type object. Inference is over when the finalizer runs, so an
   * object always settles to the same type; most nodes of a body share a few type objects, and
   * settling builds a new type each time (a generic instance's mangled name included).
   */
  private settled = new Map<Ty, Type>();

  type(t: Ty): Type {
    let z = this.settled.get(t);
    if (z === undefined) this.settled.set(t, (z = zonk(t, this.hook)));
    return z;
  }

  classOf(t: Type): ValueClass {
    // An enum with a user `Drop` is move-only even without payloads (a Drop type is never Copy).
    return valueClass(tyOf(t), (name) => !!this.enums.get(name)?.variants.some((v) => v.fields.length > 0) || this.table.dropImpls.has(name));
  }

  /** Report locals whose type inference never settled. Runs before substitution. */
  reportOpenLocals(fn: TFunction): void {
    let reported = false;
    for (const l of fn.locals) {
      if ((l.kind === "let" || l.kind === "param") && hasOpenVars(tyOf(l.type))) {
        this.diags.error(Codes.NeedsAnnotation, "type", `type annotations needed for '${l.name}'`, l.span);
        reported = true;
      }
    }
    // A value nothing constrains (`println(Vec.new())`) never reaches a local; report the outermost
    // such expression once per function, since every enclosing use shares the same open variable.
    if (!reported) {
      const open = firstOpenExpr(fn.body) ?? (fn.parResult ? firstOpenExpr(fn.parResult) : undefined);
      if (open) this.diags.error(Codes.NeedsAnnotation, "type", "type annotations needed: the type of this value cannot be inferred", open.span);
    }
  }

  function(fn: TFunction): void {
    const locals = fn.locals;
    for (const l of locals) l.type = this.type(tyOf(l.type));
    for (const p of fn.params) p.type = this.type(tyOf(p.type));
    for (const c of fn.captures) c.type = this.type(tyOf(c.type));
    fn.ret = this.type(tyOf(fn.ret));
    for (const l of locals) l.owned = ownsMemory(l) && this.classOf(l.type) === "owned";
    fn.body = this.walk(fn.body, locals) as typeof fn.body;
    if (fn.parResult) fn.parResult = this.walk(fn.parResult, locals) as typeof fn.parResult;
    for (const c of fn.contracts ?? []) c.expr = this.walk(c.expr, locals) as TExpr;
    for (const s of fn.contractSnapshots ?? []) s.value = this.walk(s.value, locals) as TExpr;
    settleContracts(fn);
    fn.paramDrops = fn.paramDrops.filter((id) => locals[id].owned);
  }

  expr(e: TExpr, locals: TLocal[]): TExpr {
    return this.walk(e, locals) as TExpr;
  }

  private walk(x: unknown, locals: TLocal[]): unknown {
    if (x === null || typeof x !== "object") return x;
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) x[i] = this.walk(x[i], locals);
      return x;
    }
    const o = x as Record<string, unknown>;
    // Spans are shared by many nodes and hold nothing to finalize: test for them before the
    // visited set, which then holds nodes only (its size is what makes this pass cost memory).
    if (typeof o.offset === "number" && typeof o.line === "number") return x;
    if (this.visited.has(x)) return x;
    if (isOperatorNode(o) && isOperatorNode(o.left)) return this.walkChain(o, locals);
    this.visited.add(x);
    this.walkFields(o, locals);
    return this.post(o, locals);
  }

  /**
   * A left-deep operator chain (`a + b + … + z`), walked down its left spine in a loop and finished
   * bottom-up: the same order as plain recursion, without a stack frame per operator.
   */
  private walkChain(top: Record<string, unknown>, locals: TLocal[]): unknown {
    const spine: Record<string, unknown>[] = [];
    let cur: unknown = top;
    while (isOperatorNode(cur) && !this.visited.has(cur)) {
      spine.push(cur);
      cur = cur.left;
    }
    let left = this.walk(cur, locals);
    for (let i = spine.length - 1; i >= 0; i--) {
      const o = spine[i];
      this.visited.add(o);
      o.left = left;
      this.walkFields(o, locals, "left");
      left = this.post(o, locals);
    }
    return left;
  }

  private walkFields(o: Record<string, unknown>, locals: TLocal[], done?: string): void {
    for (const k in o) {
      if (k === done) continue;
      const v = o[k];
      // Strings, numbers and absent children need no walk and no write back.
      if (v === null || typeof v !== "object") continue;
      // `operand` is a type on binary nodes but an expression on unary ones: expressions carry spans, types never do.
      if (TYPE_KEYS.has(k) && v && typeof v === "object" && !Array.isArray(v) && !("span" in v)) o[k] = this.type(v as Ty);
      else if (k === "typeArgs" && Array.isArray(v)) o[k] = v.map((t) => this.type(t as Ty));
      else o[k] = this.walk(v, locals);
    }
  }

  private post(o: Record<string, unknown>, locals: TLocal[]): unknown {
    const kind = o.kind;
    if (kind === "$own") return this.ownResolve(o.value as TExpr, locals, o.copyOnly === true);
    if (kind === "int" && o.type && typeof o.type === "object") {
      const t = o.type as Type;
      if (t.kind === "float") {
        o.kind = "float";
        o.value = Number(o.value as bigint);
      }
    }
    if (kind === "block" && Array.isArray(o.drops)) {
      o.drops = (o.drops as number[]).filter((id) => locals[id] && ownsMemory(locals[id]) && (locals[id].owned || !isScalar(locals[id].type)));
    }
    return o;
  }

  /** A value flowing into an owning site: a whole owned local moves, an element/field read copies. */
  private ownResolve(v: TExpr, locals: TLocal[], copyOnly: boolean): TExpr {
    if (v.kind !== "read") return v;
    if (this.classOf(v.type) !== "owned") return v;
    const p = v.place;
    // karac's Copy-like aggregates (an Option or tuple of shared handles, `Option[i64]`, …) are
    // never consumed by a use: the owning site gets its own copy.
    if (p.kind === "local" && !copyOnly && !isCopyLike(v.type, this)) {
      const l = locals[p.local];
      if (ownsMemory(l)) return { kind: "move", local: p.local, type: v.type, span: v.span };
    }
    // A non-Copy element of a container, or a `ref` binding, cannot be taken by value (check/index-moves.ts).
    if (!copyOnly && !isCopyLike(v.type, this)) {
      const bad = indexMoveMessage(v, locals, this);
      if (bad) this.diags.error(bad.code === "shared" ? Codes.SharedDropMove : bad.code === "borrow" ? Codes.MoveOutOfBorrow : Codes.IndexMoveNonCopy, "type", bad.message, bad.span);
    }
    return { kind: "copy", value: v, type: v.type, span: v.span };
  }
}

/** Pre-order search for an expression whose type still holds an open inference variable. */
function firstOpenExpr(root: unknown): { span: TExpr["span"] } | undefined {
  // No visited set: bodies are trees (a node reachable twice is visited twice, which is harmless
  // for a read-only search), and a set of every node made this search dominate long functions.
  // An explicit stack (children pushed in reverse keep the pre-order): trees can be very deep.
  const stack: unknown[] = [root];
  while (stack.length) {
    const x = stack.pop();
    if (!x || typeof x !== "object") continue;
    if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push(x[i]);
      continue;
    }
    const o = x as Record<string, unknown>;
    if (typeof o.offset === "number" && typeof o.line === "number") continue; // a Span
    const t = o.type;
    if ("span" in o && typeof o.kind === "string" && t && typeof t === "object" && !("span" in t) && hasOpenVars(t as Ty)) {
      return o as { span: TExpr["span"] };
    }
    // Children in reverse key order; primitives and types are never pushed.
    const from = stack.length;
    for (const k in o) {
      const v = o[k];
      if (v !== null && typeof v === "object" && !TYPE_KEYS.has(k) && k !== "typeArgs") stack.push(v);
    }
    for (let i = from, j = stack.length - 1; i < j; i++, j--) {
      const t = stack[i];
      stack[i] = stack[j];
      stack[j] = t;
    }
  }
  return undefined;
}

/** A binary or logical operator node of the TIR (types never have these kinds). */
function isOperatorNode(x: unknown): x is Record<string, unknown> & { left: unknown } {
  const k = (x as { kind?: unknown } | null)?.kind;
  return (k === "binary" || k === "logical") && typeof x === "object" && "left" in (x as object);
}

/** Instances of one generic type nested in its own field types before the expansion counts as unbounded. */
const MAX_NESTED_INSTANCES = 16;

const TYPE_KEYS = new Set(["type", "from", "to", "operand", "elem", "ret", "keyType", "valueType"]);

/** Plain scalars and payload-less enums: nothing a scope exit could ever release. */
function isScalar(t: Type): boolean {
  return ["int", "float", "bool", "char", "unit", "never", "memoryOrdering"].includes(t.kind) || (t.kind === "enum" && t.flavor === "plain");
}

function ownsMemory(l: TLocal): boolean {
  if (l.mode === "mutref" || l.mode === "ref") return false;
  return l.kind === "let" || l.kind === "temp" || l.kind === "param";
}
