// Moving a non-Copy element out of a container is an error (karac E0285, E_INDEX_MOVE_NON_COPY).
//
// `v[i]` names an element the container still owns, and a map lookup `m[k]` names a value the
// map still owns (karac's `Index.index` yields a borrow for both): a container has no holes, so a
// use that would take the element by value (a `let`, an owned argument or receiver, a field or
// element of a new value, a function's result) can only read it if its type is Copy. Every other use reads the
// element in place and stays legal: printing and interpolating it, comparing it, calling a method
// that borrows it, `match v[i]`, destructuring `let (a, b) = v[i]`. The repairs are `v[i].clone()`
// (an owned copy) and `let x = ref v[i];` (a read-only borrow, check/ref-bindings.ts). A `ref`
// binding is itself a borrow, so moving out of it is the same error.
//
// A field whose type runs a user `Drop` is held to the same rule when the function does not own
// it — read through a borrow (a `ref` / `mut ref` parameter, `ref self`, a `ref` binding) or out of
// an element — since a copy would run the `Drop` body twice; out of a `shared` object the code is
// karac's E0514. Any other non-Copy field taken by value through such a borrow is E0200, karac's
// `borrow_projection_copy` (core semantics §3.7).
//
// The checker marks the reads the program wrote (`checkIndex`); reads the checker synthesises for
// its own lowerings (loops, pipelines) are not marked and keep their copies. The decision waits
// for finalize, where `$own` markers are resolved and every element type is known. A generic body
// is also checked right after its definition check (`reportGenericIndexMoves`), where an element
// typed by a type parameter is Copy only under a `Copy` bound.

import type { Span } from "../syntax/ast.js";
import type { TExpr, TLocal, TPlace, Type } from "../tir/nodes.js";
import { showSourceType } from "../tir/show-type.js";
import { resolve, show, type Ty } from "./types.js";
import { runsUserDrop, type DropDefs } from "./drop-bindings.js";
import { kindVerdict } from "./copy-like.js";

const userIndexReads = new WeakSet<object>();
const reported = new WeakSet<Span>();

/** Record `e` (a read the program wrote as `base[i]` or `m[k]`) as a candidate for the index-move check. */
export function markIndexRead(e: TExpr): TExpr {
  if (e.kind === "read" && (e.place.kind === "index" || isMapLookup(e.place))) userIndexReads.add(e);
  return e;
}

/** `m[k]`: the checker reads a map value through a temporary holding the `map.index` lookup. */
function isMapLookup(p: TPlace): boolean {
  return p.kind === "temp" && p.value.kind === "builtin" && p.value.op === "map.index";
}

/** A `let x = ref <place>;` binding: a read-only borrow that owns nothing. */
export function isRefBinding(l: TLocal | undefined): boolean {
  return !!l && l.kind === "let" && l.mode === "ref";
}

/**
 * The diagnostic for moving `v` (a non-Copy read flowing into an owning site), or undefined when
 * the move is allowed. Each source span is reported once, however many generic instances reach it.
 */
export function indexMoveMessage(
  v: TExpr & { kind: "read" },
  locals: TLocal[],
  defs?: DropDefs,
  ty: string = showSourceType(v.type as Type),
): { message: string; span: Span; code?: "shared" | "borrow" } | undefined {
  const p = v.place;
  let message: string | undefined;
  let code: "shared" | "borrow" | undefined;
  const fieldRead = p.kind === "field" || p.kind === "tupleField";
  const borrowed = defs && fieldRead && runsUserDrop(v.type as Type, defs) ? borrowedRoot(p, locals) : undefined;
  const lent = defs && fieldRead && !borrowed ? borrowedParamRoot(p, locals) : undefined;
  if (lent) {
    message =
      `cannot move this field out of \`${lent}\`, a borrow: its type \`${ty}\` is not Copy and the caller keeps owning it; ` +
      "clone it (`.clone()`), read it in place, or take the parameter by value";
    code = "borrow";
  } else if (borrowed === "shared") {
    message =
      `cannot move this value out of a \`shared\` object: every handle shares it, and its type \`${ty}\` runs a \`Drop\` body, ` +
      "which a copy would run a second time; read it in place or borrow it (`let x = ref s.f;`)";
    code = "shared";
  } else if (borrowed) {
    const what = borrowed === "element" ? "an element of a container" : `\`${borrowed}\`, a borrow`;
    message =
      `cannot move this field out of ${what}: its type \`${ty}\` runs a \`Drop\` body, which a copy would run a second time; ` +
      "read it in place or borrow it (`let x = ref p.f;`)";
  } else if (userIndexReads.has(v) && isMapLookup(p)) {
    message =
      `cannot move this value out of its map: the map keeps owning it, and its type \`${ty}\` is not Copy; ` +
      "clone it (`m[k].clone()`), borrow it (`let x = ref m[k];`) or take it out (`m.remove(k)`)";
  } else if (userIndexReads.has(v)) {
    message =
      `cannot move this element out of its container: the container keeps owning it, and its type \`${ty}\` is not Copy; ` +
      "clone it (`v[i].clone()`) or borrow it (`let x = ref v[i];`)";
  } else if (p.kind === "local" && isRefBinding(locals[p.local])) {
    message = `cannot move out of \`${locals[p.local].name}\`: it is a \`ref\` binding (a borrow), and its type \`${ty}\` is not Copy; clone it with \`.clone()\``;
  }
  if (!message || reported.has(v.span)) return undefined;
  reported.add(v.span);
  return code ? { message, span: v.span, code } : { message, span: v.span };
}

