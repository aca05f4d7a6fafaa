// Line-structure decisions that need the syntax tree: which tokens begin a statement,
// item, field or arm (so they start a line and get no continuation indent), where a
// construct is opened up onto several lines, and where a trailing comma is added. The
// result is a set of per-token constraints that the renderer applies to the source's own
// line breaks; nothing here reorders or removes a token.

import type { Attribute, Block, EnumDecl, Expr, FieldDecl, FnDecl, Item, MatchArm, Program, Span } from "../syntax/ast.js";
import { CLOSERS, OPENERS, isComment, type FmtToken } from "./tokens.js";

export interface Layout {
  minNl: number[]; // at least this many line breaks before token i
  maxNl: number[]; // at most this many (a blank line is 2)
  start: boolean[]; // token i begins an item / statement / field / arm / variant
  commaAfter: Set<number>; // insert `,` right after token i
  // For an opening brace: the first token of the construct it belongs to (-1: unknown). The
  // body is indented from that token's line, so a wrapped signature or condition does not
  // push the body further right.
  owner: number[];
}

type SpanNode = { span: Span };
const STATEMENT_END = new Set(["Semi", "LBrace", "RBrace", "Comma"]);
// Constructs that own the block they contain (the block is their body, not an operand).
const BLOCK_OWNERS = new Set(["fn", "if", "ifLet", "while", "whileLet", "for", "loop", "closure", "par", "seq", "lock", "let", "defer"]);
const endOf = (s: Span): number => s.offset + s.length;

class Planner {
  readonly layout: Layout;
  private readonly byStart = new Map<number, number>();
  private readonly byEnd = new Map<number, number>();
  private readonly partner: number[]; // index of the matching bracket, -1 for other tokens

  constructor(private readonly tokens: FmtToken[]) {
    const n = tokens.length;
    this.layout = {
      minNl: new Array(n).fill(0),
      maxNl: new Array(n).fill(2),
      start: new Array(n).fill(false),
      commaAfter: new Set(),
      owner: new Array(n).fill(-1),
    };
    this.partner = new Array(n).fill(-1);
    const stack: number[] = [];
    tokens.forEach((t, i) => {
      if (isComment(t)) return;
      this.byStart.set(t.offset, i);
      this.byEnd.set(t.offset + t.text.length, i);
      if (OPENERS.has(t.type)) stack.push(i);
      else if (CLOSERS.has(t.type) && stack.length > 0) {
        const o = stack.pop()!;
        this.partner[o] = i;
        this.partner[i] = o;
      }
    });
  }

  prevCode(i: number): number {
    let j = i - 1;
    while (j >= 0 && isComment(this.tokens[j])) j--;
    return j;
  }

  // The token range of a node, widened over parentheses: they leave no node, so an
  // expression's span can start or end inside a parenthesis pair that belongs to it
  // (`(a + b) * c` starts at `a`). [-1, -1] when the span does not match token edges.
  range(node: SpanNode): [number, number] {
    let s = this.startIndex(node.span);
    let e = this.endIndex(node.span);
    if (s < 0 || e < 0) return [-1, -1];
    for (;;) {
      const p = this.prevCode(s);
      const q = this.nextCode(e);
      const pt = this.tokens[p]?.type;
      const qt = this.tokens[q]?.type;
      if (pt === "LParen" && this.partner[p] <= e) s = p;
      else if (pt === "LParen" && this.partner[p] === q) [s, e] = [p, q];
      else if (qt === "RParen" && this.partner[q] >= s) e = q;
      else return [s, e];
    }
  }

  startIndex(s: Span): number {
    return this.byStart.get(s.offset) ?? -1;
  }

  endIndex(s: Span): number {
    return this.byEnd.get(endOf(s)) ?? -1;
  }

