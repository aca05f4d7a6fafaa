// Effect inference: each function's own operations plus what its callees perform, solved as a
// least fixed point over the strongly connected components of the call graph. A `pub fn` is an
// inference firewall: callers see its declared set, never its body (effects-concurrency §1.4).

import type { FnId, LocalId, Span, TExpr, TFunction, TProgram } from "../tir/nodes.js";
import { ALLOCATES_HEAP, AtomSet, PANICS, moduleBindingResource, type EffectAtom, type Origin } from "./atoms.js";

/** TIR nodes that allocate a new heap block: collection literals and f-strings. */
const ALLOCATING_NODES: ReadonlySet<string> = new Set(["vecLit", "vecRepeat", "mapLit", "setLit", "fstring"]);
import type { EffectDecls, ResolvedClause } from "./declarations.js";
import { builtinAtoms, SPAWNING } from "./leaves.js";
import { providerCallEffects } from "./providers.js";
import { placeRoot, walkBlock, type Visitor } from "../tir/walk.js";

/** A way control reaches another function's body from this one. */
export interface Edge {
  target: FnId;
  span: Span;
  /**
   * "call": a direct call (the callee's visible set; if the callee is polymorphic, the Fn values
   * passed to it are run too). "run": a lifted body executed as part of this one (par branch,
   * spawned thunk, a call through a statically known Fn value).
   */
  kind: "call" | "run";
  /** Fn-typed arguments of a call: the function each one denotes, or null when unknown. */
  fnArgs: (FnId | null)[];
}

export interface FnFacts {
  direct: AtomSet;
  edges: Edge[];
  /** Calls a Fn value whose function is not known statically. */
  opaqueCall: boolean;
}

export interface Inference {
  clauses: Map<FnId, ResolvedClause>;
  facts: FnFacts[];
  inferred: AtomSet[];
  polymorphic: boolean[];
  /** Per callValue node: the function it calls, or null when unknown. */
  callTargets: Map<TExpr, FnId | null>;
  /** Strongly connected components with more than one member, callee components first. */
  cycles: FnId[][];
  /** Statically known Fn values per function: local -> function. */
  knownFns: Map<LocalId, FnId>[];
  nodeEdges: NodeEdges;
}

/** Whether `fn` hides its body from callers (only source-level `pub` functions do). */
export function isFirewall(fn: TFunction): boolean {
  return fn.pub && (fn.kind === "fn" || fn.kind === "method");
}

/** The name used in origins and messages: the source symbol, or the enclosing function for lifted bodies. */
export function displayName(fn: TFunction): string {
  return fn.kind === "fn" || fn.kind === "method" ? fn.name : fn.panicName;
}

