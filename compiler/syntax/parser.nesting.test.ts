// Deep nesting: long runs of parentheses and long `else if` chains parse without exhausting the
// call stack (both are parsed iteratively), up to MAX_NESTING; beyond it the item gets E0059.
// Other nesting (blocks, ifs, calls) is bounded by the call stack and gives E0059 beyond it.
// Also checks that the fast parser and the recovering one build the same trees.

import { describe, expect, it } from "vitest";
import { parse, parseWithRecovery, parseWithoutRecovery, SyntaxCodes as C } from "./parser.js";
import { MAX_NESTING } from "./grammar-base.js";
import { CORPUS } from "./corpus.testdata.js";
import { fnBody, parseOk } from "./testutil.js";
import type * as A from "./ast.js";

const parens = (n: number): string => `fn f() -> i64 { ${"(".repeat(n)}1${")".repeat(n)} }\n`;
// ((((1 + 1) + 1) + 1) ...): every level has an operator after the level inside it.
const leftNested = (n: number): string => `fn f() -> i64 { ${"(".repeat(n)}1${" + 1)".repeat(n)} }\n`;
const elseIfChain = (n: number): string =>
  `fn f(x: i64) -> i64 {\n    if x == 0 { 0 }\n${Array.from({ length: n - 1 }, (_, i) => `    else if x == ${i + 1} { ${i + 1} }\n`).join("")}    else { -1 }\n}\n`;
// Shapes whose depth is bounded by the call stack.
const nestedBlocks = (n: number): string => `fn f() -> i64 { ${"{ ".repeat(n)}1${" }".repeat(n)} }\n`;
const nestedIfs = (n: number): string => `fn f(c: bool) -> i64 { ${"if c { ".repeat(n)}1${" } else { 0 }".repeat(n)} }\n`;
const nestedCalls = (n: number): string => `fn g(x: i64) -> i64 { x }\nfn f() -> i64 { ${"g(".repeat(n)}1${")".repeat(n)} }\n`;

function tail(src: string): A.Expr {
  const t = fnBody(src).tail;
  if (!t) throw new Error("no tail");
  return t;
}

describe("long runs of parentheses", () => {
  it("2 000 nested parentheses around a literal leave just the literal", () => {
    const src = parens(2000);
    const t = tail(src);
    expect(t.kind).toBe("int");
    expect(t.span.offset).toBe(src.indexOf("1"));
  });

  it("2 000 levels with an operator after each inner level build a left-nested chain", () => {
    const src = leftNested(2000);
    let e = tail(src);
    let depth = 0;
    while (e.kind === "binary") {
      expect(e.op).toBe("+");
      expect(e.right.kind).toBe("int");
      // a binary node spans from its left operand to the end of its right operand
      expect(e.span.offset).toBe(src.indexOf("1"));
      e = e.left;
      depth++;
    }
    expect(depth).toBe(2000);
    expect(e.kind).toBe("int");
  });

  it("a long run builds the same tree as the recursive parse of short runs", () => {
    // Runs shorter than the iterative threshold are parsed recursively; the same shape with a
    // run of 40 must give the same kinds of nodes at every level: (((x, 1), 2), ...).
    for (const n of [3, 40]) {
      let src = "fn f() { " + "(".repeat(n) + "x";
      for (let k = 1; k <= n; k++) src += `, ${k})`;
      src += " }";
      let e = tail(src);
      for (let k = n; k >= 1; k--) {
        expect(e.kind).toBe("tuple");
        if (e.kind !== "tuple") break;
        expect(e.elems).toHaveLength(2);
        const lit = e.elems[1];
        expect(lit.kind === "int" && lit.value).toBe(BigInt(k));
        // each tuple starts at its own `(`
        expect(e.span.offset).toBe(src.indexOf("(", src.indexOf("{")) + (n - k));
        e = e.elems[0];
      }
      expect(e.kind).toBe("ident");
    }
  });

  it("postfix operations and casts after an inner level stay on that level", () => {
    const src = `fn f() { ${"(".repeat(20)}a${").b".repeat(19)}) as i64 }`;
    let e = tail(src);
    expect(e.kind).toBe("cast");
    if (e.kind === "cast") e = e.expr;
    let fields = 0;
    while (e.kind === "field") {
      expect(e.name.name).toBe("b");
      e = e.object;
      fields++;
    }
    expect(fields).toBe(19);
    expect(e.kind).toBe("ident");
  });

  it(`more than ${MAX_NESTING} nested parentheses reject the item with E0059 and go on`, () => {
    const r = parse(parens(MAX_NESTING + 1) + "fn g() -> i64 { 2 }\n", "t.kara");
    expect(r.diagnostics.map((d) => [d.code, d.span.line])).toEqual([[C.Internal, 1]]);
    expect(r.diagnostics[0].message).toContain("nested too deeply");
    expect(r.program.items.map((i) => (i.kind === "fn" ? i.name.name : i.kind))).toEqual(["g"]);
    expect(parse(parens(MAX_NESTING), "t.kara").diagnostics).toEqual([]);
  });
});

