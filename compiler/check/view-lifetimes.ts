// Slice views that would outlive the storage they point into (karac's E_SLICE_BORROW_CONFLICT,
// "slice into `v` outlives its source"). A view — `v[a..b]`, `v.windows(n)`, `v.chunks(n)` — is a
// pointer and a length into the elements of the Vec or array it was taken from. When that Vec is
// owned by this function (a `let`, a temporary or an owned parameter), its elements are freed
// when its block ends, when it is moved away, or when it is replaced; a view still used then would
// read freed memory. So a value that may hold a view of such an owner must not:
//   - be bound, or assigned, to a variable declared outside the owner's block (a block's, `if`'s,
//     `match`'s or loop's value carries its views out with it);
//   - be returned from the function;
//   - be used after the owner was moved (passed by value, bound again) or, for `v[a..b]` views,
//     after the owner was reassigned or changed by a mutating method (which may move its
//     elements). Changes to an owner of `windows`/`chunks` views are check/borrow-conflicts.ts's.
// Which owners a value may point into is followed through bindings, blocks, branches, and any
// composite whose type can hold a view (a struct or tuple built from views, a call that is given
// views and returns a type holding one). Views of a `ref`/`mut ref`/slice parameter point into the
// caller's storage and are not limited here. Use after a move is judged in source order, so a
// use earlier in a loop body than the move is not seen (the move check reports most such loops).

import type { DiagnosticBag } from "../diagnostics.js";
import type { LocalId, Span, TBlock, TEnumDef, TExpr, TFunction, TPattern, TPlace, TStmt, TStructDef, Type } from "../tir/nodes.js";
import { BUILTIN_REGISTRY } from "../tir/builtins.js";
import { typeParts } from "../tir/type-parts.js";
import { placeRoot, walkPattern } from "../tir/walk.js";
import { eachNode, type Node } from "./flow-walk.js";

export const SLICE_BORROW_CONFLICT = "E_SLICE_BORROW_CONFLICT";

const VIEW_OPS = new Set(["vec.windows_view", "vec.chunks_view"]);

export interface TypeDefs {
  structs: ReadonlyMap<string, TStructDef>;
  enums: ReadonlyMap<string, TEnumDef>;
}

/** A view's owner: how the view was taken (a range slice `v[a..b]` or windows/chunks) and where. */
interface Taken {
  how: "range" | "view";
  at: Span;
}

/** Owners a value may point into, with every place a view of each was taken. */
type Owners = Map<LocalId, Taken[]>;

const NONE: Owners = new Map();

export function checkViewLifetimes(fn: TFunction, defs: TypeDefs, diags: DiagnosticBag): void {
  if (!makesViews(fn.body)) return;
  new ViewLifetimes(fn, defs, diags).run();
}

function makesViews(body: TBlock): boolean {
  let found = false;
  eachNode(body, (n: Node) => {
    if ((n.kind === "slice" && "base" in n && (n.type as Type | undefined)?.kind === "slice") || (n.kind === "builtin" && VIEW_OPS.has(n.op as string))) found = true;
    return found;
  });
  return found;
}

class ViewLifetimes {
  /** The block each local is bound in (parameters: none, i.e. the whole function). */
  private readonly boundIn = new Map<LocalId, TBlock>();
  /** The block whose end frees each owned local. */
  private readonly freedBy = new Map<LocalId, TBlock>();
  private readonly parent = new Map<TBlock, TBlock | undefined>();
  /** Owners of the views each local may hold. */
  private readonly viewsOf = new Map<LocalId, Owners>();
  /** Where each owner was moved, reassigned or changed in place, in source order. */
  private readonly kills: { owner: LocalId; at: number; how: "moved" | "changed" }[] = [];
  /** Reads of view-holding locals: checked against the kills at the end. */
  private readonly reads: { local: LocalId; span: Span }[] = [];
  private readonly hasViews = new Map<string, boolean>();
  private current: TBlock | undefined;
  private reported = new Set<string>();

  constructor(
    private readonly fn: TFunction,
    private readonly defs: TypeDefs,
    private readonly diags: DiagnosticBag,
  ) {}

  run(): void {
    this.block(this.fn.body, undefined);
    const tail = this.fn.body.tail;
    if (tail) this.noReturn(tail);
    this.checkUsesAfterKills();
  }

  // ---- walk --------------------------------------------------------------------------------

