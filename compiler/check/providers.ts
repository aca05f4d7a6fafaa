// Provider-rooted resources (`effect resource Mailer: MailProvider;`):
//  - `Mailer.send(..)` is typed by the provider trait's method and becomes a `providerCall`, which
//    dispatches at run time to the provider on top of the current task's provider stack;
//  - `with_provider[R](p, || body)` and `providers { R => p, S => q } in { body }` evaluate every
//    provider first, keep each in an addressable local (so `mut ref self` methods mutate it in
//    place and later calls see the change), then run the body inside a `providerScope` that
//    pushes them (first listed outermost) and pops them on every way out.
// The body is checked inline, as karac runs it: `break` / `continue` reach the enclosing loop,
// while `return` and `?` leave the scope with its value (karac's closure-scoped return).
// Each provider type bound to a resource gets a tag; once every body is checked, each call's
// dispatch cases are filled in with that type's impl method, one per tag.
// The standard streams are provider-rooted too, as in karac: `Stdout` and `Stderr` take any
// provider with `print(.., s: String)` and `println(.., s: String)` methods, `Stdout.println(s)`
// calls it, and in a program that binds one, `print` / `println` (Stdout) and `eprintln` (Stderr)
// pass their formatted text to the provider on top of the stack, or write it when none is bound.

import type { Arg, Expr, FnDecl, Program, TraitDecl, TypeExpr } from "../syntax/ast.js";
import type { LocalId, TBlock, TExpr, TPattern, TProviderBinding, TStmt } from "../tir/nodes.js";
import { walkBlock } from "../tir/walk.js";
import { asType } from "./builder.js";
import { Codes } from "./codes.js";
import { type CheckContext, mk, T } from "./context.js";
import type { ItemTable, ParamSig } from "./items.js";
import { paramModeType } from "./mut-slice.js";
import { implementsUserTrait } from "./trait-impls.js";
import { ERROR, NEVER, STRING, UNIT, freshVar, resolve, show, unify, type Ty } from "./types.js";

/** The callee name the parser gives `providers { .. } in { .. }` (not a name a program can write). */
export const PROVIDERS_FORM = "$providers";
const WITH_PROVIDER = "with_provider";

interface ProviderResource {
  name: string;
  /** Index in TProgram.resources (declaration order). */
  rid: number;
  /** Provider trait bounds: the trait and its type arguments as written. */
  bounds: { trait: TraitDecl; args: TypeExpr[] }[];
  /** Provider type names in tag order. */
  providers: string[];
  /** A standard stream: the file descriptor written when no provider is bound. */
  output?: 1 | 2;
  /** A standard stream that some provider scope of the program binds (only then is output routed). */
  bound?: boolean;
}

/** The standard streams and the file descriptor each writes to without a provider. */
const OUTPUT_RESOURCES = [["Stdout", 1], ["Stderr", 2]] as const;
/** The methods a standard stream's provider has, each taking the formatted text. */
const OUTPUT_METHODS = ["print", "println"];

interface Registry {
  resources: Map<string, ProviderResource>;
}

const registries = new WeakMap<ItemTable, Registry>();

/** Record the program's resources and their provider traits (before any body is checked). */
export function registerProviders(program: Program, table: ItemTable): void {
  const traits = new Map<string, TraitDecl>();
  for (const it of program.items) if (it.kind === "trait" && !traits.has(it.name.name)) traits.set(it.name.name, it);
  const resources = new Map<string, ProviderResource>();
  let rid = 0;
  const decls = new Map(program.items.flatMap((it) => (it.kind === "effectResource" ? [[it.name.name, it] as const] : [])));
  for (const name of table.resources.keys()) {
    const decl = decls.get(name);
    const bounds: ProviderResource["bounds"] = [];
    for (const b of decl?.bounds ?? []) {
      if (b.kind !== "named") continue;
      const trait = traits.get(b.path[b.path.length - 1]);
      if (trait) bounds.push({ trait, args: b.args.filter((a): a is TypeExpr => a.kind !== "const") });
    }
    resources.set(name, { name, rid: rid++, bounds, providers: [] });
  }
  // The streams' ids follow the declared resources', so TProgram.resources indexes stay valid.
  const bound = resourcesBoundByScopes(program);
  for (const [name, fd] of OUTPUT_RESOURCES) {
    if (resources.has(name) || table.structs.has(name) || table.enums.has(name) || table.fns.has(name)) continue;
    resources.set(name, { name, rid: rid++, bounds: [], providers: [], output: fd, bound: bound.has(name) });
  }
  registries.set(table, { resources });
}

