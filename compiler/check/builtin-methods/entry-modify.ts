// `m.entry(k).and_modify(|v| { .. })`, alone or followed by `.or_insert(d)`, `.or_insert_with(f)`
// or `.or_default()` (karac's Entry API: the closure gets a `mut ref` to the value when the key is
// present, and the chain then yields the value slot like `m.entry(k).or_insert(d)` does).
//
// The typed program has no Entry value, so the chain becomes a block:
//
//   { let $key = k;
//     if m.contains_key($key) { let mut v = m.take_value($key); <closure body>; m.put_value($key, v); }
//     m.entry($key).or_insert(d) }      // the tail only when the chain goes on
//
// The value moves out of its slot for the body and back after it (no copy), so the analyses see
// what happens: a read of `m` and two ops that write it (the registry's facts), plus whatever the
// body itself reads and writes. While the value is out, the map must not be reachable: as in
// karac, where the entry holds the map, the closure may not name it. The map must be a place that
// reads the same slot twice (a variable or a field path); the key is evaluated once.

import type { Expr, Span } from "../../syntax/ast.js";
import type { LocalId, TExpr, TPattern, TPlace, TStmt } from "../../tir/nodes.js";
import { asType, tyOf } from "../builder.js";
import { Codes } from "../codes.js";
import { type CheckContext, mk, T } from "../context.js";
import { BOOL, ERROR, UNIT, resolve, show, unify, type Ty } from "../types.js";
import { inlineClosure } from "./inline-closure.js";
import { cloneTree, pureplace } from "./split-at.js";
import { defaultValue } from "../map-places.js";

const ENTRY_ENDS = new Set(["or_insert", "or_insert_with", "or_default"]);

type Call = Expr & { kind: "methodCall" };

/** The parts of an `and_modify` chain, when `e` is one. */
function chainOf(e: Call): { modify: Call; entry: Call; end?: Call } | undefined {
  const isModify = (x: Expr): x is Call => x.kind === "methodCall" && x.method.name === "and_modify";
  const isEntry = (x: Expr): x is Call => x.kind === "methodCall" && x.method.name === "entry" && x.args.length === 1;
  if (isModify(e) && isEntry(e.receiver)) return { modify: e, entry: e.receiver };
  if (ENTRY_ENDS.has(e.method.name) && isModify(e.receiver) && isEntry(e.receiver.receiver)) return { modify: e.receiver, entry: e.receiver.receiver, end: e };
  return undefined;
}

export function checkEntryModify(cx: CheckContext, e: Call): TExpr | undefined {
  const chain = chainOf(e);
  if (!chain) return undefined;
  const { modify, entry, end } = chain;
  const span = e.span;
  const fail = (): TExpr => mk({ kind: "error" }, ERROR, span);
  const mapPlace = cx.checkPlace(entry.receiver);
  if (!mapPlace) {
    cx.checkArgsLoose([...entry.args, ...modify.args, ...(end?.args ?? [])]);
    return fail();
  }
  const mt = resolve(tyOf(mapPlace.type));
  if (mt.kind !== "map") {
    if (mt.kind !== "error") cx.err(Codes.NoMethod, `no method named 'entry' found for ${show(mt)}`, entry.method.span);
    cx.checkArgsLoose([...entry.args, ...modify.args, ...(end?.args ?? [])]);
    return fail();
  }
  if (!pureplace(mapPlace)) {
    cx.err(Codes.Unsupported, "entry(..).and_modify(..) updates the map where it lives: bind this map to a variable first", entry.receiver.span);
    cx.checkArgsLoose([...entry.args, ...modify.args, ...(end?.args ?? [])]);
    return fail();
  }
  cx.requireMutable(mapPlace, entry.receiver.span, "borrow");
  const K = mt.key;
  const V = mt.value;
  const ta = [asType(K), asType(V)];
  const map = (): TPlace => cloneTree(mapPlace);
  const mapRead = (): TExpr => mk({ kind: "read", place: map() }, mt, entry.receiver.span);

  const stmts: TStmt[] = [];
  const drops: LocalId[] = [];
  const keyE = entry.args[0].value;
  const keyTy = cx.checkExpr(keyE, K);
  if (!unify(T(keyTy), K)) cx.mismatch(K, T(keyTy), keyE.span);
  const keyId = cx.b.newLocal("$key", K, "temp", false, "owned", keyE.span);
  stmts.push({ kind: "let", pattern: { kind: "bind", local: keyId, type: asType(K), span: keyE.span } as TPattern, init: cx.own(keyTy), span: keyE.span });
  drops.push(keyId);
  const keyRead = (): TExpr => mk({ kind: "read", place: { kind: "local", local: keyId, type: asType(K), span: keyE.span } }, K, keyE.span);

  if (modify.args.length !== 1) {
    cx.err(Codes.ArgCount, `method 'and_modify' takes 1 argument but ${modify.args.length} were supplied`, modify.span);
    cx.checkArgsLoose(modify.args);
    return fail();
  }
  const update = modifyPresent(cx, modify.args[0].value, V, rootOf(entry.receiver), map, keyRead, ta, modify.span);
  if (!update) return fail();
  const present = mk({ kind: "builtin", op: "map.contains_key", receiver: { kind: "value", value: mapRead() }, args: [keyRead()], typeArgs: ta }, BOOL, modify.span);
  stmts.push({ kind: "expr", expr: mk({ kind: "if", cond: present, then: update }, UNIT, modify.span), span: modify.span });

  if (!end) return { kind: "block", stmts, drops, type: asType(UNIT), span } as TExpr;
  const dflt = entryDefault(cx, end, V);
  if (!dflt) return fail();
  const slot: TPlace = { kind: "index", base: map(), index: cx.own(keyRead()), coll: "map", type: asType(V), span: end.span, orInsert: dflt };
  const tail = mk({ kind: "read", place: slot }, V, span);
  return { kind: "block", stmts, tail, drops, type: asType(V), span } as TExpr;
}

