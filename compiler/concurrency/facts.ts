// Per-statement facts the grouping rules are stated in: which bindings a statement writes and
// reads, which effects it performs, and the properties that keep it out of any group.

import type { EffectAtom, EffectsResult } from "../effects/index.js";
import { effectsOfExpr } from "../effects/index.js";
import type { FnId, LocalId, Span, TExpr, TFunction, TPlace, TProgram, TStmt, Type } from "../tir/nodes.js";
import { mutViewArg, mutViewLoop, walkPattern, walkPlace, walkStmt } from "../tir/walk.js";
import { BUILTIN_REGISTRY, type BuiltinRegistry } from "../tir/builtins.js";
import { routesOutput } from "./routed-output.js";
import { viewAliases } from "./view-aliases.js";

/** Verbs that never order two statements (auto-par matrix): they are ignored for conflicts and purity. */
const INERT_VERBS = new Set(["allocates", "panics", "blocks", "suspends"]);

export interface StmtFacts {
  index: number;
  stmt: TStmt;
  span: Span;
  /** Names of bindings written (let-bound names, assignment roots, mutated receivers, `mut ref` args). */
  defines: Set<string>;
  /** Names of outer bindings read. */
  reads: Set<string>;
  /** Outer locals (declared before the statement) the statement writes through a place. */
  writtenLocals: Set<LocalId>;
  /** Locals bound by the statement's own top-level `let`. */
  letLocals: LocalId[];
  /** Locals the statement consumes with `move`. */
  movedLocals: Set<LocalId>;
  /** Effect atoms that can order statements (allocates/panics/blocks/suspends removed), deduplicated. */
  effects: EffectAtom[];
  /** Every atom, for the coroutine-boundary test. */
  allEffects: EffectAtom[];
  /** Direct callees in source order (deduplicated). */
  callees: FnId[];
  /** Calls a `with _` function: its effects are unknown here. */
  polymorphic: boolean;
  /** Calls a function value: neither its effects nor the bindings it writes are known here. */
  opaqueCall: boolean;
  seq: boolean;
  earlyExit: boolean;
  channelOp: boolean;
  suspends: boolean;
  /** Consumes an owned outer value with `move`. */
  movesCaptured: boolean;
  /** The statement is (or binds) an explicit `par`, which is never regrouped. */
  explicitPar: boolean;
  /**
   * A discarded `spawn(..);` / `group.spawn(..);`: the task already runs on its own, and a branch
   * around it would only add a dispatch and move the spawn off the program's order.
   */
  spawnStmt: boolean;
  /** Directly calls the enclosing function. */
  selfCall: boolean;
  /** A `let` without initialiser (nothing for a branch to compute). */
  uninitLet: boolean;
  /** Writes an outer binding that owns heap memory (a captured container). */
  writesOwnedOuter: boolean;
  /** The statement's value is a constant initialiser (literal, plain read, literal composite). */
  constantInit: boolean;
}

function atomKey(a: EffectAtom): string {
  return `${a.verb}|${a.resource ?? ""}|${a.key ?? ""}`;
}

export function dedupeAtoms(atoms: EffectAtom[]): EffectAtom[] {
  const seen = new Set<string>();
  const out: EffectAtom[] = [];
  for (const a of atoms) {
    const k = atomKey(a);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(a);
  }
  return out;
}

export function isInert(a: EffectAtom): boolean {
  return INERT_VERBS.has(a.verb);
}

/** Root local or global of a place (none for a temporary). */
export function placeRoot(p: TPlace): { local?: LocalId; global?: number } {
  switch (p.kind) {
    case "local":
      return { local: p.local };
    case "global":
      return { global: p.global };
    case "field":
    case "tupleField":
    case "index":
      return placeRoot(p.base);
    case "temp":
      return {};
  }
}

function rootPlace(p: TPlace): TPlace {
  return p.kind === "field" || p.kind === "tupleField" || p.kind === "index" ? rootPlace(p.base) : p;
}

/** Is the declared clause of `fn` polymorphic (`with _`)? */
export function isPolymorphicFn(fn: TFunction): boolean {
  return !!fn.effects?.some((it) => it.kind === "var" && it.name === "_");
}