/** The resource names written in some `with_provider[..]` or `providers { .. }` of the program. */
function resourcesBoundByScopes(program: Program): Set<string> {
  const out = new Set<string>();
  // Both forms are written in the source text (`with_provider[..]`, `providers { .. }`): without
  // either word there is nothing to find, and most programs skip the walk over every node.
  if (program.source !== undefined && !program.source.includes(WITH_PROVIDER) && !program.source.includes("providers")) return out;
  const seen = new Set<object>();
  // An explicit stack: long operator chains nest far deeper than the call stack allows.
  const stack: unknown[] = [program.items];
  while (stack.length) {
    const x = stack.pop();
    if (typeof x !== "object" || x === null || seen.has(x)) continue;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const y of x) stack.push(y);
      continue;
    }
    const node = x as { kind?: string; object?: Expr; indices?: Expr[] };
    if (node.kind === "index" && node.object?.kind === "ident" && (node.object.name === WITH_PROVIDER || node.object.name === PROVIDERS_FORM)) {
      for (const i of node.indices ?? []) if (i.kind === "ident") out.add(i.name);
    }
    for (const k in x) {
      const v = (x as Record<string, unknown>)[k];
      if (k !== "span" && typeof v === "object" && v !== null) stack.push(v);
    }
  }
  return out;
}

function registry(cx: CheckContext): Registry {
  let r = registries.get(cx.table);
  if (!r) registries.set(cx.table, (r = { resources: new Map() }));
  return r;
}

/** Whether `name` (not shadowed by a local) names a declared effect resource. */
export function isResourceName(cx: CheckContext, name: string): boolean {
  return registry(cx).resources.has(name) && !cx.lookupLocalQuiet(name);
}

/** Whether the call is `with_provider[..](..)` or the parser's `providers { .. } in { .. }`. */
export function isProviderScopeCall(cx: CheckContext, e: Expr & { kind: "call" }): boolean {
  const c = e.callee;
  if (c.kind !== "index" || c.object.kind !== "ident") return false;
  if (c.object.name === PROVIDERS_FORM) return true;
  return c.object.name === WITH_PROVIDER && !cx.lookupLocalQuiet(WITH_PROVIDER) && !cx.table.fns.has(WITH_PROVIDER);
}

// ---------------------------------------------------------------- R.method(args)

