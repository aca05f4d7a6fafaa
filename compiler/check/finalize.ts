// Final pass over the checked program: substitute solved types (instantiating nominal types
// by mangled name), resolve ownership markers into move/copy, settle literal types and ranges,
// and compute which locals own memory.

import type { DiagnosticBag } from "../diagnostics.js";
import { Codes } from "./codes.js";
import { tyOf } from "./builder.js";
import type { ItemTable } from "./items.js";
import type { TEnumDef, TExpr, TFunction, TLocal, TStructDef, Type, ValueClass } from "./tir.js";
import { hasOpenVars, mangle, valueClass, zonk, type InstanceHook, type Ty } from "./types.js";

export class Finalizer {
  readonly structs = new Map<string, TStructDef>();
  readonly enums = new Map<string, TEnumDef>();
  private visited = new WeakSet<object>();

  constructor(
    private table: ItemTable,
    private diags: DiagnosticBag,
    private fnIdOf: (symbol: string) => number | undefined,
  ) {}

  readonly hook: InstanceHook = (kind, name, args, tyArgs) => {
    const mangled = mangle(name, args);
    if (kind === "struct") {
      if (this.structs.has(mangled)) return mangled;
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
    if (this.enums.has(mangled)) return mangled;
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
    else if (info.derives.includes("Display")) def.display = { kind: "derive" };
    this.userComparisons(def, name);
    return mangled;
  };

  /** Sorting, `contains`, `max` and friends call a user `eq` / `cmp` instead of comparing structurally. */
  private userComparisons(def: { userEq?: number; userCmp?: number }, name: string): void {
    const eq = this.table.eqImpls.get(name);
    const cmp = this.table.cmpImpls.get(name);
    if (eq) def.userEq = eq.id;
    if (cmp) def.userCmp = cmp.id;
  }

  type(t: Ty): Type {
    return zonk(t, this.hook);
  }

  classOf(t: Type): ValueClass {
    return valueClass(tyOf(t), (name) => !!this.enums.get(name)?.variants.some((v) => v.fields.length > 0));
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
    if (this.visited.has(x)) return x;
    this.visited.add(x);
    const o = x as Record<string, unknown>;
    if (typeof o.offset === "number" && typeof o.line === "number") return x; // a Span
    for (const k of Object.keys(o)) {
      const v = o[k];
      // `operand` is a type on binary nodes but an expression on unary ones: expressions carry spans, types never do.
      if (TYPE_KEYS.has(k) && v && typeof v === "object" && !Array.isArray(v) && !("span" in v)) o[k] = this.type(v as Ty);
      else if (k === "typeArgs" && Array.isArray(v)) o[k] = v.map((t) => this.type(t as Ty));
      else o[k] = this.walk(v, locals);
    }
    return this.post(o, locals);
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
    if (p.kind === "local" && !copyOnly) {
      const l = locals[p.local];
      if (ownsMemory(l)) return { kind: "move", local: p.local, type: v.type, span: v.span };
    }
    return { kind: "copy", value: v, type: v.type, span: v.span };
  }
}

/** Pre-order search for an expression whose type still holds an open inference variable. */
function firstOpenExpr(root: unknown): { span: TExpr["span"] } | undefined {
  const seen = new Set<object>();
  const visit = (x: unknown): { span: TExpr["span"] } | undefined => {
    if (!x || typeof x !== "object" || seen.has(x)) return undefined;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const v of x) {
        const hit = visit(v);
        if (hit) return hit;
      }
      return undefined;
    }
    const o = x as Record<string, unknown>;
    if (typeof o.offset === "number" && typeof o.line === "number") return undefined; // a Span
    const t = o.type;
    if ("span" in o && typeof o.kind === "string" && t && typeof t === "object" && !("span" in t) && hasOpenVars(t as Ty)) {
      return o as { span: TExpr["span"] };
    }
    for (const k of Object.keys(o)) {
      if (TYPE_KEYS.has(k) || k === "typeArgs") continue;
      const hit = visit(o[k]);
      if (hit) return hit;
    }
    return undefined;
  };
  return visit(root);
}

const TYPE_KEYS = new Set(["type", "from", "to", "operand", "elem", "ret", "keyType", "valueType"]);

/** Plain scalars and payload-less enums: nothing a scope exit could ever release. */
function isScalar(t: Type): boolean {
  return ["int", "float", "bool", "char", "unit", "never", "memoryOrdering"].includes(t.kind) || (t.kind === "enum" && t.flavor === "plain");
}

function ownsMemory(l: TLocal): boolean {
  if (l.mode === "mutref" || l.mode === "ref") return false;
  return l.kind === "let" || l.kind === "temp" || l.kind === "param";
}
