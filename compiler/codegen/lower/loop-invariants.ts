// Facts a loop's lowering can rely on for its whole run, used to make element access cheaper
// without changing what a program does:
//
// - Stable sequences. A `Vec`, array or slice held in a local whose header (data pointer,
//   length) the loop cannot change — the body never assigns, moves, mutates (push, pop, sort, …)
//   or lends the local itself `mut`, and nothing else can reach the local — has its header read
//   once before the loop into wasm locals. Each `v[e]` in the body then checks `e` against a
//   register instead of loading the length and the data pointer from shared memory (which the
//   engine cannot keep in registers itself). Writing elements (`v[i] = x`, `v[i].push(x)`) keeps
//   the header, so it does not disturb the fact.
// - Indices in bounds. In `for i in lo..v.len()` (forward or reversed, any step) over a stable
//   `v`, with `lo` known not to be negative and `i` never assigned in the body, every `v[i]`
//   is in bounds: its check is left out. The panic an out-of-bounds index would raise cannot
//   happen there, so every panic the program can raise is unchanged.
// - No overflow. Below an exclusive range bound of its own type, `i + 1` fits; a signed value known
//   not to be negative minus a constant `c >= 0` is at least `-c`. Those two lose their overflow
//   check (operators.ts asks `cannotOverflow`).
//
// "Nothing else can reach the local": a `let` or by-value parameter that is not address-taken
// (no closure or branch captures it by reference, it is never passed `mut ref`) can only change
// through the accesses the walker reports. A `ref`/`mut ref` parameter or a capture of a par
// branch may alias storage other code can reach (a module-level `let mut` a callee grows), so it
// counts as stable only in a loop that runs no user code: no call, function value, provider
// method or nested `par`, and no user `Drop`/`PartialEq`/`Ord`/`Display` impl anywhere in the
// program (helpers run those without a call node). Anything else is left as it was.

import type { Gen } from "../context.js";
import type { LocalId, TBlock, TExpr, TFunction, TPattern, TPlace, TProgram, Type } from "../../tir/nodes.js";
import { walkBlock, walkExpr, walkPattern, type Visitor } from "../../tir/walk.js";
import { i32, i64, type Ref } from "../ir.js";
import { HDR } from "../layout.js";
import { indexPanic, panicCall } from "../runtime/panics.js";
import type { Lowerer } from "./lowerer.js";

/** Wasm locals holding a stable sequence's length (as i64) and data pointer. */
interface CachedHeader {
  len: number;
  data: number;
}

const SEQ_KINDS = new Set<Type["kind"]>(["vec", "array", "slice"]);

type LoopPart = TExpr | TBlock;

function walkPart(p: LoopPart, v: Visitor): void {
  if ("stmts" in p) walkBlock(p, v);
  else walkExpr(p, v);
}

/** The local a sequence expression reads directly (`v`, behind a `ref` borrow of it). */
function readLocalOf(e: TExpr | undefined): LocalId | undefined {
  if (!e) return undefined;
  if (e.kind === "read" && e.place.kind === "local") return e.place.local;
  if (e.kind === "coerce") return readLocalOf(e.value);
  return undefined;
}

function placeLocal(p: TPlace | undefined): LocalId | undefined {
  return p?.kind === "local" ? p.local : undefined;
}

interface Scan {
  /** Sequence locals indexed directly (`v[e]`). */
  indexed: Set<LocalId>;
  /** Locals whose whole value may change: assigned, moved, mutated, lent `mut`, locked. */
  changed: Set<LocalId>;
  /** Locals bound inside the parts (their value is new on every iteration). */
  bound: Set<LocalId>;
  /** The parts call user code (functions, closures, providers, builtins taking a function). */
  callsUser: boolean;
}

function scan(parts: LoopPart[], variable?: TPattern): Scan {
  const s: Scan = { indexed: new Set(), changed: new Set(), bound: new Set(), callsUser: false };
  // Bases of element places: a write or mutation of `v[i]` reports `v` with the same access,
  // but it changes an element, never the header.
  const elementBases = new WeakSet<TPlace>();
  const visitor: Visitor = {
    place(p, access) {
      if (p.kind === "index" && p.coll !== "map") {
        elementBases.add(p.base);
        const v = placeLocal(p.base);
        if (v !== undefined) s.indexed.add(v);
        return;
      }
      if (p.kind === "local" && access !== "read" && !elementBases.has(p)) s.changed.add(p.local);
    },
    pattern(p) {
      if (p.kind === "bind") s.bound.add(p.local);
    },
    expr(e) {
      switch (e.kind) {
        case "move":
          s.changed.add(e.local);
          break;
        case "call":
        case "callValue":
        case "providerCall":
        case "par":
          s.callsUser = true;
          break;
        case "builtin":
          if (e.args.some((a) => a.type.kind === "fn")) s.callsUser = true;
          break;
      }
    },
  };
  for (const p of parts) walkPart(p, visitor);
  // A `for` loop's own variable is bound anew on every iteration, like a binding in the body.
  if (variable) walkPattern(variable, visitor);
  return s;
}

const hiddenUserCode = new WeakMap<TProgram, boolean>();