  // First `{` code token at or after `offset` and before `limit`.
  braceFrom(offset: number, limit: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid].offset < offset) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.tokens.length && this.tokens[i].offset < limit; i++) {
      if (this.tokens[i].type === "LBrace") return i;
    }
    return -1;
  }

  nextCode(i: number): number {
    let j = i + 1;
    while (j < this.tokens.length && isComment(this.tokens[j])) j++;
    return j;
  }

  // A break before token i. Comments just before i on the same line go with i when they
  // begin their line (`/* note */ x`); when they follow other code on that line they are its
  // trailing comments and stay there.
  breakBefore(i: number, lines: number): void {
    if (i <= 0) return;
    let j = i;
    while (j > 0 && this.tokens[j].nlBefore === 0 && isComment(this.tokens[j - 1])) j--;
    const target = j < i && this.tokens[j].nlBefore === 0 ? i : j;
    this.layout.minNl[target] = Math.max(this.layout.minNl[target], lines);
  }

  // A break after token i keeps comments on i's line there (they are trailing comments).
  breakAfter(i: number, lines: number): void {
    let j = i + 1;
    while (j < this.tokens.length && isComment(this.tokens[j]) && this.tokens[j].nlBefore === 0) j++;
    if (j < this.tokens.length) this.layout.minNl[j] = Math.max(this.layout.minNl[j], lines);
  }

  markStart(node: SpanNode, lines: number): number {
    const [i] = this.range(node);
    if (i < 0) return i;
    this.layout.start[i] = true;
    this.breakBefore(i, lines);
    return i;
  }

  // Attributes each on their own line, the declaration after them on the next.
  attributes(attrs: Attribute[]): void {
    for (const a of attrs) {
      const e = this.endIndex(a.span);
      if (e < 0) continue;
      this.layout.start[this.nextCode(e)] = true;
      this.breakAfter(e, 1);
    }
  }

  // Opens `{ .. }` onto separate lines: elements one per line, each followed by a comma
  // when `commas` is set.
  braced(open: number, close: number, elements: SpanNode[], commas: boolean, owner: SpanNode, separation = 1): void {
    if (open < 0 || close < 0 || close <= open || this.tokens[close].type !== "RBrace") return;
    this.braceOnSameLine(open);
    const o = this.startIndex(owner.span);
    if (o >= 0 && o < open) this.layout.owner[open] = o;
    if (close === open + 1) return; // empty: printed `{}`
    this.breakAfter(open, 1);
    this.breakBefore(close, 1);
    let prevEnd = -1;
    for (const el of elements) {
      const [s, e] = this.range(el);
      if (s < 0) continue;
      this.layout.start[s] = true;
      if (prevEnd >= 0 && separation > 1) this.breakAfter(prevEnd, separation);
      this.breakBefore(s, 1);
      prevEnd = e;
      if (commas && this.tokens[this.nextCode(e)]?.type !== "Comma") this.layout.commaAfter.add(e);
    }
  }

  // An opening brace ends the line of what it belongs to (`fn f() -> T with reads(A) {`),
  // unless it starts a statement of its own (a bare block).
  braceOnSameLine(open: number): void {
    const prev = this.tokens[open - 1];
    if (prev === undefined || isComment(prev) || STATEMENT_END.has(prev.type)) return;
    this.layout.maxNl[open] = 0;
  }

  // A block belongs to the construct it is the body of (`if`, `fn`, a closure, ...); a
  // block that is a statement or operand on its own belongs to itself.
  block(b: Block, parent: { kind?: string; span?: Span } | undefined): void {
    const open = this.braceFrom(b.span.offset, endOf(b.span));
    const close = this.endIndex(b.span);
    const elements: SpanNode[] = b.stmts.filter((s) => s.kind !== "empty");
    if (b.tail) elements.push(b.tail);
    const owner = parent?.span && parent.kind !== undefined && BLOCK_OWNERS.has(parent.kind) ? (parent as SpanNode) : b;
    this.braced(open, close, elements, false, owner);
  }

  match(m: Expr & { kind: "match" }): void {
    const open = this.braceFrom(endOf(m.scrutinee.span), endOf(m.span));
    const close = this.endIndex(m.span);
    this.braced(open, close, m.arms, false, m);
    for (const arm of m.arms as MatchArm[]) {
      const [, e] = this.range(arm.body);
      if (e >= 0 && this.tokens[this.nextCode(e)]?.type !== "Comma") this.layout.commaAfter.add(e);
    }
  }

  structLit(s: Expr & { kind: "structLit" }): void {
    const open = this.braceFrom(s.span.offset, endOf(s.span));
    const close = this.endIndex(s.span);
    const fields: SpanNode[] = s.fields.map((f) => ({ span: { ...f.name.span, length: endOf(f.value.span) - f.name.span.offset } }));
    this.braced(open, close, fields, s.base === undefined, s);
    if (s.base) {
      const [b] = this.range(s.base);
      const dots = b - 1;
      if (b > 0 && this.tokens[dots].type === "DotDot") {
        this.layout.start[dots] = true;
        this.breakBefore(dots, 1);
      }
    }
  }

  fields(nameEnd: number, span: Span, fields: FieldDecl[]): void {
    this.braced(this.braceFrom(nameEnd, endOf(span)), this.endIndex(span), fields, true, { span });
  }

  enumDecl(e: EnumDecl): void {
    this.braced(this.braceFrom(endOf(e.name.span), endOf(e.span)), this.endIndex(e.span), e.variants, true, e);
    for (const v of e.variants) if (v.shape === "struct") this.fields(endOf(v.name.span), v.span, v.fields);
  }

  members(from: number, span: Span, methods: FnDecl[], separation: number): void {
    this.braced(this.braceFrom(from, endOf(span)), this.endIndex(span), methods, false, { span }, separation);
  }

  visit(node: unknown, parent?: { kind?: string; span?: Span }): void {
    if (Array.isArray(node)) {
      for (const x of node) this.visit(x, parent);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const n = node as Record<string, unknown> & { kind?: string; span?: Span };
    switch (n.kind) {
      case "block":
        if (Array.isArray(n.stmts)) this.block(n as unknown as Block, parent);
        break;
      case "match":
        if (Array.isArray(n.arms)) this.match(n as unknown as Expr & { kind: "match" });
        break;
      case "structLit":
        this.structLit(n as unknown as Expr & { kind: "structLit" });
        break;
      case "struct":
        if ("flavor" in n) {
          const s = n as unknown as Item & { kind: "struct" };
          this.fields(endOf(s.name.span), s.span, s.fields);
        }
        break;
      case "enum":
        if (Array.isArray(n.variants)) this.enumDecl(n as unknown as EnumDecl);
        break;
      case "impl": {
        const d = n as unknown as Item & { kind: "impl" };
        this.members(endOf(d.target.span), d.span, d.methods, 2);
        break;
      }
      case "trait": {
        const d = n as unknown as Item & { kind: "trait" };
        this.members(endOf(d.name.span), d.span, d.methods, 1);
        break;
      }
    }
    if (Array.isArray(n.attrs)) this.attributes(n.attrs as Attribute[]);
    const self = n.span ? n : parent;
    for (const [k, v] of Object.entries(n)) if (k !== "span" && v !== null && typeof v === "object") this.visit(v, self);
  }

  // Top level: one blank line between items, none between consecutive imports.
  items(items: Item[]): void {
    items.forEach((item, k) => {
      const s = this.markStart(item, 1);
      if (s < 0 || k === 0) return;
      const prev = items[k - 1];
      const [, e] = this.range(prev);
      if (e >= 0 && !(prev.kind === "import" && item.kind === "import")) this.breakAfter(e, 2);
    });
  }
}

export function planLayout(program: Program, tokens: FmtToken[]): Layout {
  const p = new Planner(tokens);
  // `test "name" { .. }` blocks sit among the items in the source but apart from them in the tree.
  const items = [...program.items, ...((program.tests ?? []) as unknown as Item[])].sort((a, b) => a.span.offset - b.span.offset);
  p.items(items);
  p.visit(items);
  return p.layout;
}