/** `{ let mut v = m.take_value($key); <body>; m.put_value($key, v); }`: the closure on the present value. */
function modifyPresent(
  cx: CheckContext,
  f: Expr,
  V: Ty,
  rootName: string | undefined,
  map: () => TPlace,
  keyRead: () => TExpr,
  ta: ReturnType<typeof asType>[],
  span: Span,
): (TExpr & { kind: "block" }) | undefined {
  const closure = inlineClosure(cx, f, "and_modify");
  if (!closure) return undefined;
  // While the closure runs, the value is out of its slot: the entry holds the map, as in karac.
  const use = rootName && namedIn(closure.body, rootName);
  if (use) {
    cx.err(Codes.Unsupported, `the closure given to and_modify cannot use '${rootName}': the entry holds the map until the closure returns`, use);
    return undefined;
  }
  const pat = closure.param.pattern;
  if (pat.kind !== "bind" && pat.kind !== "wild") {
    cx.err(Codes.Unsupported, "the closure given to and_modify binds the value with a plain name, such as |v| { .. }", pat.span);
    return undefined;
  }
  cx.b.pushScope();
  const name = pat.kind === "bind" ? pat.name : "$value";
  const v = cx.b.newLocal(name, V, "let", true, "owned", pat.span);
  cx.b.declare(name, v);
  const vPlace = (): TPlace => ({ kind: "local", local: v, type: asType(V), span: pat.span });
  const current = mk({ kind: "builtin", op: "map.take_value", receiver: { kind: "place", place: map() }, args: [keyRead()], typeArgs: ta }, V, span);
  const stmts: TStmt[] = [{ kind: "let", pattern: { kind: "bind", local: v, type: asType(V), span: pat.span } as TPattern, init: current, span: pat.span }];
  const body = cx.checkExpr(closure.body, UNIT);
  const bt = resolve(T(body));
  if (bt.kind !== "unit" && bt.kind !== "never" && bt.kind !== "error") cx.mismatch(UNIT, bt, closure.body.span);
  stmts.push({ kind: "expr", expr: body, span: closure.body.span });
  const back = mk(
    {
      kind: "builtin",
      op: "map.put_value",
      receiver: { kind: "place", place: map() },
      args: [keyRead(), cx.own(mk({ kind: "read", place: vPlace() }, V, pat.span))],
      typeArgs: ta,
    },
    UNIT,
    span,
  );
  stmts.push({ kind: "expr", expr: back, span });
  const drops = cx.b.popScope();
  return { kind: "block", stmts, drops, type: asType(UNIT), span } as TExpr & { kind: "block" };
}

/** The default of `or_insert(d)`, `or_insert_with(f)` or `or_default()` after `and_modify`. */
function entryDefault(cx: CheckContext, end: Call, V: Ty): TExpr | undefined {
  const name = end.method.name;
  const want = name === "or_default" ? 0 : 1;
  if (end.args.length !== want) {
    cx.err(Codes.ArgCount, `method '${name}' takes ${want} argument${want === 1 ? "" : "s"} but ${end.args.length} were supplied`, end.span);
    cx.checkArgsLoose(end.args);
    return undefined;
  }
  if (name === "or_insert") return cx.coerce(cx.own(cx.checkExpr(end.args[0].value, V)), V, end.args[0].value.span);
  if (name === "or_insert_with") {
    const fE = end.args[0].value;
    const fTy: Ty = { kind: "fn", params: [], ret: V };
    const f = fE.kind === "closure" ? cx.checkClosure(fE, fTy, "closure") : cx.checkExpr(fE, fTy);
    if (!unify(T(f), fTy)) {
      cx.mismatch(fTy, T(f), fE.span);
      return undefined;
    }
    return mk({ kind: "callValue", callee: f, args: [] }, V, fE.span);
  }
  const zero = defaultValue(V, end.span);
  if (!zero) cx.err(Codes.Unsupported, `or_default() needs a value type with an obvious default, found ${show(resolve(V))}; use or_insert(..)`, end.span);
  return zero;
}


/** The variable a map place expression starts from (`m`, `self` in `self.words`). */
function rootOf(e: Expr): string | undefined {
  if (e.kind === "ident") return e.name;
  if (e.kind === "field" || e.kind === "index") return rootOf(e.object);
  return undefined;
}

/** The span of the first use of the name `name` inside `node`, if any. */
function namedIn(node: unknown, name: string): Span | undefined {
  if (Array.isArray(node)) {
    for (const x of node) {
      const found = namedIn(x, name);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== "object") return undefined;
  const n = node as { kind?: unknown; name?: unknown; span?: Span };
  if (n.kind === "ident" && n.name === name && n.span) return n.span;
  for (const [k, v] of Object.entries(n)) {
    if (k === "span") continue;
    const found = namedIn(v, name);
    if (found) return found;
  }
  return undefined;
}