/** Can a value of this type change without a write to the binding holding it? */
export function hasInteriorMutability(program: TProgram, t: Type, seen?: Set<string>): boolean {
  // `seen` (nominal types already entered, against cycles) is made when a nominal type is first
  // met: this runs for every local a statement reads, and most of their types are scalars.
  switch (t.kind) {
    case "atomic":
    case "mutex":
    case "weak": // upgrading counts on the shared object
    case "channel":
    case "sender":
    case "receiver":
    case "taskGroup":
    case "taskHandle":
      return true;
    case "struct": {
      if (t.flavor !== "plain") return true;
      if (seen?.has(t.name)) return false;
      (seen ??= new Set()).add(t.name);
      return !!program.structs.get(t.name)?.fields.some((f) => hasInteriorMutability(program, f.type, seen));
    }
    case "enum": {
      if (t.flavor !== "plain") return true;
      if (seen?.has(t.name)) return false;
      (seen ??= new Set()).add(t.name);
      return !!program.enums.get(t.name)?.variants.some((v) => v.fields.some((f) => hasInteriorMutability(program, f.type, seen)));
    }
    case "vec":
    case "array":
    case "slice":
    case "set":
      return hasInteriorMutability(program, t.elem, seen);
    case "map":
      return hasInteriorMutability(program, t.key, seen) || hasInteriorMutability(program, t.value, seen);
    case "tuple":
      return t.elems.some((e) => hasInteriorMutability(program, e, seen));
    default:
      return false;
  }
}

/**
 * Does a value of this type hold a task handle? Whoever uses it may join the task, which finishes
 * the task's closure, and with it whatever that closure does to what it captured.
 */
export function holdsTaskHandle(program: TProgram, t: Type, seen?: Set<string>): boolean {
  switch (t.kind) {
    case "taskHandle":
      return true;
    case "vec":
    case "array":
    case "slice":
      return holdsTaskHandle(program, t.elem, seen);
    case "tuple":
      return t.elems.some((e) => holdsTaskHandle(program, e, seen));
    case "enum": {
      if (seen?.has(t.name)) return false;
      (seen ??= new Set()).add(t.name);
      return !!program.enums.get(t.name)?.variants.some((v) => v.fields.some((f) => holdsTaskHandle(program, f.type, seen)));
    }
    case "struct": {
      if (seen?.has(t.name)) return false;
      (seen ??= new Set()).add(t.name);
      return !!program.structs.get(t.name)?.fields.some((f) => holdsTaskHandle(program, f.type, seen));
    }
    default:
      return false;
  }
}

/** Declares `with E`: the variable is bound at each call, so the call's effects are known there. */
function hasEffectVariable(fn: TFunction): boolean {
  return !!fn.effects?.some((it) => it.kind === "var" && it.name !== "_");
}

/** Expressions whose effects make up the statement's effects (its own sub-expressions, once each). */
function rootExprs(s: TStmt): TExpr[] {
  const out: TExpr[] = [];
  const placeExprs = (p: TPlace): void =>
    walkPlace(p, "write", {
      place: (q) => {
        if (q.kind === "index") out.push(q.index);
        else if (q.kind === "temp") out.push(q.value);
      },
    });
  switch (s.kind) {
    case "let":
      if (s.init) out.push(s.init);
      break;
    case "assign":
    case "compoundAssign":
      out.push(s.value);
      // Nested index expressions are visited by the outer index's effects only when they sit in it.
      placeExprs(s.place);
      break;
    case "expr":
      out.push(s.expr);
      break;
  }
  return out;
}

function isConstantInit(e: TExpr | undefined): boolean {
  if (!e) return true;
  switch (e.kind) {
    case "int":
    case "float":
    case "bool":
    case "char":
    case "string":
    case "unit":
    case "fnRef":
      return true;
    case "read":
      return e.place.kind === "local" || e.place.kind === "global";
    case "move":
      return true;
    case "coerce":
    case "copy":
      return isConstantInit(e.value);
    case "unary":
      return isConstantInit(e.operand);
    case "tuple":
    case "vecLit":
    case "arrayLit":
    case "setLit":
      return e.elems.every(isConstantInit);
    case "struct":
      return e.fields.every((f) => isConstantInit(f.value));
    case "variant":
      return e.payload.every(isConstantInit);
    default:
      return false;
  }
}

export interface FactsContext {
  program: TProgram;
  effects: EffectsResult;
  fn: TFunction;
  /** Which builtins write their receiver, update a shared cell, use a channel, spawn or join; BUILTIN_REGISTRY by default. */
  builtins?: BuiltinRegistry;
}

/** `seq { }` survives into the typed program as a block flagged `seq`. */
function statementIsSeq(s: TStmt): boolean {
  const top = s.kind === "expr" ? s.expr : s.kind === "let" ? s.init : undefined;
  return !!top && top.kind === "block" && (top as { seq?: boolean }).seq === true;
}

function topIsPar(s: TStmt): boolean {
  let top = s.kind === "expr" ? s.expr : s.kind === "let" ? s.init : undefined;
  while (top && (top.kind === "coerce" || top.kind === "copy")) top = top.value;
  return !!top && top.kind === "par";
}

