// Per-function state while a body is checked: locals, scopes, loops, and — for lifted
// bodies (closures, par branches, task thunks) — the capture environment.

import type { Span } from "../syntax/ast.js";
import type { LocalId, TCaptureInit, TFunction, TLocal, Type } from "../tir/nodes.js";
import { resolve, type Ty } from "./types.js";

export type LiftKind = "closure" | "parBranch" | "thunk";

export interface LoopCtx {
  id: number;
  label?: string;
  kind: "loop" | "while" | "for" | "block";
  breakTy?: Ty; // loop / labeled block: type of `break value`
  hasBreak: boolean;
}

/** Checker-internal types ride in TIR `Type` slots until finalize substitutes them. */
export const asType = (t: Ty): Type => t as unknown as Type;
export const tyOf = (t: Type): Ty => t as unknown as Ty;

export class Builder {
  scopes: Map<string, LocalId>[] = [];
  drops: LocalId[][] = [];
  loops: LoopCtx[] = [];
  captureByOuter = new Map<LocalId, LocalId>();
  captureInits: TCaptureInit[] = [];
  /** `let x: T;` bindings: assignable without `mut` (definite assignment is not checked). */
  deferredInit = new Set<LocalId>();
  /** Nesting depth of `defer` bodies being checked: `return` and `?` may not leave them. */
  deferDepth = 0;
  /**
   * The `if` / `match` expressions (syntax nodes) of statements and loop-body tails being checked:
   * their values are unused, so their arms need not agree on a type. Nested ones are not listed.
   */
  valueUnused = new Set<object>();
  /** par branches: the branch's source position in its `par`. */
  parIndex = 0;
  /**
   * par branches where a `?` leaves the branch: `outer` is the parent's local receiving the
   * escaping Err/None, `slot` this branch's by-reference capture of it.
   */
  escape?: { slot: LocalId; outer: LocalId };
  private nextLoop = 0;

  constructor(
    readonly fn: TFunction,
    /** Mutable only while a provider scope's body is checked inline: its `return` leaves the scope with a value. */
    public ret: Ty,
    readonly parent?: Builder,
    readonly lift?: LiftKind,
    /** par branches: names hoisted by sibling branches (reading one is E0100). */
    readonly siblingNames?: Set<string>,
  ) {}

  /**
   * The type a `?` (and `errdefer`) in this body is checked against: its own return type, except
   * in a par branch, where `?` leaves through the branch to the enclosing function after the join.
   */
  escapeRet(): Ty {
    return this.lift === "parBranch" && this.parent ? this.parent.escapeRet() : this.ret;
  }

  newLoopId(): number {
    return this.nextLoop++;
  }

  local(id: LocalId): TLocal {
    return this.fn.locals[id];
  }

  localTy(id: LocalId): Ty {
    return tyOf(this.fn.locals[id].type);
  }

  newLocal(name: string, ty: Ty, kind: TLocal["kind"], mut: boolean, mode: TLocal["mode"], span: Span): LocalId {
    const id = this.fn.locals.length;
    this.fn.locals.push({ id, name, type: asType(ty), kind, mut, mode, addressTaken: false, owned: false, span });
    return id;
  }

  pushScope(): void {
    this.scopes.push(new Map());
    this.drops.push([]);
  }

  popScope(): LocalId[] {
    this.scopes.pop();
    return this.drops.pop() ?? [];
  }

  declare(name: string, id: LocalId): void {
    this.scopes[this.scopes.length - 1].set(name, id);
    const l = this.fn.locals[id];
    if (l.kind === "let" || l.kind === "temp") this.drops[this.drops.length - 1].push(id);
  }

  findOwn(name: string): LocalId | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const id = this.scopes[i].get(name);
      if (id !== undefined) return id;
    }
    return undefined;
  }

  /** The capture local standing for `outer` (a local of the parent), created on first use. */
  captureOf(outer: LocalId, forceByRef = false): LocalId {
    const existing = this.captureByOuter.get(outer);
    if (existing !== undefined) {
      if (forceByRef) this.makeByRef(existing);
      return existing;
    }
    const parent = this.parent!;
    const ol = parent.local(outer);
    const t = resolve(tyOf(ol.type));
    // Atomic / Mutex cells are shared by address with par branches and tasks (effects-concurrency §3.1).
    const byRef = forceByRef || t.kind === "atomic" || t.kind === "mutex";
    const id = this.newLocal(ol.name, tyOf(ol.type), "capture", ol.mut || ol.mode === "mutref", "owned", ol.span);
    const l = this.local(id);
    l.captureIndex = this.fn.captures.length;
    this.fn.captures.push({ name: ol.name, local: id, byRef: false, type: ol.type });
    this.captureInits.push({ outer, byRef: false });
    this.captureByOuter.set(outer, id);
    if (byRef) this.makeByRef(id);
    return id;
  }

  /** Switch a capture slot to by-reference; the outer cell's address escapes. */
  makeByRef(captureLocal: LocalId): void {
    const l = this.local(captureLocal);
    if (l.kind !== "capture" || l.captureIndex === undefined) return;
    const slot = this.fn.captures[l.captureIndex];
    if (slot.byRef) return;
    slot.byRef = true;
    l.mode = "mutref";
    const init = this.captureInits[l.captureIndex];
    init.byRef = true;
    this.parent?.addressTaken(init.outer);
  }

  /** A local whose address is needed (mut ref argument, by-ref capture). */
  addressTaken(id: LocalId): void {
    const l = this.local(id);
    if (l.kind === "capture") this.makeByRef(id);
    else if (l.mode !== "mutref") l.addressTaken = true;
  }
}