describe("long else-if chains", () => {
  it("a 2 000-branch chain parses into nested ifs, innermost last", () => {
    const src = elseIfChain(2000);
    let e: A.Expr | undefined = tail(src);
    const chainEnd = src.lastIndexOf("}", src.length - 3) + 1;
    for (let k = 0; k < 2000; k++) {
      expect(e?.kind).toBe("if");
      if (e?.kind !== "if") break;
      const cond = e.cond;
      expect(cond.kind === "binary" && cond.right.kind === "int" && cond.right.value).toBe(BigInt(k));
      // every `if` of the chain ends where the chain ends
      expect(e.span.offset + e.span.length).toBe(chainEnd);
      e = e.else;
    }
    expect(e?.kind).toBe("block");
  });

  it("`else if let` links and a chain without a final else", () => {
    const e = tail("fn f() { if a { 1 } else if let Some(x) = b { x } else if c { 2 } }");
    expect(e.kind).toBe("if");
    const second = e.kind === "if" ? e.else : undefined;
    expect(second?.kind).toBe("ifLet");
    const third = second?.kind === "ifLet" ? second.else : undefined;
    expect(third?.kind).toBe("if");
    expect(third?.kind === "if" ? third.else : "x").toBeUndefined();
  });

  it(`a chain of more than ${MAX_NESTING} branches rejects the item with E0059`, () => {
    const r = parse(elseIfChain(MAX_NESTING + 1), "t.kara");
    expect(r.diagnostics.map((d) => d.code)).toEqual([C.Internal]);
    expect(parse(elseIfChain(MAX_NESTING), "t.kara").diagnostics).toEqual([]);
  });

  it("a broken condition in a chain gives one diagnostic", () => {
    const r = parse("fn f(x: i64) -> i64 {\n    if x == 0 { 0 } else if { 1 } else { 2 }\n}\n", "t.kara");
    expect(r.diagnostics.map((d) => d.code)).toEqual([C.Syntax]);
  });
});

describe("nesting bounded by the call stack", () => {
  it("2 000 nested blocks, 1 000 nested ifs and 400 nested calls parse", () => {
    for (const src of [nestedBlocks(2000), nestedIfs(1000), nestedCalls(400)]) {
      const r = parseWithoutRecovery(src, "deep.kara");
      expect(r.clean).toBe(true);
      expect(r.diagnostics).toEqual([]);
    }
  });

  it("nesting deeper than the stack allows rejects the item with E0059, and the next item parses", () => {
    for (const src of [nestedBlocks(20_000), nestedIfs(20_000), nestedCalls(20_000)]) {
      const r = parse(src + "fn after() { }\n", "deep.kara");
      expect(r.diagnostics.map((d) => d.code)).toEqual([C.Internal]);
      expect(r.program.items.map((i) => (i as A.FnDecl).name.name)).toContain("after");
    }
  });
});

describe("fast and recovering parsers", () => {
  const ser = (p: A.Program): string => JSON.stringify(p, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));

  it("build identical trees for valid programs, the fast one without falling back", () => {
    const programs = [...CORPUS, parens(300), leftNested(300), elseIfChain(300), nestedBlocks(150), nestedIfs(150), nestedCalls(150)];
    for (const src of programs) {
      const fast = parseWithoutRecovery(src, "test.kara");
      expect(fast.clean, src.slice(0, 80)).toBe(true);
      expect(fast.diagnostics).toEqual([]);
      const slow = parseWithRecovery(src, "test.kara");
      expect(slow.diagnostics).toEqual([]);
      expect(ser(slow.program)).toBe(ser(fast.program));
    }
  });

  it("agree on programs with syntax errors (parse() falls back to the recovering parser)", () => {
    for (const src of ["fn f() { let x = (1 + ; }", "fn f() { if { } }", "fn f() { a.b( }\nfn g() {}", "fn f() { let = 3; }"]) {
      expect(parse(src, "t.kara")).toEqual(parseWithRecovery(src, "t.kara"));
    }
  });
});