/**
 * Does the program define user code that generated helpers run without a call node (a `Drop`,
 * `PartialEq`, `Ord` or `Display` impl, run by drops, `==`, sorting and printing)?
 */
function hasHiddenUserCode(program: TProgram): boolean {
  let r = hiddenUserCode.get(program);
  if (r === undefined) {
    r = [...program.structs.values(), ...program.enums.values()].some(
      (d) => d.userDrop !== undefined || d.userEq !== undefined || d.userCmp !== undefined || d.display?.kind === "user",
    );
    hiddenUserCode.set(program, r);
  }
  return r;
}

/** Can `v`'s header change while the scanned parts run? */
function stable(program: TProgram, fn: TFunction, v: LocalId, s: Scan): boolean {
  const l = fn.locals[v];
  if (!l || !SEQ_KINDS.has(l.type.kind) || s.changed.has(v) || s.bound.has(v)) return false;
  const noUserCode = () => !s.callsUser && !hasHiddenUserCode(program);
  switch (l.kind) {
    case "let":
      return l.mode === "owned" && !l.addressTaken;
    case "param":
      return l.mode === "owned" ? !l.addressTaken : noUserCode();
    case "capture":
      // A par branch's siblings cannot change what it reads (the effect checks); a closure's
      // creator or a spawned task's spawner may still hold the same header, so only a branch
      // counts, and only while it runs no user code that could reach the captured binding.
      return fn.kind === "parBranch" && noUserCode();
    default:
      return false;
  }
}

/** Generations that keep every header load and bounds check (`GenerateOptions.loopFacts: false`, for comparisons). */
const withoutFacts = new WeakSet<Gen>();

export function keepLoopChecks(g: Gen): void {
  withoutFacts.add(g);
}

const factsOf = new WeakMap<Lowerer, LoopFacts>();

/** The loop facts of the function `fl` is lowering. */
export function loopFacts(fl: Lowerer): LoopFacts {
  let f = factsOf.get(fl);
  if (!f) factsOf.set(fl, (f = new LoopFacts()));
  return f;
}

export class LoopFacts {
  /** Lowering cleanup code, which may run at exits inside a loop but belongs to scopes outside it. */
  private suspended = 0;
  private readonly cached = new Map<LocalId, CachedHeader>();
  /** Sequence local → index locals proven below its length wherever they are read. */
  private readonly inBounds = new Map<LocalId, Set<LocalId>>();
  /** Integer locals that are never negative while they are visible (range loop variables). */
  private readonly nonNegative = new Set<LocalId>();
  /** Integer locals below some value of their own type (exclusive range loop variables). */
  private readonly belowBound = new Set<LocalId>();

  /**
   * Caches the headers of the sequences indexed in `parts` (a loop's condition and body;
   * `variable` is a `for` loop's pattern) that the loop cannot change and no enclosing loop has
   * cached yet. `init` reads them (to be placed just before the loop, after its bounds are
   * evaluated); `close` ends the facts at the loop's end.
   */
  open(fl: Lowerer, parts: LoopPart[], variable?: TPattern, more: LocalId[] = []): { init: Ref[]; scan: Scan; close: () => void } {
    const s = scan(parts, variable);
    if (withoutFacts.has(fl.g)) return { init: [], scan: s, close: () => {} };
    const fresh: LocalId[] = [];
    for (const v of new Set([...s.indexed, ...more])) {
      if (!this.cached.has(v) && stable(fl.g.program, fl.fn, v, s)) fresh.push(v);
    }
    const { m, ir } = fl;
    const init: Ref[] = [];
    for (const v of fresh) {
      const hdr = fl.tmp(i32);
      const c = { len: fl.tmp(i64), data: fl.tmp(i32) };
      init.push(
        ir.set(hdr, fl.readLocal(v)),
        ir.set(c.len, m.i64.extend_u(ir.load32(ir.get(fl.locals, hdr), HDR.LEN))),
        ir.set(c.data, ir.load32(ir.get(fl.locals, hdr), HDR.DATA)),
      );
      this.cached.set(v, c);
    }
    return { init, scan: s, close: () => fresh.forEach((v) => this.cached.delete(v)) };
  }

  /** Lowers `f` without the cached headers: code registered outside the loops being lowered (defer bodies). */
  suspend<T>(f: () => T): T {
    this.suspended++;
    try {
      return f();
    } finally {
      this.suspended--;
    }
  }

  /** The cached length and data pointer of `v` (i64 and i32 local indices), when its header is cached. */
  header(v: LocalId): CachedHeader | undefined {
    return this.suspended > 0 ? undefined : this.cached.get(v);
  }