function ownsHeap(fn: TFunction, id: LocalId): boolean {
  const l = fn.locals[id];
  if (!l) return false;
  if (l.owned) return true;
  const k = l.type.kind;
  return k === "string" || k === "vec" || k === "map" || k === "set";
}

/** Locals a statement declares itself: pattern bindings, lock aliases, hoisted bindings of a nested `par`. */
export function declaredIn(s: TStmt): Set<LocalId> {
  const declared = new Set<LocalId>();
  walkStmt(s, {
    pattern: (p) => {
      if (p.kind === "bind") declared.add(p.local);
    },
    expr: (e) => {
      if (e.kind === "lock") declared.add(e.alias);
      else if (e.kind === "par") for (const h of e.hoisted) declared.add(h);
    },
  });
  return declared;
}

/** Locals bound by the statement's own top-level `let` pattern. */
export function letBound(s: TStmt): LocalId[] {
  const out: LocalId[] = [];
  if (s.kind === "let")
    walkPattern(s.pattern, {
      pattern: (p) => {
        if (p.kind === "bind") out.push(p.local);
      },
    });
  return out;
}

/** Verbs declared `transparent` (they never order statements), computed once per program. */
const transparentCache = new WeakMap<TProgram, Set<string>>();
function transparentVerbs(program: TProgram): Set<string> {
  let set = transparentCache.get(program);
  if (!set) transparentCache.set(program, (set = new Set(program.verbs.filter((v) => v.transparent).map((v) => v.name))));
  return set;
}