/**
 * Who owns the part a field path reads, when it is not the function's own value: a `shared`
 * object on the way ("shared"), an element of a container ("element"), or a `ref` / `mut ref`
 * parameter, `ref` binding or by-reference capture at the root (its name).
 */
function borrowedRoot(p: TPlace, locals: TLocal[]): string | undefined {
  let q = p;
  let viaElement = false;
  while (q.kind === "field" || q.kind === "tupleField" || q.kind === "index") {
    if (q.kind === "index") viaElement = true;
    const bt = q.base.type;
    if (q.kind === "field" && bt.kind === "struct" && bt.flavor !== "plain") return "shared";
    q = q.base;
  }
  if (viaElement) return "element";
  if (q.kind !== "local") return undefined;
  const root = locals[q.local];
  return root && root.mode !== "owned" ? root.name : undefined;
}

/**
 * The `ref` / `mut ref` parameter (`ref self` included), `ref` binding or by-reference capture a
 * field path reads through, when the path goes only through fields and tuple elements of plain
 * values (karac's move-out-of-a-borrow rule, core semantics §3.7, its `borrow_projection_copy`).
 */
function borrowedParamRoot(p: TPlace, locals: TLocal[]): string | undefined {
  let q = p;
  while (q.kind === "field" || q.kind === "tupleField") {
    const bt = q.base.type;
    if (q.kind === "field" && bt.kind === "struct" && bt.flavor !== "plain") return undefined;
    q = q.base;
  }
  if (q.kind !== "local") return undefined;
  const root = locals[q.local];
  return root && root.mode !== "owned" ? root.name : undefined;
}

/** Whether values of a checker type are copied by a use, moved, or undecidable before finalize. */
type CopyVerdict = "copy" | "move" | "unknown";

/**
 * The verdict for a type inside a generic body checked at its definition: a type parameter is
 * Copy only when a `Copy` bound says so, whatever the instances are (karac reports
 * `fn head[T](v: ref Vec[T]) -> T { v[0] }` even when every caller passes integers). User structs
 * and enums are left to the instances, where their definitions are settled.
 */
function genericCopyVerdict(t: Ty): CopyVerdict {
  const r = resolve(t);
  const byKind = kindVerdict(r.kind);
  if (byKind) return byKind;
  switch (r.kind) {
    case "param":
      return r.bounds.includes("Copy") ? "copy" : "move";
    case "tuple":
      return combineVerdicts(r.elems.map(genericCopyVerdict));
    case "array":
      return genericCopyVerdict(r.elem);
    case "enum":
      return r.flavor === "plain" && (r.name === "Option" || r.name === "Result") ? combineVerdicts(r.args.map(genericCopyVerdict)) : "unknown";
    default:
      return "unknown";
  }
}

function combineVerdicts(vs: CopyVerdict[]): CopyVerdict {
  if (vs.includes("move")) return "move";
  return vs.includes("unknown") ? "unknown" : "copy";
}

function mentionsParam(t: Ty): boolean {
  const r = resolve(t);
  switch (r.kind) {
    case "param":
      return true;
    case "tuple":
      return r.elems.some(mentionsParam);
    case "array":
    case "vec":
    case "set":
      return mentionsParam(r.elem);
    case "map":
      return mentionsParam(r.key) || mentionsParam(r.value);
    case "enum":
    case "struct":
      return r.args.some(mentionsParam);
    default:
      return false;
  }
}

/**
 * E0285 in a generic body checked at its definition: an element whose type depends on a type
 * parameter without a `Copy` bound, flowing into an owning site. Reported here, once for the
 * function, rather than once per instance with the instance's type. Returns how many it reported.
 */
export function reportGenericIndexMoves(body: unknown, locals: TLocal[], report: (message: string, span: Span) => void): number {
  let count = 0;
  const stack: unknown[] = [body];
  while (stack.length) {
    const x = stack.pop();
    if (!x || typeof x !== "object") continue;
    if (Array.isArray(x)) {
      for (const y of x) stack.push(y);
      continue;
    }
    const o = x as Record<string, unknown>;
    if (typeof o.offset === "number" && typeof o.line === "number") continue; // a Span
    if (o.kind === "$own" && !o.copyOnly) {
      const v = o.value as TExpr;
      const ty = v.type as unknown as Ty;
      if (v.kind === "read" && mentionsParam(ty) && genericCopyVerdict(ty) === "move") {
        const bad = indexMoveMessage(v, locals, undefined, show(ty));
        if (bad) {
          report(bad.message, bad.span);
          count++;
        }
      }
    }
    for (const k of Object.keys(o)) if (k !== "type" && k !== "span" && k !== "typeArgs") stack.push(o[k]);
  }
  return count;
}