  private block(b: TBlock, parent: TBlock | undefined): void {
    this.parent.set(b, parent);
    for (const l of b.drops) this.freedBy.set(l, b);
    const outer = this.current;
    this.current = b;
    for (const s of b.stmts) this.stmt(s);
    if (b.tail) this.expr(b.tail);
    this.current = outer;
  }

  private stmt(s: TStmt): void {
    switch (s.kind) {
      case "let": {
        if (s.init) this.expr(s.init);
        const owners = s.init ? this.ownersOf(s.init) : NONE;
        for (const local of boundLocals(s.pattern)) {
          this.boundIn.set(local, this.current!);
          if (owners.size) {
            this.viewsOf.set(local, owners);
            this.mustStayInside(owners, this.current!);
          }
        }
        return;
      }
      case "assign":
      case "compoundAssign": {
        this.expr(s.value);
        // The target is written, not used: only the parts of a field or index target are reads.
        if (s.place.kind !== "local" || s.kind === "compoundAssign") this.place(s.place);
        const root = placeRoot(s.place);
        if (root?.kind !== "local") return;
        if (s.place.kind === "local" && s.kind === "assign") this.kill(root.local, s.span.offset, "changed");
        const owners = this.ownersOf(s.value);
        if (!owners.size) return;
        const at = this.boundIn.get(root.local);
        this.mustStayInside(owners, at);
        const held = new Map(this.viewsOf.get(root.local) ?? NONE);
        for (const [o, k] of owners) held.set(o, [...(held.get(o) ?? []), ...k]);
        this.viewsOf.set(root.local, held);
        return;
      }
      case "expr":
        this.expr(s.expr);
        return;
    }
  }

  /** Visits an expression's parts in evaluation order, noting moves, changes, reads and returns. */
  private expr(e: TExpr): void {
    switch (e.kind) {
      case "block":
        this.block(e, this.current);
        return;
      case "if":
        this.expr(e.cond);
        this.block(e.then, this.current);
        if (e.else) this.expr(e.else);
        return;
      case "move":
        this.kill(e.local, e.span.offset, "moved");
        this.noteRead(e.local, e.span);
        return;
      case "read":
        this.place(e.place);
        return;
      case "return":
        if (e.value) {
          this.expr(e.value);
          this.noReturn(e.value);
        }
        return;
      case "builtin":
        if (e.receiver?.kind === "place") {
          this.place(e.receiver.place);
          const root = placeRoot(e.receiver.place);
          // Only a builtin that modifies its receiver can move the elements (the registry says which).
          if (root?.kind === "local" && e.receiver.place.kind === "local" && BUILTIN_REGISTRY.mutatesReceiver(e.op)) this.kill(root.local, e.span.offset, "changed");
        } else if (e.receiver) this.expr(e.receiver.value);
        for (const a of e.args) this.expr(a);
        return;
      case "call":
      case "providerCall":
        for (const a of e.args) {
          if (a.mode === "mutref") {
            this.place(a.place);
            const root = placeRoot(a.place);
            if (root?.kind === "local" && a.place.kind === "local") this.kill(root.local, e.span.offset, "changed");
          } else this.expr(a.value);
        }
        return;
      case "match":
        this.expr(e.scrutinee);
        for (const arm of e.arms) {
          for (const local of boundLocals(arm.pattern)) this.boundIn.set(local, this.current!);
          if (arm.guard) this.expr(arm.guard);
          this.expr(arm.body);
        }
        return;
      default:
        this.children(e);
    }
  }

  /** Any other node: its expressions, blocks and places in field order. */
  private children(node: object): void {
    for (const k in node) {
      if (k === "type" || k === "span" || k === "from" || k === "to" || k === "operand" || k === "typeArgs" || k === "elem") continue;
      const v = (node as Record<string, unknown>)[k];
      if (v && typeof v === "object") this.child(v);
    }
  }

