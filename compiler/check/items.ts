// Item collection and type-expression resolution. Items may appear in any order, so every
// declaration is recorded first; signatures are resolved afterwards against the full table.

import type { EffectItem, EnumDecl, FnDecl, Program, Span, StructDecl, TypeArg, TypeExpr } from "../syntax/ast.js";
import type { DiagnosticBag } from "../diagnostics.js";
import { Codes } from "./codes.js";
import type { Flavor } from "../tir/nodes.js";
import {
  BOOL, CHAR, ERROR, F64, NEVER, STRING, UNIT, freshVar, hasOpenVars, intTy, isIntName, resolve, show, type Ty,
} from "./types.js";

export interface FieldInfo {
  name: string;
  mut: boolean;
  type: TypeExpr | ((args: Ty[]) => Ty);
  span: Span;
}

export interface StructInfo {
  name: string;
  flavor: Flavor;
  generics: string[];
  fields: FieldInfo[];
  derives: string[];
  decl?: StructDecl;
  span: Span;
}

export interface VariantInfo {
  name: string;
  shape: "unit" | "tuple" | "struct";
  names: (string | undefined)[];
  types: (TypeExpr | ((args: Ty[]) => Ty))[];
}

export interface EnumInfo {
  name: string;
  flavor: Flavor;
  generics: string[];
  variants: VariantInfo[];
  derives: string[];
  prelude?: "option" | "result" | "ordering";
  decl?: EnumDecl;
  span: Span;
}

export interface ParamSig {
  name: string;
  mode: "owned" | "ref" | "mutref";
  type: Ty;
  span: Span;
  /** Declared `frozen T`: read as `ref`, and checked for freezability and escape (effects/frozen.ts). */
  frozen?: true;
}

export interface FnSig {
  params: ParamSig[]; // receiver included as params[0] named "self"
  ret: Ty;
}

export interface FnInfo {
  id: number;
  name: string; // source name
  symbol: string; // "Counter.tick" / "main"
  owner?: string; // impl target name
  decl: FnDecl;
  sig: FnSig;
  ownerTy?: Ty; // Self
  /** Generic free functions: type parameter names (effect variables excluded) and their bounds. */
  generics?: { name: string; bounds: string[] }[];
  /** Instances of a generic function by mangled symbol. */
  instances?: Map<string, FnInfo>;
  /** For an instance: the generic environment its body is checked in. */
  env?: Map<string, Ty>;
  /** Methods of a generic impl: the impl's target type (`Stack[T]`), resolved per instance. */
  ownerTypeExpr?: TypeExpr;
  /** A generic body whose check at its definition failed: it is not checked again per instance. */
  definitionFailed?: boolean;
}

export interface ConstInfo {
  id: number;
  name: string;
  mut: boolean;
  decl: import("../syntax/ast.js").ConstDecl;
  type: Ty;
}

export class ItemTable {
  structs = new Map<string, StructInfo>();
  enums = new Map<string, EnumInfo>();
  fns = new Map<string, FnInfo>();
  /** Symbols ("f", "Type.m") whose declaration was rejected: uses stay silent (one diagnostic per mistake). */
  poisoned = new Set<string>();
  /** Types already reported as having infinite size, so later passes stay silent about them. */
  infiniteTypes = new Set<string>();
  methods = new Map<string, Map<string, FnInfo>>();
  aliases = new Map<string, TypeExpr>();
  consts = new Map<string, ConstInfo>();
  resources = new Map<string, Span>();
  /** Owner type name -> FnInfo of its user `to_string(ref self)` from `impl Display`. */
  displayImpls = new Map<string, FnInfo>();
  /** Owner type name -> user `eq(ref self, other: ref Self) -> bool` from `impl PartialEq/Eq`. */
  eqImpls = new Map<string, FnInfo>();
  /** Owner type name -> user `cmp(ref self, other: ref Self) -> Ordering` from `impl Ord/PartialOrd`. */
  cmpImpls = new Map<string, FnInfo>();
  /** Owner type name -> user `drop(mut ref self)` from `impl Drop`, run when a value is destroyed. */
  dropImpls = new Map<string, FnInfo>();
  allFns: FnInfo[] = [];
  /** The program's source text (Program.source), for the source text `dbg(x)` prints. */
  source?: string;
  private resolvingAlias = new Set<string>();