export function checkProviderCall(cx: CheckContext, e: Expr & { kind: "methodCall" }): TExpr {
  const r = e.receiver as Expr & { kind: "ident" };
  const res = registry(cx).resources.get(r.name)!;
  const m = e.method.name;
  if (res.output) return checkStreamCall(cx, res, e);
  const found = findMethod(cx, res, m);
  if (!found) {
    const traits = res.bounds.map((b) => b.trait.name.name);
    cx.err(
      Codes.NoMethod,
      traits.length
        ? `no method '${m}' on resource '${res.name}': its provider trait${traits.length > 1 ? "s" : ""} ${traits.join(", ")} declare${traits.length > 1 ? "" : "s"} no method '${m}' taking self`
        : `resource '${res.name}' has no provider trait, so it has no methods; declare one: \`effect resource ${res.name}: Trait;\``,
      e.method.span,
    );
    cx.checkArgsLoose(e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const { decl, env } = found;
  const fname = `${res.name}.${m}`;
  const params: ParamSig[] = decl.params.map((p) => ({ name: p.name.name, ...paramModeType(p.mode, cx.table.resolveType(p.type, env)), span: p.span }));
  if (e.args.length !== params.length) {
    cx.err(Codes.ArgCount, `method '${fname}' takes ${params.length} argument${params.length === 1 ? "" : "s"} but ${e.args.length} ${e.args.length === 1 ? "was" : "were"} supplied`, e.span);
    cx.checkArgsLoose(e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const args = e.args.map((a, i) => cx.checkArg(params[i], a, false, fname));
  const ret = decl.ret ? cx.table.resolveType(decl.ret, env) : UNIT;
  const node = mk({ kind: "providerCall", resource: res.name, rid: res.rid, method: m, receiver: decl.receiver!, args, cases: [] }, ret, e.span) as TExpr & { kind: "providerCall" };
  // Every provider scope of the program is known once all bodies are checked.
  cx.deferred.push(() => {
    for (const p of res.providers) {
      const impl = cx.table.methods.get(p)?.get(m);
      if (!impl || impl.generics) {
        cx.err(Codes.Unsupported, `provider type ${p} of resource '${res.name}' has no non-generic method '${m}' to dispatch to`, e.method.span);
        return;
      }
      node.cases.push(impl.id);
    }
  });
  return node;
}

/** The trait method `m` takes self in one of the resource's provider traits, with the trait's type parameters bound. */
function findMethod(cx: CheckContext, res: ProviderResource, m: string): { decl: FnDecl; env: Map<string, Ty> } | undefined {
  for (const b of res.bounds) {
    const decl = b.trait.methods.find((d) => d.name.name === m && d.receiver);
    if (!decl) continue;
    // The trait's type parameters stand for the bound's type arguments (`effect resource Kv: Store[String]`).
    const env = new Map<string, Ty>();
    b.trait.generics.forEach((g, i) => env.set(g.name, b.args[i] ? cx.table.resolveType(b.args[i]) : ERROR));
    return { decl, env };
  }
  return undefined;
}

// ---------------------------------------------------------------- provider scopes

/**
 * `with_provider[R](p, || body)` / `providers { R => p, .. } in { body }` (the parser gives the
 * latter as `$providers[R, ..](p, .., || body)`). Lowered to
 *   'scope: { let $p0 = p; ..; providerScope [R => $p0, ..] { body } }
 * where a `return` in the body becomes `break 'scope value`.
 */
export function checkProviderScope(cx: CheckContext, e: Expr & { kind: "call" }, exp?: Ty): TExpr {
  const callee = e.callee as Expr & { kind: "index" };
  const form = (callee.object as Expr & { kind: "ident" }).name === PROVIDERS_FORM ? "providers" : WITH_PROVIDER;
  const reg = registry(cx);
  const names = callee.indices;
  const fail = (): TExpr => {
    cx.checkArgsLoose(e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  };
  if (form === WITH_PROVIDER && names.length !== 1) {
    cx.err(Codes.ArgCount, "`with_provider` takes one resource: with_provider[R](provider, || body)", callee.span);
    return fail();
  }
  const values = e.args.slice(0, -1);
  const closure = e.args[e.args.length - 1]?.value;
  if (values.length !== names.length || !closure) {
    cx.err(Codes.ArgCount, `\`with_provider[${names.map(exprName).join(", ")}]\` takes a provider and a closure \`|| body\``, e.span);
    return fail();
  }
  if (closure.kind !== "closure" || closure.params.length !== 0) {
    cx.err(Codes.Mismatch, `expected a closure without parameters \`|| body\` as the last argument of \`${form}\``, closure.span);
    return fail();
  }
  const resources: ProviderResource[] = [];
  for (const n of names) {
    const name = exprName(n);
    const res = n.kind === "ident" ? reg.resources.get(n.name) : undefined;
    if (!res) {
      cx.err(Codes.Undefined, `undefined effect resource '${name}'; declare \`effect resource ${name}: ProviderTrait;\``, n.span);
      return fail();
    }
    if (res.bounds.length === 0 && !res.output) {
      cx.err(
        Codes.ProviderlessResource,
        `resource '${res.name}' has no provider trait, so no provider can be bound to it; declare one: \`effect resource ${res.name}: Trait;\``,
        n.span,
      );
      return fail();
    }
    if (resources.includes(res)) {
      cx.err(Codes.Duplicate, `resource '${res.name}' is bound twice in one provider scope`, n.span);
      return fail();
    }
    resources.push(res);
  }

  const b = cx.b;
  b.pushScope();
  const stmts: TStmt[] = [];
  const bindings: TProviderBinding[] = [];
  let ok = true;
  values.forEach((a: Arg, i) => {
    const res = resources[i];
    const v = cx.checkExpr(a.value);
    const ty = resolve(T(v));
    const typeName = providerTypeName(cx, ty, res, a.value.span);
    if (typeName === undefined) {
      ok = false;
      return;
    }
    const local: LocalId = b.newLocal(`$provider ${res.name}`, ty, "let", true, "owned", a.value.span);
    b.declare(`$provider ${res.name}`, local);
    b.addressTaken(local);
    const pattern = { kind: "bind", local, type: asType(ty), span: a.value.span } as TPattern;
    stmts.push({ kind: "let", pattern, init: cx.own(v), span: a.value.span });
    let tag = res.providers.indexOf(typeName);
    if (tag < 0) tag = res.providers.push(typeName) - 1;
    bindings.push({ resource: res.name, rid: res.rid, tag, local, span: a.value.span });
  });
  if (!ok) {
    b.popScope();
    return mk({ kind: "error" }, ERROR, e.span);
  }

  // The body: checked inline, with `return` (and `?`) typed against the scope's value.
  const result = freshVar();
  const savedRet = b.ret;
  b.ret = result;
  let body: TExpr;
  try {
    body = cx.checkExpr(closure.body, exp);
  } finally {
    b.ret = savedRet;
  }
  const bodyTy = T(body);
  if (resolve(bodyTy).kind !== "never" && !unify(result, bodyTy)) cx.mismatch(result, bodyTy, closure.body.span);
  const label = b.newLoopId();
  const block: TBlock =
    body.kind === "block" ? body : { kind: "block", stmts: [], tail: body, drops: [], type: asType(bodyTy), span: body.span };
  retargetReturns(block, label);
  const scope = mk({ kind: "providerScope", bindings, body: block }, resolve(bodyTy).kind === "never" ? NEVER : result, e.span);
  const drops = b.popScope();
  const out: TBlock = { kind: "block", labelId: label, stmts, tail: scope, drops, type: asType(result), span: e.span };
  return out;
}

/** The nominal type name a provider value must have, after checking it implements every bound. */
function providerTypeName(cx: CheckContext, ty: Ty, res: ProviderResource, span: Expr["span"]): string | undefined {
  if (ty.kind === "error") return undefined;
  if ((ty.kind !== "struct" && ty.kind !== "enum") || ty.args.length > 0) {
    cx.err(
      Codes.Unsupported,
      `a provider must be a value of a non-generic struct or enum ${res.output ? "with `print(self, s: String)` and `println(self, s: String)` methods" : `implementing ${res.bounds.map((b) => b.trait.name.name).join(" + ")}`}; found ${show(ty)}`,
      span,
    );
    return undefined;
  }
  if (res.output && !hasOutputMethods(cx, ty.name, res, span)) return undefined;
  for (const b of res.bounds) {
    if (implementsUserTrait(cx.table, b.trait.name.name, ty.name) === false) {
      cx.err(
        Codes.UnsatisfiedBound,
        `the trait bound \`${ty.name}: ${b.trait.name.name}\` is not satisfied: resource '${res.name}' takes providers implementing ${b.trait.name.name}`,
        span,
      );
      return undefined;
    }
  }
  return ty.name;
}

/** `return v` inside the scope body leaves the scope with v (a `break` to its label). */
function retargetReturns(body: TBlock, label: number): void {
  walkBlock(body, {
    expr(x) {
      if (x.kind !== "return" || x.escape) return;
      const node = x as unknown as { kind: string; target?: number; value?: TExpr };
      node.kind = "break";
      node.target = label;
    },
  });
}

function exprName(e: Expr): string {
  return e.kind === "ident" ? e.name : "?";
}

// ---------------------------------------------------------------- standard streams

/**
 * `print(x)` / `println(x)` / `eprintln(x)` in a program that binds a provider to Stdout (Stderr
 * for `eprintln`): the text is formatted first, then handed to the provider on top of the stack,
 * or written when none is bound. Undefined when the stream is not routed (the builtin stands).
 */
export function checkRoutedOutput(cx: CheckContext, op: "print" | "println" | "eprintln", value: TExpr | undefined, span: Expr["span"]): TExpr | undefined {
  const res = registry(cx).resources.get(op === "eprintln" ? "Stderr" : "Stdout");
  if (!res?.output || !res.bound) return undefined;
  let text: TExpr;
  if (!value) text = mk({ kind: "string", value: "" }, STRING, span);
  // A literal is already the text; anything else is formatted into a new String (never moved).
  else if (value.kind === "string") text = value;
  else text = mk({ kind: "builtin", op: "to_string", args: [value], typeArgs: [asType(T(value))] }, STRING, value.span);
  return streamCall(cx, res, op === "print" ? "print" : "println", text, span);
}

/** `Stdout.println(s)` / `Stdout.print(s)` (and Stderr's): s is the text itself. */
function checkStreamCall(cx: CheckContext, res: ProviderResource, e: Expr & { kind: "methodCall" }): TExpr {
  const m = e.method.name;
  if (!OUTPUT_METHODS.includes(m)) {
    cx.err(Codes.NoMethod, `no method '${m}' on resource '${res.name}': its providers have ${OUTPUT_METHODS.map((x) => `'${x}'`).join(" and ")}`, e.method.span);
    cx.checkArgsLoose(e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  if (e.args.length !== 1) {
    cx.err(Codes.ArgCount, `method '${res.name}.${m}' takes 1 argument but ${e.args.length} were supplied`, e.span);
    cx.checkArgsLoose(e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const text = cx.checkArg({ name: "s", mode: "owned", type: STRING, span: e.span }, e.args[0], false, `${res.name}.${m}`);
  if (text.mode !== "owned") return mk({ kind: "error" }, ERROR, e.span);
  return streamCall(cx, res, m, text.value, e.span);
}

function streamCall(cx: CheckContext, res: ProviderResource, method: string, text: TExpr, span: Expr["span"]): TExpr {
  const output = { fd: res.output!, newline: method === "println" };
  // Writing to a stream is writes(Stdout) whatever the provider's receiver; the call passes each
  // provider type's own receiver (codegen reads it from the impl method).
  const node = mk(
    { kind: "providerCall", resource: res.name, rid: res.rid, method, receiver: "mutref", args: [{ mode: "owned", value: cx.own(text) }], cases: [], output },
    UNIT,
    span,
  ) as TExpr & { kind: "providerCall" };
  cx.deferred.push(() => {
    for (const p of res.providers) {
      const impl = cx.table.methods.get(p)?.get(method);
      if (!impl) return; // reported where the provider was bound
      node.cases.push(impl.id);
    }
  });
  return node;
}

/** A stream's provider type needs `print` and `println`, each taking `self` (any mode) and one owned String, returning (). */
function hasOutputMethods(cx: CheckContext, typeName: string, res: ProviderResource, span: Expr["span"]): boolean {
  for (const m of OUTPUT_METHODS) {
    const impl = cx.table.methods.get(typeName)?.get(m);
    const ps = impl?.sig.params ?? [];
    const fits = impl && !impl.generics && ps.length === 2 && ps[0].name === "self" && ps[1].mode === "owned" && resolve(ps[1].type).kind === "string" && resolve(impl.sig.ret).kind === "unit";
    if (!fits) {
      cx.err(
        Codes.UnsatisfiedBound,
        `a provider of '${res.name}' needs the methods \`print(self, s: String)\` and \`println(self, s: String)\` (any self receiver); ${typeName} has no method \`${m}\` of that shape`,
        span,
      );
      return false;
    }
  }
  return true;
}