  private child(v: object): void {
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === "object") this.child(x);
      return;
    }
    const n = v as Node;
    if (typeof n.kind === "string" && "span" in n && "type" in n) {
      // Places and expressions share no kind names; patterns, met here too, hold no places.
      if (PLACE_KINDS.has(n.kind)) this.place(n as unknown as TPlace);
      else if (n.kind === "block" && "stmts" in n) this.block(n as unknown as TBlock, this.current);
      else this.expr(n as unknown as TExpr);
      return;
    }
    // A `for` iterator (its variable is bound here), a struct field entry, a capture, a branch.
    if ("stmts" in n && "drops" in n) {
      this.block(n as unknown as TBlock, this.current);
      return;
    }
    if ("variable" in n && n.variable && typeof n.variable === "object") {
      for (const local of boundLocals(n.variable as unknown as TPattern)) this.boundIn.set(local, this.current!);
    }
    this.children(n);
  }

  private place(p: TPlace): void {
    switch (p.kind) {
      case "local":
        this.noteRead(p.local, p.span);
        return;
      case "field":
      case "tupleField":
        this.place(p.base);
        return;
      case "index":
        this.place(p.base);
        this.expr(p.index);
        if (p.orInsert) this.expr(p.orInsert);
        return;
      default:
        return;
    }
  }

  private noteRead(local: LocalId, span: Span): void {
    if (this.viewsOf.has(local)) this.reads.push({ local, span });
  }

  private kill(owner: LocalId, at: number, how: "moved" | "changed"): void {
    if (this.owns(owner)) this.kills.push({ owner, at, how });
  }

  // ---- owners -------------------------------------------------------------------------------

  /** Whether a view of `local` points into storage this function frees. */
  private owns(local: LocalId): boolean {
    const l = this.fn.locals[local];
    if (!l || l.type.kind === "slice") return false;
    return l.kind === "let" || l.kind === "temp" || (l.kind === "param" && l.mode === "owned");
  }

  /** The owners of the views a value may hold. */
  private ownersOf(e: TExpr | undefined, depth = 0): Owners {
    if (!e || depth > 200) return NONE;
    switch (e.kind) {
      case "slice":
        if (e.type.kind !== "slice") return NONE;
        return this.viewOf(e.base, { how: "range", at: e.span }, depth);
      case "builtin":
        if (VIEW_OPS.has(e.op) && e.receiver?.kind === "value") return this.viewOf(e.receiver.value, { how: "view", at: e.span }, depth);
        break;
      case "read": {
        const root = placeRoot(e.place);
        return root?.kind === "local" ? (this.viewsOf.get(root.local) ?? NONE) : NONE;
      }
      case "move":
        return this.viewsOf.get(e.local) ?? NONE;
      case "copy":
      case "coerce":
        return this.ownersOf(e.value, depth + 1);
      case "block":
        return this.ownersOf(e.tail, depth + 1);
      case "if":
        return union(this.ownersOf(e.then, depth + 1), this.ownersOf(e.else, depth + 1));
      case "match": {
        let all = NONE;
        for (const arm of e.arms) all = union(all, this.ownersOf(arm.body, depth + 1));
        return all;
      }
      case "loop":
      case "while":
      case "for": {
        let all = NONE;
        eachNode(e.body, (n: Node) => {
          if (n.kind === "break" && n.target === e.loopId && n.value) all = union(all, this.ownersOf(n.value as unknown as TExpr, depth + 1));
        });
        return all;
      }
      default:
        break;
    }
    // A composite that can hold a view holds those of its parts.
    if (!this.canHoldView(e.type)) return NONE;
    let all = NONE;
    for (const part of directExprs(e)) all = union(all, this.ownersOf(part, depth + 1));
    return all;
  }

  /** A view taken of `base`: it points into the local base is read from, if this function owns it. */
  private viewOf(base: TExpr, taken: Taken, depth: number): Owners {
    let inner: TExpr = base;
    while (inner.kind === "coerce" || inner.kind === "copy") inner = inner.value;
    if (inner.kind === "read") {
      const root = placeRoot(inner.place);
      if (root?.kind !== "local") return NONE;
      if (this.owns(root.local) && inner.place.kind === "local") return new Map([[root.local, [taken]]]);
      return this.viewsOf.get(root.local) ?? (this.owns(root.local) ? new Map([[root.local, [taken]]]) : NONE);
    }
    return this.ownersOf(inner, depth + 1);
  }

  private canHoldView(t: Type, seen = new Set<string>()): boolean {
    if (t.kind === "slice") return true;
    if (t.kind === "struct" || t.kind === "enum") {
      const name = (t as { name: string }).name;
      const known = this.hasViews.get(name);
      if (known !== undefined) return known;
      if (seen.has(name)) return false;
      seen.add(name);
      let found = false;
      if (t.kind === "struct") found = (this.defs.structs.get(name)?.fields ?? []).some((f) => this.canHoldView(f.type, seen));
      else found = (this.defs.enums.get(name)?.variants ?? []).some((v) => v.fields.some((f) => this.canHoldView(f.type, seen)));
      this.hasViews.set(name, found);
      return found;
    }
    for (const inner of typeParts(t)) if (this.canHoldView(inner, seen)) return true;
    return false;
  }

  // ---- rules --------------------------------------------------------------------------------

  /** Views of `owners` kept in a variable bound in `at` (undefined: the whole function). */
  private mustStayInside(owners: Owners, at: TBlock | undefined): void {
    for (const [owner, takes] of owners) {
      const scope = this.freedBy.get(owner) ?? this.boundIn.get(owner);
      // A parameter, or an owner freed by the function's own end: it outlives every binding.
      if (scope === undefined || scope === this.fn.body) continue;
      if (at !== undefined && this.encloses(scope, at)) continue;
      const name = this.fn.locals[owner].name;
      for (const taken of takes) this.report(taken.at, `views into \`${name}\` outlive it: \`${name}\` is freed at the end of its block, and this keeps views of its elements beyond it; copy the elements out (\`Vec.from_slice\`) or declare \`${name}\` where the views are used`);
    }
  }

  private noReturn(value: TExpr): void {
    for (const [owner, takes] of this.ownersOf(value)) {
      const name = this.fn.locals[owner].name;
      for (const taken of takes) this.report(taken.at, `views into \`${name}\` outlive it: \`${name}\` is dropped when ${this.fn.panicName} returns, and the value returned points into its elements; return \`${name}\` itself, copies of the elements, or take it as \`ref\``);
    }
  }

  private checkUsesAfterKills(): void {
    for (const read of this.reads) {
      const owners = this.viewsOf.get(read.local)!;
      for (const kill of this.kills) {
        const takes = owners.get(kill.owner);
        if (takes === undefined || kill.at >= read.span.offset) continue;
        // A change to the owner of windows/chunks views is reported by borrow-conflicts.ts.
        if (kill.how === "changed" && !takes.some((t) => t.how === "range")) continue;
        const bound = this.fn.locals[read.local].span.offset;
        if (kill.at < bound) continue;
        const owner = this.fn.locals[kill.owner].name;
        const holder = this.fn.locals[read.local].name;
        this.report(read.span, `\`${holder}\` holds views into \`${owner}\`, which was ${kill.how === "moved" ? "moved" : "replaced or changed"} before this use; use the views before that, or copy the elements out first`);
        break;
      }
    }
  }

  private encloses(outer: TBlock, inner: TBlock): boolean {
    for (let b: TBlock | undefined = inner; b !== undefined; b = this.parent.get(b)) if (b === outer) return true;
    return false;
  }

  private report(span: Span, message: string): void {
    const key = `${span.offset}:${span.length}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diags.error(SLICE_BORROW_CONFLICT, "type", message, span);
  }
}

function union(a: Owners, b: Owners): Owners {
  if (!b.size) return a;
  if (!a.size) return b;
  const out = new Map(a);
  for (const [o, k] of b) out.set(o, [...(out.get(o) ?? []), ...k]);
  return out;
}

function boundLocals(p: TPattern): LocalId[] {
  const out: LocalId[] = [];
  walkPattern(p, {
    pattern(q) {
      if (q.kind === "bind") out.push(q.local);
    },
  });
  return out;
}

const PLACE_KINDS = new Set(["local", "global", "field", "tupleField", "index"]);

/** The expressions directly inside a composite expression (its operands, arguments, fields, elements). */
function directExprs(e: TExpr): TExpr[] {
  switch (e.kind) {
    case "call":
    case "providerCall":
      return e.args.flatMap((a) => (a.mode === "mutref" ? [] : [a.value]));
    case "callValue":
      return [e.callee, ...e.args];
    case "builtin":
      return [...(e.receiver?.kind === "value" ? [e.receiver.value] : []), ...e.args];
    case "tuple":
    case "vecLit":
    case "arrayLit":
    case "setLit":
      return e.elems;
    case "struct":
      return e.fields.map((f) => f.value);
    case "variant":
      return e.payload;
    case "vecRepeat":
    case "arrayRepeat":
      return [e.value];
    case "mapLit":
      return e.entries.flat();
    default:
      return [];
  }
}