  constructor(private diags: DiagnosticBag) {
    addPreludeEnums(this);
  }

  /** >0 while re-resolving declarations already checked once (no duplicate diagnostics). */
  quiet = 0;

  err(code: string, message: string, span: Span): void {
    if (this.quiet > 0) return;
    this.diags.error(code, code === Codes.Undefined ? "resolve" : "type", message, span);
  }

  isTypeName(name: string): boolean {
    return this.structs.has(name) || this.enums.has(name) || this.aliases.has(name) || BUILTIN_TYPE_NAMES.has(name);
  }

  enumHasPayload = (name: string): boolean => {
    const e = this.enums.get(name);
    // An enum with a user `Drop` is move-only even without payloads (a Drop type is never Copy).
    return !!e && (e.variants.some((v) => v.types.length > 0) || this.dropImpls.has(name));
  };

  /** Resolve a type expression. `env` maps generic parameter names; `self` is the impl target. */
  resolveType(te: TypeExpr, env?: Map<string, Ty>, self?: Ty): Ty {
    switch (te.kind) {
      case "tuple":
        return te.elems.length === 0 ? UNIT : { kind: "tuple", elems: te.elems.map((e) => this.resolveType(e, env, self)) };
      case "fn":
        return {
          kind: "fn",
          params: te.params.map((p) => this.resolveType(p, env, self)),
          ret: te.ret ? this.resolveType(te.ret, env, self) : UNIT,
        };
      case "ref":
        return this.resolveType(te.inner, env, self);
      case "self":
        if (self) return self;
        this.err(Codes.Undefined, "`Self` is only available inside an impl block", te.span);
        return ERROR;
      case "infer":
        return freshVar();
      case "named":
        return this.resolveNamed(te, env, self);
    }
  }

  private typeArgs(args: TypeArg[], env?: Map<string, Ty>, self?: Ty): Ty[] {
    return args.map((a) => {
      if (a.kind !== "const") return this.resolveType(a, env, self);
      // Only `Array[T, N]` takes a constant; anywhere else a constant is not a type, and an
      // unreported error type would reach code generation.
      this.err(Codes.Mismatch, "expected a type argument, found a constant", a.span);
      return ERROR;
    });
  }

  private arity(name: string, args: TypeArg[], n: number, span: Span): boolean {
    if (args.length === n) return true;
    this.err(Codes.Mismatch, `type ${name} takes ${n} type argument${n === 1 ? "" : "s"}, found ${args.length}`, span);
    return false;
  }