export function collectFacts(ctx: FactsContext, s: TStmt, index: number): StmtFacts {
  const { program, fn } = ctx;
  const builtins = ctx.builtins ?? BUILTIN_REGISTRY;
  const declared = declaredIn(s);
  const letLocals = letBound(s);

  const defines = new Set<string>();
  const reads = new Set<string>();
  const writtenLocals = new Set<LocalId>();
  const movedLocals = new Set<LocalId>();
  const callees: FnId[] = [];
  let polymorphic = false;
  let opaqueCall = false;
  let earlyExit = false;
  let channelOp = false;
  let movesCaptured = false;
  let selfCall = false;
  let writesOwnedOuter = false;

  const outer = (id: LocalId): boolean => !declared.has(id);
  const localName = (id: LocalId): string => fn.locals[id]?.name ?? `#${id}`;
  const globalName = (id: number): string => program.globals[id]?.name ?? `global#${id}`;

  // The root of a place that is only written (`x = ..`, `v.push(..)`, `mut ref x`) is not a read of it.
  const writeOnlyRoots = new Set<TPlace>();
  // A local holding a writable view of another local's elements (view-aliases.ts).
  const viewOf = viewAliases(fn);
  const write = (p: TPlace): void => {
    writeOnlyRoots.add(rootPlace(p));
    const r = placeRoot(p);
    if (r.local !== undefined && outer(r.local)) {
      defines.add(localName(r.local));
      writtenLocals.add(r.local);
      if (ownsHeap(fn, r.local)) writesOwnedOuter = true;
    } else if (r.global !== undefined) defines.add(globalName(r.global));
    const viewed = r.local !== undefined ? viewOf.get(r.local) : undefined;
    if (viewed !== undefined && outer(viewed)) defines.add(localName(viewed));
  };
  // A shared cell (Atomic / Mutex) updated here: a "write" for ordering, but never a captured-container mutation.
  const orderOn = (p: TPlace): void => {
    const r = placeRoot(p);
    if (r.local !== undefined && outer(r.local)) defines.add(localName(r.local));
    else if (r.global !== undefined) defines.add(globalName(r.global));
  };
  const readLocal = (id: LocalId): void => {
    if (!outer(id)) return;
    reads.add(localName(id));
    const viewed = viewOf.get(id);
    if (viewed !== undefined && outer(viewed)) reads.add(localName(viewed));
    // Values with interior mutability (shared/par objects, Atomic, Mutex, channels, tasks) can be
    // changed through any use, e.g. by a callee taking `ref`: every use is ordered like a write.
    const t = fn.locals[id]?.type;
    if (t && hasInteriorMutability(program, t)) defines.add(localName(id));
    // Joining here (or in a callee handed the handle) completes a task whose effects are unknown
    // here: order it like a call through a function value.
    if (t && holdsTaskHandle(program, t)) opaqueCall = true;
  };

  for (const l of letLocals) defines.add(localName(l));

  walkStmt(s, {
    builtins,
    stmt: (st) => {
      if (st.kind === "assign") write(st.place);
      else if (st.kind === "compoundAssign") {
        write(st.place);
        writeOnlyRoots.delete(rootPlace(st.place)); // `x += e` reads x as well
      }
    },
    place: (p) => {
      if (writeOnlyRoots.has(p)) return;
      if (p.kind === "local") readLocal(p.local);
      else if (p.kind === "global") reads.add(globalName(p.global));
    },
    expr: (e) => {
      switch (e.kind) {
        case "move":
          readLocal(e.local);
          movedLocals.add(e.local);
          if (outer(e.local) && ownsHeap(fn, e.local)) movesCaptured = true;
          break;
        case "call": {
          if (!callees.includes(e.fn)) callees.push(e.fn);
          const callee = program.functions[e.fn];
          // `with _`, or a body calling Fn values nobody can name: its effects are unknown here.
          if (callee && (isPolymorphicFn(callee) || (ctx.effects.functions.get(e.fn)?.polymorphic && !hasEffectVariable(callee)))) polymorphic = true;
          if (e.fn === fn.id) selfCall = true;
          // Output through a stream provider runs user code with state: keep it in order.
          if (routesOutput(program, e.fn)) opaqueCall = true;
          for (const a of e.args) {
            if (a.mode === "mutref") write(a.place);
            const viewed = mutViewArg(a);
            if (viewed) write(viewed);
          }
          break;
        }
        case "for": {
          // `for x in v.iter_mut()`: the body writes v's elements through x.
          const lent = mutViewLoop(e.iter);
          if (lent) write(lent);
          break;
        }
        case "callValue":
          opaqueCall = true;
          break;
        case "providerCall":
          if (e.output) opaqueCall = true;
          break;
        case "builtin":
          if (builtins.mutatesReceiver(e.op) && e.receiver?.kind === "place") write(e.receiver.place);
          // Atomic updates are race-free but not order-free: two of them on one cell keep their order,
          // so the values they return stay what the sequential program computes.
          if (builtins.hasRole(e.op, "atomic-update") && e.receiver?.kind === "place") orderOn(e.receiver.place);
          if (builtins.hasRole(e.op, "channel")) channelOp = true;
          // A join waits for the rest of a task's closure to run: whatever it captured (a Mutex, an
          // Atomic, a par struct) may change up to that point, and which task it is is not known
          // here, so the join is ordered like a call through a function value.
          if (builtins.hasRole(e.op, "join")) opaqueCall = true;
          break;
        case "closure":
          // A closure may write what it captures by reference whenever it is later called.
          for (const c of e.captures) {
            readLocal(c.outer);
            if (c.byRef && outer(c.outer)) {
              defines.add(localName(c.outer));
              writtenLocals.add(c.outer);
            }
          }
          break;
        case "par":
          for (const b of e.branches)
            for (const c of b.captures) {
              readLocal(c.outer);
              if (c.byRef && outer(c.outer)) {
                const t = fn.locals[c.outer]?.type.kind;
                if (t !== "atomic" && t !== "mutex") {
                  defines.add(localName(c.outer));
                  writtenLocals.add(c.outer);
                }
              }
            }
          break;
        case "lock":
          orderOn(e.mutex);
          break;
        case "return":
        case "break":
        case "continue":
        case "try": // `e?` may return from the function
        case "defer": // registers cleanup for its own block, so it never moves into a branch
          earlyExit = true;
          break;
        default:
          break;
      }
    },
  });

  const allEffects = dedupeAtoms(rootExprs(s).flatMap((e) => effectsOfExpr(program, ctx.effects, e)));
  const transparent = transparentVerbs(program);
  const effects = allEffects.filter((a) => !isInert(a) && !transparent.has(a.verb));
  const suspends = allEffects.some((a) => a.verb === "suspends");

  const top = s.kind === "let" ? s.init : s.kind === "expr" ? s.expr : s.value;
  const constantInit = s.kind !== "compoundAssign" && isConstantInit(top);

  return {
    index,
    stmt: s,
    span: s.span,
    defines,
    reads,
    writtenLocals,
    letLocals,
    movedLocals,
    effects,
    allEffects,
    callees,
    polymorphic,
    opaqueCall,
    seq: statementIsSeq(s),
    earlyExit,
    channelOp,
    suspends,
    movesCaptured,
    explicitPar: topIsPar(s),
    spawnStmt: s.kind === "expr" && s.expr.kind === "builtin" && builtins.hasRole(s.expr.op, "spawn"),
    selfCall,
    uninitLet: s.kind === "let" && !s.init,
    writesOwnedOuter,
    constantInit,
  };
}

/** Outer locals a trailing expression moves (a bound value consumed after the group). */
export function movedIn(e: TExpr | undefined): Set<LocalId> {
  const out = new Set<LocalId>();
  if (!e) return out;
  walkStmt({ kind: "expr", expr: e, span: e.span }, {
    expr: (x) => {
      if (x.kind === "move") out.add(x.local);
    },
  });
  return out;
}