export function inferEffects(program: TProgram, decls: EffectDecls): Inference {
  const fns = program.functions;
  const clauses = new Map<FnId, ResolvedClause>();
  for (const fn of fns) if (fn.effects) clauses.set(fn.id, decls.resolveClause(fn.effects, fn.effectVars ?? []));

  const knownFns = computeKnownFns(program);
  const callTargets = new Map<TExpr, FnId | null>();
  const nodeEdges: NodeEdges = new Map();
  const facts = fns.map((fn) => collectFacts(program, (v) => walkBlock(fn.body, v), knownFns[fn.id], callTargets, decls, nodeEdges));

  const polymorphic = computePolymorphic(fns, facts, clauses);

  // Dependency graph: whose inferred sets feed whose. Firewalled callees contribute a constant.
  const deps: FnId[][] = fns.map((_, id) => {
    const out: FnId[] = [];
    for (const e of facts[id].edges) {
      if (!isFirewall(fns[e.target])) out.push(e.target);
      if (e.kind === "call" && polymorphic[e.target]) for (const a of e.fnArgs) if (a !== null && !isFirewall(fns[a])) out.push(a);
    }
    return out;
  });

  const inferred = fns.map((fn) => {
    const s = new AtomSet();
    const c = clauses.get(fn.id);
    // A declared clause is seeded into the function's own set (karac's collect_function_info),
    // after the body's own operations, so an effect the body performs keeps that origin.
    for (const a of facts[fn.id].direct.atoms()) s.add(a, facts[fn.id].direct.originOf(a));
    if (c) for (const a of c.atoms) s.add(a, { span: fn.span });
    return s;
  });

  // Semi-naive propagation: an atom crosses each dependency edge at most once, so the work is
  // bounded by edges × atoms whatever the shape of the components. The result is the least fixed
  // point: every set is the union of its seeds and what flows in along edges, nothing more.
  const dependents: { caller: FnId; edge: Edge; viaArg: boolean }[][] = fns.map(() => []);
  const queue: { fn: FnId; atom: EffectAtom }[] = [];
  const addTo = (f: FnId, atom: EffectAtom, origin: Origin): void => {
    if (inferred[f].add(atom, origin)) queue.push({ fn: f, atom });
  };
  for (const fn of fns) {
    for (const a of inferred[fn.id].atoms()) queue.push({ fn: fn.id, atom: a });
  }
  for (const fn of fns) {
    for (const e of facts[fn.id].edges) {
      const via = displayName(fns[e.target]);
      const link = (source: FnId, viaArg: boolean): void => {
        if (isFirewall(fns[source])) {
          // A firewall contributes its declared set, which never changes.
          for (const atom of clauses.get(source)?.atoms ?? []) {
            addTo(fn.id, atom, e.kind === "run" && !viaArg ? { span: e.span } : { span: e.span, via });
          }
        } else dependents[source].push({ caller: fn.id, edge: e, viaArg });
      };
      link(e.target, false);
      if (e.kind === "call" && polymorphic[e.target]) for (const a of e.fnArgs) if (a !== null) link(a, true);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const { fn: source, atom } = queue[head];
    for (const d of dependents[source]) {
      const e = d.edge;
      const origin: Origin =
        e.kind === "run" && !d.viaArg
          ? inferred[source].originOf(atom) ?? { span: e.span }
          : { span: e.span, via: displayName(fns[e.target]) };
      addTo(d.caller, atom, origin);
    }
  }

  const cycles = stronglyConnected(fns.length, deps).filter((comp) => comp.length > 1);
  return { clauses, facts, inferred, polymorphic, callTargets, cycles, knownFns, nodeEdges };
}

/** Resolve an expression that denotes a function value to that function, if it is known statically. */
export function resolveFnValue(e: TExpr, known: Map<LocalId, FnId> | undefined): FnId | undefined {
  switch (e.kind) {
    case "closure":
    case "fnRef":
      return e.fn;
    case "read":
      return e.place.kind === "local" ? known?.get(e.place.local) : undefined;
    case "move":
      return known?.get(e.local);
    case "copy":
    case "coerce":
      return resolveFnValue(e.value, known);
    default:
      return undefined;
  }
}

/**
 * Immutable locals bound to a known function (`let f = |x| ..;`, `let g = helper;`), and the
 * capture slots of lifted bodies created from such locals. Lifted bodies always follow the
 * function that creates them, so one pass in id order sees every creation site first.
 */
function computeKnownFns(program: TProgram): Map<LocalId, FnId>[] {
  const known = program.functions.map(() => new Map<LocalId, FnId>());
  for (const fn of program.functions) {
    const mine = known[fn.id];
    const visitor: Visitor = {
      stmt(s) {
        if (s.kind !== "let" || !s.init || s.pattern.kind !== "bind" || s.pattern.sub) return;
        const local = fn.locals[s.pattern.local];
        if (!local || local.mut) return;
        const target = resolveFnValue(s.init, mine);
        if (target !== undefined) mine.set(s.pattern.local, target);
      },
      expr(e) {
        if (e.kind !== "closure") return;
        const child = program.functions[e.fn];
        if (!child) return;
        e.captures.forEach((init, i) => {
          const target = mine.get(init.outer);
          const slot = child.captures[i];
          if (target !== undefined && slot) known[child.id].set(slot.local, target);
        });
      },
    };
    walkBlock(fn.body, visitor);
    // par branches capture like closures; their creation sites are par nodes.
    walkBlock(fn.body, {
      expr(e) {
        if (e.kind !== "par") return;
        for (const b of e.branches) {
          const child = program.functions[b.fn];
          b.captures.forEach((init, i) => {
            const target = mine.get(init.outer);
            const slot = child?.captures[i];
            if (target !== undefined && slot) known[child.id].set(slot.local, target);
          });
        }
      },
    });
  }
  return known;
}

/** Per TIR node: the edges it creates (null: a call through an unknown Fn value). */
export type NodeEdges = Map<TExpr, Edge[] | null>;

/**
 * The facts of one body (or one expression): atoms of its own operations and its edges. With
 * `recorded`, nodes already seen during analysis reuse their edges instead of being resolved again.
 */
export function collectFacts(
  program: TProgram,
  walkRoot: (v: Visitor) => void,
  known: Map<LocalId, FnId> | undefined,
  callTargets: Map<TExpr, FnId | null>,
  decls: EffectDecls,
  nodeEdges: NodeEdges,
  recorded?: NodeEdges,
): FnFacts {
  const direct = new AtomSet();
  const edges: Edge[] = [];
  let opaqueCall = false;
  const addDirect = (a: EffectAtom, span: Span): void => {
    if (!decls.isTransparent(a.verb)) direct.add(a, { span });
  };
  const globalAtom = (verb: "reads" | "writes", g: number, span: Span): void => {
    const decl = program.globals.find((x) => x.id === g) ?? program.globals[g];
    if (!decl || !decl.mut || isConcurrencyPrimitive(decl.type.kind)) return;
    addDirect({ verb, resource: moduleBindingResource(decl.name) }, span);
  };
  const record = (node: TExpr, list: Edge[] | null): void => {
    nodeEdges.set(node, list);
    if (list === null) opaqueCall = true;
    else edges.push(...list);
  };

  walkRoot({
    stmt(s) {
      if (s.kind === "compoundAssign") {
        if (s.op === "/" || s.op === "%") addDirect(PANICS, s.span);
        const root = placeRoot(s.place);
        if (root?.kind === "global") globalAtom("reads", root.global, s.span);
      }
    },
    place(p, access, span) {
      if (p.kind === "index") addDirect(PANICS, span);
      if (p.kind === "global") globalAtom(access === "read" || access === "lock" ? "reads" : "writes", p.global, span);
    },
    expr(e) {
      if (e.kind === "binary" && (e.op === "/" || e.op === "%")) addDirect(PANICS, e.span);
      if (e.kind === "slice") addDirect(PANICS, e.span);
      // Literals that build a heap block allocate, like the constructors in the builtin registry.
      if (ALLOCATING_NODES.has(e.kind)) addDirect(ALLOCATES_HEAP, e.span);
      if (e.kind === "builtin") for (const a of builtinAtoms(e.op)) addDirect(a, e.span);
      if (e.kind === "providerCall") {
        // The resource verb of the receiver plus the trait method's ceiling (karac); the origin
        // names the resource method, so reports say where the effect comes from.
        for (const a of providerCallEffects(program, decls, e).atoms) if (!decls.isTransparent(a.verb)) direct.add(a, { span: e.span, via: `${e.resource}.${e.method}` });
      }
      const prior = recorded?.get(e);
      if (prior !== undefined) {
        record(e, prior);
        return;
      }
      switch (e.kind) {
        case "builtin":
          if (SPAWNING.has(e.op) && e.args[0]) {
            const thunk = resolveFnValue(e.args[0], known);
            record(e, thunk !== undefined ? [{ target: thunk, span: e.span, kind: "run", fnArgs: [] }] : null);
          }
          break;
        case "call": {
          const fnArgs: (FnId | null)[] = [];
          for (const a of e.args) {
            if (a.mode === "mutref" || a.value.type.kind !== "fn") continue;
            fnArgs.push(resolveFnValue(a.value, known) ?? null);
          }
          record(e, [{ target: e.fn, span: e.span, kind: "call", fnArgs }]);
          break;
        }
        case "callValue": {
          const target = resolveFnValue(e.callee, known);
          callTargets.set(e, target ?? null);
          if (target !== undefined) {
            const t = program.functions[target];
            // A named function called through a value still hides its body when it is pub.
            record(e, [{ target, span: e.span, kind: t && isFirewall(t) ? "call" : "run", fnArgs: [] }]);
          } else record(e, null);
          break;
        }
        case "par":
          record(e, e.branches.map((b) => ({ target: b.fn, span: b.span, kind: "run" as const, fnArgs: [] })));
          break;
        case "providerCall":
          // Without a ceiling, a provider call also does what the bound providers' methods do.
          record(e, providerCallEffects(program, decls, e).declared ? [] : e.cases.map((target) => ({ target, span: e.span, kind: "call" as const, fnArgs: [] })));
          break;
        default:
          break;
      }
    },
  });
  return { direct, edges, opaqueCall };
}

export function isConcurrencyPrimitive(kind: string): boolean {
  return kind === "atomic" || kind === "mutex";
}

/**
 * Polymorphic functions: declared `with _` / `with E`, or calling a Fn value whose function is not
 * known here — directly, or by handing an unknown Fn value to a polymorphic callee.
 */
function computePolymorphic(fns: TFunction[], facts: FnFacts[], clauses: Map<FnId, ResolvedClause>): boolean[] {
  const poly = fns.map((fn) => {
    const c = clauses.get(fn.id);
    return !!c && (c.underscore || c.vars.length > 0) || facts[fn.id].opaqueCall;
  });
  let changed = true;
  while (changed) {
    changed = false;
    for (const fn of fns) {
      if (poly[fn.id]) continue;
      for (const e of facts[fn.id].edges) {
        const viaUnknownArg = e.kind === "call" && poly[e.target] && e.fnArgs.some((a) => a === null);
        // Running a polymorphic lifted body (a branch calling an unknown Fn) makes this one polymorphic too.
        const viaLifted = e.kind === "run" && poly[e.target] && !isFirewall(fns[e.target]);
        if (viaUnknownArg || viaLifted) {
          poly[fn.id] = true;
          changed = true;
          break;
        }
      }
    }
  }
  return poly;
}

/** Tarjan's algorithm, iterative; components come out callees-first. */
export function stronglyConnected(n: number, succ: number[][]): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
  let next = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: { v: number; i: number }[] = [{ v: root, i: 0 }];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const top = work[work.length - 1];
      const edges = succ[top.v];
      if (top.i < edges.length) {
        const w = edges[top.i++];
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, i: 0 });
        } else if (onStack[w]) {
          low[top.v] = Math.min(low[top.v], index[w]);
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].v;
        low[parent] = Math.min(low[parent], low[top.v]);
      }
      if (low[top.v] === index[top.v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== top.v);
        out.push(comp.reverse());
      }
    }
  }
  return out;
}