  private resolveNamed(te: TypeExpr & { kind: "named" }, env?: Map<string, Ty>, self?: Ty): Ty {
    if (te.path.length !== 1) {
      this.err(Codes.Unsupported, `module paths in types are not supported: ${te.path.join(".")}`, te.span);
      return ERROR;
    }
    const name = te.path[0];
    const args = te.args;
    const g = env?.get(name);
    if (g) return g;
    if (isIntName(name)) return this.noArgs(name, args, te.span, intTy(name));
    switch (name) {
      case "isize":
        return this.noArgs(name, args, te.span, intTy("i64"));
      case "usize":
        return this.noArgs(name, args, te.span, intTy("u64"));
      case "i128":
      case "u128":
        this.err(Codes.Unsupported, `128-bit integers are not supported`, te.span);
        return ERROR;
      case "f64":
        return this.noArgs(name, args, te.span, F64);
      case "f32":
        return this.noArgs(name, args, te.span, { kind: "float", bits: 32 });
      case "bool":
        return this.noArgs(name, args, te.span, BOOL);
      case "char":
        return this.noArgs(name, args, te.span, CHAR);
      case "String":
        return this.noArgs(name, args, te.span, STRING);
      case "Never":
        return this.noArgs(name, args, te.span, NEVER);
      case "Unit":
        return this.noArgs(name, args, te.span, UNIT);
      case "TaskGroup":
        return this.noArgs(name, args, te.span, { kind: "taskGroup" });
      case "MemoryOrdering":
        return this.noArgs(name, args, te.span, { kind: "memoryOrdering" });
      case "Vec":
      case "Set":
      case "Channel":
      case "Sender":
      case "Receiver": {
        if (!this.arity(name, args, 1, te.span)) return ERROR;
        const elem = this.typeArgs(args, env, self)[0];
        const kind = name === "Vec" ? "vec" : name === "Set" ? "set" : (name.toLowerCase() as "channel" | "sender" | "receiver");
        return { kind, elem } as Ty;
      }
      case "Slice": {
        if (!this.arity(name, args, 1, te.span)) return ERROR;
        return { kind: "slice", elem: this.typeArgs(args, env, self)[0], mut: false };
      }
      case "Map": {
        if (!this.arity(name, args, 2, te.span)) return ERROR;
        const [key, value] = this.typeArgs(args, env, self);
        return { kind: "map", key, value };
      }
      // The ordered and double-ended collections share Map / Set / Vec storage (check/types.ts).
      case "SortedMap": {
        if (!this.arity(name, args, 2, te.span)) return ERROR;
        const [key, value] = this.typeArgs(args, env, self);
        return { kind: "map", key, value, sorted: true };
      }
      case "SortedSet": {
        if (!this.arity(name, args, 1, te.span)) return ERROR;
        return { kind: "set", elem: this.typeArgs(args, env, self)[0], sorted: true };
      }
      case "VecDeque": {
        if (!this.arity(name, args, 1, te.span)) return ERROR;
        return { kind: "vec", elem: this.typeArgs(args, env, self)[0], deque: true };
      }
      // A range value: `Range[T]` is `a..b`, `RangeInclusive[T]` is `a..=b`.
      case "Range":
      case "RangeInclusive": {
        if (!this.arity(name, args, 1, te.span)) return ERROR;
        return { kind: "range", elem: this.typeArgs(args, env, self)[0], inclusive: name === "RangeInclusive" };
      }
      // An iterator value; a peekable one is the same value (`peek` reads the next item).
      case "Iterator":
      case "Peekable": {
        if (!this.arity(name, args, 1, te.span)) return ERROR;
        return { kind: "vec", elem: this.typeArgs(args, env, self)[0], iter: true };
      }
      case "Array": {
        if (!this.arity(name, args, 2, te.span)) return ERROR;
        const elem = this.typeArgs([args[0]], env, self)[0];
        const n = args[1];
        let len = -1;
        if (n.kind === "const" && n.value.kind === "int") len = Number(n.value.value);
        else if (n.kind === "named" && n.path.length === 1 && /^[0-9]+$/.test(n.path[0])) len = Number(n.path[0]);
        else if (n.kind === "named" && n.path.length === 1 && this.consts.has(n.path[0])) {
          const c = this.consts.get(n.path[0])!;
          if (c.decl.value.kind === "int") len = Number(c.decl.value.value);
        }
        if (len < 0) {
          this.err(Codes.Mismatch, "array length must be an integer literal", n.span);
          return ERROR;
        }
        return { kind: "array", elem, len };
      }
      case "Atomic": {
        if (!this.arity(name, args, 1, te.span)) return ERROR;
        const inner = this.typeArgs(args, env, self)[0];
        if (!atomicInnerOk(inner)) {
          this.err(Codes.AtomicInvalidInnerType, `Atomic[${show(inner)}] is not supported: the inner type must be an integer or bool`, te.span);
          return ERROR;
        }
        return { kind: "atomic", inner };
      }
      case "weak": {
        // `weak T` (parsed as the built-in `weak[T]`): a non-owning handle to a shared object.
        if (!this.arity(name, args, 1, te.span)) return ERROR;
        const inner = this.typeArgs(args, env, self)[0];
        const r = resolve(inner);
        if ((r.kind === "struct" || r.kind === "enum") && r.flavor === "shared") return { kind: "weak", inner };
        if (r.kind !== "error") this.err(Codes.Mismatch, `\`weak ${show(inner)}\` is not supported: \`weak\` needs a shared struct or enum`, te.span);
        return ERROR;
      }
      case "Mutex": {
        if (!this.arity(name, args, 1, te.span)) return ERROR;
        return { kind: "mutex", inner: this.typeArgs(args, env, self)[0] };
      }
      case "TaskHandle": {
        if (!this.arity(name, args, 1, te.span)) return ERROR;
        return { kind: "taskHandle", result: this.typeArgs(args, env, self)[0] };
      }
    }
    const alias = this.aliases.get(name);
    if (alias) {
      if (this.resolvingAlias.has(name)) {
        this.err(Codes.Mismatch, `type alias ${name} refers to itself`, te.span);
        return ERROR;
      }
      this.resolvingAlias.add(name);
      const t = this.resolveType(alias, env, self);
      this.resolvingAlias.delete(name);
      return t;
    }
    const s = this.structs.get(name);
    if (s) {
      if (!this.arity(name, args, s.generics.length, te.span)) return ERROR;
      return { kind: "struct", name, flavor: s.flavor, args: this.typeArgs(args, env, self) };
    }
    const e = this.enums.get(name);
    if (e) {
      if (!this.arity(name, args, e.generics.length, te.span)) return ERROR;
      return { kind: "enum", name, flavor: e.flavor, args: this.typeArgs(args, env, self) };
    }
    this.err(Codes.Undefined, `undefined type '${name}'`, te.span);
    return ERROR;
  }