  /**
   * A range loop `for i in lo..hi` is about to lower its body: records that `i` is never negative
   * when `lo` is not, and that `v[i]` is in bounds when `hi` is `v.len()` of a cached `v`.
   * Returns what to undo after the body.
   */
  rangeFacts(fl: Lowerer, iter: Extract<Extract<TExpr, { kind: "for" }>["iter"], { kind: "range" }>, body: TBlock, s: Scan): () => void {
    const fn = fl.fn;
    const v0 = iter.variable.kind === "bind" && !iter.variable.sub ? iter.variable.local : undefined;
    const unchanged = (x: LocalId) => !s.changed.has(x) && !fn.locals[x]?.addressTaken;
    if (v0 === undefined || !unchanged(v0) || withoutFacts.has(fl.g)) return () => {};
    // The loop variable, and the bindings that copy it and are never assigned (an adapted range,
    // `(a..b).rev()`, binds the user's name with `let i = $x;`).
    const vars = [v0];
    walkBlock(body, {
      stmt(st) {
        if (st.kind !== "let" || st.pattern.kind !== "bind" || st.pattern.sub || !unchanged(st.pattern.local)) return;
        const from = readLocalOf(st.init);
        if (from !== undefined && vars.includes(from)) vars.push(st.pattern.local);
      },
    });
    const undo: (() => void)[] = [];
    const note = (set: Set<LocalId>, i: LocalId) => {
      if (set.has(i)) return;
      set.add(i);
      undo.push(() => set.delete(i));
    };
    // Below an exclusive upper bound of its own type: `i + 1` cannot overflow.
    if (!iter.inclusive) for (const i of vars) note(this.belowBound, i);
    if (!this.nonNegativeExpr(iter.lo)) return () => undo.forEach((u) => u());
    for (const i of vars) note(this.nonNegative, i);
    const hi = iter.hi;
    const lenOf =
      !iter.inclusive && hi.kind === "builtin" && (hi.op === "vec.len" || hi.op === "array.len" || hi.op === "slice.len") && hi.receiver
        ? hi.receiver.kind === "place"
          ? placeLocal(hi.receiver.place)
          : readLocalOf(hi.receiver.value)
        : undefined;
    if (lenOf !== undefined && this.cached.has(lenOf)) {
      let set = this.inBounds.get(lenOf);
      if (!set) this.inBounds.set(lenOf, (set = new Set()));
      for (const i of vars) note(set, i);
    }
    return () => undo.forEach((u) => u());
  }

  /**
   * Can the checked `left op right` (integers of type `t`) not overflow? `i + 1` for a variable
   * below an exclusive bound of its type, and `x - c` for a signed `x` known not negative and a
   * constant `c >= 0` (the result is at least `-c > MIN`).
   */
  cannotOverflow(op: string, t: Type, left: TExpr, right: TExpr): boolean {
    if (t.kind !== "int" || right.kind !== "int") return false;
    if (op === "+") {
      const i = readLocalOf(left);
      return right.value === 1n && i !== undefined && this.belowBound.has(i) && left.type.kind === "int" && left.type.bits === t.bits;
    }
    if (op === "-") return t.signed && right.value >= 0n && this.nonNegativeExpr(left);
    return false;
  }

  /** Is `index` (of a `v[index]` place) known to be below `v`'s length? */
  provenInBounds(v: LocalId, index: TExpr): boolean {
    const i = readLocalOf(index);
    return i !== undefined && (this.inBounds.get(v)?.has(i) ?? false);
  }

  /** An integer expression that cannot be negative (or panics before producing a value). */
  nonNegativeExpr(e: TExpr): boolean {
    if (e.type.kind === "int" && !e.type.signed) return true;
    switch (e.kind) {
      case "int":
        return e.value >= 0n;
      case "coerce":
        return this.nonNegativeExpr(e.value);
      case "read":
        return e.place.kind === "local" && this.nonNegative.has(e.place.local);
      case "builtin":
        return e.op === "vec.len" || e.op === "array.len" || e.op === "slice.len" || e.op === "string.len";
      case "binary":
        // Checked arithmetic: a sum or product of two non-negative values is non-negative or panics.
        return (e.op === "+" || e.op === "*") && this.nonNegativeExpr(e.left) && this.nonNegativeExpr(e.right);
      default:
        return false;
    }
  }

  /**
   * Address of the element `p` names, when its base is a cached sequence: bounds-checked against
   * the cached length (the same panic as elemAddr), or unchecked when proven in bounds.
   */
  elemAddr(fl: Lowerer, p: Extract<TPlace, { kind: "index" }>): Ref | undefined {
    const v = placeLocal(p.base);
    if (v === undefined || p.coll === "map" || this.suspended > 0) return undefined;
    const c = this.cached.get(v);
    if (!c) return undefined;
    const { m, ir } = fl;
    const bytes = fl.L.elemBytes(p.type);
    if (this.provenInBounds(v, p.index)) return ir.elemAt(ir.get(fl.locals, c.data), m.i32.wrap(fl.toI64(p.index)), bytes);
    const i = fl.tmp(i64);
    const fail = panicCall(fl.g, indexPanic(fl.g), fl.site(p.span), [ir.get(fl.locals, i), ir.get(fl.locals, c.len)]);
    return m.block(
      null,
      [
        ir.set(i, fl.toI64(p.index)),
        m.if(m.i64.ge_u(ir.get(fl.locals, i), ir.get(fl.locals, c.len)), fail),
        ir.elemAt(ir.get(fl.locals, c.data), m.i32.wrap(ir.get(fl.locals, i)), bytes),
      ],
      i32,
    );
  }
}