  private noArgs(name: string, args: TypeArg[], span: Span, t: Ty): Ty {
    if (args.length) {
      this.err(Codes.Mismatch, `type ${name} takes no type arguments`, span);
      return ERROR;
    }
    return t;
  }

  /** Field types of a struct instance. */
  structFields(s: StructInfo, args: Ty[]): { name: string; mut: boolean; type: Ty; span: Span }[] {
    const env = genericEnv(s.generics, args);
    this.quiet++;
    try {
      return s.fields.map((f) => ({
        name: f.name,
        mut: f.mut,
        span: f.span,
        type: typeof f.type === "function" ? f.type(args) : this.resolveType(f.type, env),
      }));
    } finally {
      this.quiet--;
    }
  }

  variantTypes(e: EnumInfo, v: VariantInfo, args: Ty[]): Ty[] {
    const env = genericEnv(e.generics, args);
    this.quiet++;
    try {
      return v.types.map((t) => (typeof t === "function" ? t(args) : this.resolveType(t, env)));
    } finally {
      this.quiet--;
    }
  }

  structTy(s: StructInfo, args?: Ty[]): Ty {
    return { kind: "struct", name: s.name, flavor: s.flavor, args: args ?? s.generics.map(() => freshVar()) };
  }

  enumTy(e: EnumInfo, args?: Ty[]): Ty {
    return { kind: "enum", name: e.name, flavor: e.flavor, args: args ?? e.generics.map(() => freshVar()) };
  }

  /**
   * Find the enum declaring a bare variant name (Some, None, Ok, Err, Less, user variants). The
   * enum the context expects is asked first, as karac resolves a pattern against its scrutinee's
   * type: a user enum with a variant named `None` does not hide Option's `None` where an Option is
   * expected, nor the other way round. Without such a context, a user enum wins over the prelude.
   */
  findVariant(name: string, context?: Ty): { e: EnumInfo; index: number } | undefined {
    const want = context ? resolve(context) : undefined;
    if (want?.kind === "enum") {
      const e = this.enums.get(want.name);
      const i = e ? e.variants.findIndex((v) => v.name === name) : -1;
      if (e && i >= 0) return { e, index: i };
    }
    let found: { e: EnumInfo; index: number } | undefined;
    for (const e of this.enums.values()) {
      const i = e.variants.findIndex((v) => v.name === name);
      if (i >= 0) {
        if (found) return found.e.prelude ? { e, index: i } : found; // user enums win over prelude ambiguity
        found = { e, index: i };
      }
    }
    return found;
  }
}

/**
 * The name methods of type `t` are filed under in `ItemTable.methods`: a struct's or enum's own
 * name, and the printed type for a primitive or builtin type with a user `impl` (`u8`, `String`,
 * `Vec[i64]`, `Slice[i64]`), so an impl for `u8` and one for `i64` stay distinct. Undefined for
 * a type not known yet.
 */
export function methodOwnerKey(t: Ty): string | undefined {
  const r = resolve(t);
  if (r.kind === "struct" || r.kind === "enum") return r.name;
  if (r.kind === "var" || r.kind === "error" || r.kind === "never" || hasOpenVars(r)) return undefined;
  // A `mut Slice[T]` receiver reaches the methods of `Slice[T]`.
  if (r.kind === "slice") return `Slice[${show(r.elem)}]`;
  return show(r);
}

export function genericEnv(names: string[], args: Ty[]): Map<string, Ty> {
  const env = new Map<string, Ty>();
  names.forEach((n, i) => env.set(n, args[i] ?? ERROR));
  return env;
}

export function atomicInnerOk(t: Ty): boolean {
  const r = resolve(t);
  return r.kind === "int" || r.kind === "bool" || r.kind === "error" || r.kind === "var";
}

const BUILTIN_TYPE_NAMES = new Set([
  "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "isize", "usize", "f32", "f64", "bool", "char",
  "String", "Vec", "Array", "Slice", "Map", "Set", "SortedMap", "SortedSet", "VecDeque", "Iterator", "Peekable", "Range", "RangeInclusive", "Atomic", "Mutex", "TaskGroup", "TaskHandle",
  "MemoryOrdering", "Never", "Channel", "Sender", "Receiver",
]);

function addPreludeEnums(t: ItemTable): void {
  const span: Span = { offset: 0, length: 0, line: 1, column: 1 };
  t.enums.set("Option", {
    name: "Option", flavor: "plain", generics: ["T"], derives: ["Display", "PartialEq", "PartialOrd"], prelude: "option", span,
    variants: [
      { name: "Some", shape: "tuple", names: [undefined], types: [(a) => a[0]] },
      { name: "None", shape: "unit", names: [], types: [] },
    ],
  });
  t.enums.set("Result", {
    name: "Result", flavor: "plain", generics: ["T", "E"], derives: ["Display", "PartialEq", "PartialOrd"], prelude: "result", span,
    variants: [
      { name: "Ok", shape: "tuple", names: [undefined], types: [(a) => a[0]] },
      { name: "Err", shape: "tuple", names: [undefined], types: [(a) => a[1]] },
    ],
  });
  // The error of String.from_utf8 (karac's runtime/stdlib/utf8_error.kara).
  t.enums.set("Utf8Error", {
    name: "Utf8Error", flavor: "plain", generics: [], derives: ["Display", "PartialEq"], span,
    variants: [
      { name: "InvalidByte", shape: "unit", names: [], types: [] },
      { name: "IncompleteSequence", shape: "unit", names: [], types: [] },
      { name: "Other", shape: "tuple", names: [undefined], types: [() => ({ kind: "string" })] },
    ],
  });
  t.enums.set("Ordering", {
    name: "Ordering", flavor: "plain", generics: [], derives: ["Display", "PartialEq", "PartialOrd"], prelude: "ordering", span,
    variants: ["Less", "Equal", "Greater"].map((name) => ({ name, shape: "unit" as const, names: [], types: [] })),
  });
}

/**
 * The traits an item derives. A derive with options (`Display(snake_case)`) counts as the trait
 * itself, and its options are kept as the entry `Trait(option)` too, for the code that reads them
 * (finalize.ts: enum variants displayed in snake_case).
 */
function derivesOf(attrs: { name: string; args: string[] }[]): string[] {
  return attrs.filter((a) => a.name === "derive").flatMap((a) => a.args).flatMap((arg) => {
    const withOptions = /^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$/.exec(arg);
    if (!withOptions) return [arg];
    const options = withOptions[2].split(",").map((o) => o.trim()).filter((o) => o !== "");
    return [withOptions[1], ...options.map((o) => `${withOptions[1]}(${o})`)];
  });
}

/** Pass 1: record every item's name. Pass 2 (signatures) runs once all names are known. */
export function collectItems(program: Program, table: ItemTable, diags: DiagnosticBag): void {
  const seenType = new Map<string, Span>();
  const dupType = (name: string, span: Span): boolean => {
    if (seenType.has(name)) {
      diags.error(Codes.Duplicate, "resolve", `the name '${name}' is defined multiple times`, span);
      return true;
    }
    seenType.set(name, span);
    return false;
  };
  for (const item of program.items) {
    switch (item.kind) {
      case "struct": {
        if (dupType(item.name.name, item.name.span)) break;
        const seen = new Set<string>();
        const fields: FieldInfo[] = [];
        for (const f of item.fields) {
          if (seen.has(f.name.name)) {
            diags.error(Codes.Duplicate, "resolve", `field '${f.name.name}' is already declared`, f.name.span);
            continue;
          }
          seen.add(f.name.name);
          fields.push({ name: f.name.name, mut: f.mut, type: f.type, span: f.span });
        }
        table.structs.set(item.name.name, {
          name: item.name.name, flavor: item.flavor, generics: item.generics.map((g) => g.name), fields,
          derives: derivesOf(item.attrs), decl: item, span: item.span,
        });
        break;
      }
      case "enum": {
        if (dupType(item.name.name, item.name.span)) break;
        const seen = new Set<string>();
        const variants: VariantInfo[] = [];
        for (const v of item.variants) {
          if (seen.has(v.name.name)) {
            diags.error(Codes.Duplicate, "resolve", `variant '${v.name.name}' is already declared`, v.name.span);
            continue;
          }
          seen.add(v.name.name);
          if (v.shape === "struct") variants.push({ name: v.name.name, shape: "struct", names: v.fields.map((f) => f.name.name), types: v.fields.map((f) => f.type) });
          else if (v.shape === "tuple") variants.push({ name: v.name.name, shape: "tuple", names: v.tupleTypes.map(() => undefined), types: v.tupleTypes });
          else variants.push({ name: v.name.name, shape: "unit", names: [], types: [] });
        }
        table.enums.set(item.name.name, {
          name: item.name.name, flavor: item.flavor, generics: item.generics.map((g) => g.name), variants,
          derives: derivesOf(item.attrs), decl: item, span: item.span,
        });
        break;
      }
      case "typeAlias":
        if (dupType(item.name.name, item.name.span)) break;
        if (item.distinct) diags.error(Codes.Unsupported, "resolve", "distinct types are not supported yet", item.span);
        table.aliases.set(item.name.name, item.type);
        break;
      case "effectResource":
        if (table.resources.has(item.name.name)) diags.error(Codes.Duplicate, "resolve", `effect resource '${item.name.name}' is defined multiple times`, item.name.span);
        table.resources.set(item.name.name, item.span);
        break;
      default:
        break;
    }
  }
}

export const BUILTIN_RESOURCES = new Set(["FileSystem", "Stdin", "Stdout", "Stderr", "Clock", "Env", "Network", "RandomSource", "Heap", "GpuBuffer", "Hardware"]);

/** Undefined resources named in a `with` clause (E0100). */
export function checkEffectClause(items: EffectItem[], table: ItemTable, diags: DiagnosticBag): void {
  for (const it of items) {
    if (it.kind !== "verb") continue;
    for (const r of it.resources) {
      const name = r.path[r.path.length - 1];
      if (r.path.length === 1 && !table.resources.has(name) && !BUILTIN_RESOURCES.has(name)) {
        diags.error(Codes.Undefined, "resolve", `undefined effect resource '${name}'; declare \`effect resource ${name};\` or import one`, r.span);
      }
    }
  }
}
