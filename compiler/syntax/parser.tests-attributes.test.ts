// `test "name" { .. }` blocks, attribute arguments that nest, attributes on loops, and a keyword
// used as a name at a later use: what the parser builds and what it reports.

import { describe, expect, it } from "vitest";
import { parse, SyntaxCodes as C } from "./parser.js";
import type { Expr, FnDecl, Stmt } from "./ast.js";

function parsed(src: string) {
  const r = parse(src, "t.kara");
  return { program: r.program, diags: r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`) };
}

function mainStmts(src: string): { stmts: Stmt[]; diags: string[] } {
  const { program, diags } = parsed(`fn main() {\n${src}\n}\n`);
  return { stmts: (program.items[0] as FnDecl).body?.stmts ?? [], diags };
}

describe("test blocks", () => {
  it("are kept apart from the items, in source order, with their attributes", () => {
    const { program, diags } = parsed('fn f() {}\n#[with_provider(Clock, Fake.new())]\ntest "first \\"one\\"" { assert(true); }\ntest "second" { }\n');
    expect(diags).toEqual([]);
    expect(program.items.map((i) => i.kind)).toEqual(["fn"]);
    // An item's span starts at its first attribute; the name is where the test is.
    expect(program.tests?.map((t) => [t.name, t.span.line, t.nameSpan.line, t.nameSpan.column, t.attrs.map((a) => a.name)])).toEqual([
      ['first "one"', 2, 3, 6, ["with_provider"]],
      ["second", 4, 4, 6, []],
    ]);
    expect(program.tests?.[0].body.stmts).toHaveLength(1);
  });

  it("leave `test` an ordinary word everywhere else", () => {
    const { program, diags } = parsed("fn test(test: i64) -> i64 { let t = test; test }\nfn main() { println(test(1)); }\n");
    expect(diags).toEqual([]);
    expect(program.tests).toBeUndefined();
  });

  it("take no visibility modifier", () => {
    expect(parsed('pub test "x" { }\n').diags).toEqual([`${C.BadItem} 1:1 a test case cannot have a visibility modifier: \`pub\` / \`private\` mean nothing for a test, which is not callable`]);
  });

  it("inside a function body are reported once and left out", () => {
    const { stmts, diags } = mainStmts('let a = 1;\ntest "inner" { assert(a == 1); }\nlet b = 2;');
    expect(diags).toEqual([`${C.TestNotTopLevel} 3:1 a \`test "name" { .. }\` block declares a test case at module level, not inside a function body; move it out, or call the assertion directly`]);
    expect(stmts.map((s) => s.kind)).toEqual(["let", "empty", "let"]);
  });
});

describe("attribute arguments", () => {
  it("nest in parentheses and brackets, each argument kept as its tokens", () => {
    const { program, diags } = parsed('#[cfg(not(test))]\n#[test(requires = [db.Users, db.Orders], timeout_seconds = 5)]\n#[repr(align(8))]\n#[must_use = "why"]\n#[karafmt::skip]\nfn f() {}\n');
    expect(diags).toEqual([]);
    expect((program.items[0] as FnDecl).attrs.map((a) => [a.name, a.args])).toEqual([
      ["cfg", ["not(test)"]],
      ["test", ["requires=[db.Users,db.Orders]", "timeout_seconds=5"]],
      ["repr", ["align(8)"]],
      ["must_use", ['"why"']],
      ["karafmt::skip", []],
    ]);
  });
});

describe("attributes before statements", () => {
  const loop = (s: Stmt) => (s as Stmt & { kind: "expr" }).expr as Expr & { kind: "for" | "while" | "loop"; attrs?: { name: string }[]; label?: string };

  it("stay on the loop they precede, labelled or not", () => {
    const { stmts, diags } = mainStmts("#[par_order_free]\nfor i in 0..3 { }\n#[par_unordered] #[allow(x)]\nouter: while true { break outer; }\n#[par_order_free] loop { break; }\nlet end = 0;");
    expect(diags).toEqual([]);
    expect(stmts.slice(0, 3).map((s) => [loop(s).kind, loop(s).label, loop(s).attrs?.map((a) => a.name)])).toEqual([
      ["for", undefined, ["par_order_free"]],
      ["while", "outer", ["par_unordered", "allow"]],
      ["loop", undefined, ["par_order_free"]],
    ]);
  });

  it("other than a lint level are reported on statements, and unknown ones on loops", () => {
    const { stmts, diags } = mainStmts("#[allow(unused)]\nlet a = 1;\n#[par_order_free]\nlet b = 2;\n#[inline]\nlet c = 3;\n#[bogus]\nfor i in 0..3 { }\nlet end = 0;");
    expect(stmts.map((s) => s.kind)).toEqual(["let", "let", "let", "expr", "let"]);
    expect(diags).toEqual([
      `${C.MisplacedAttribute} 4:1 \`#[par_order_free]\` must be followed by \`while\`, \`for\` or \`loop\``,
      `${C.MisplacedAttribute} 6:1 \`#[inline]\` cannot apply to a statement: only the lint levels \`#[allow]\`, \`#[warn]\`, \`#[deny]\` and \`#[expect]\` can`,
      `${C.MisplacedAttribute} 8:1 \`#[bogus]\` is not valid on a loop: only \`#[par_order_free]\` (or \`#[par_unordered]\`) and the lint levels are`,
    ]);
  });
});

describe("a keyword used as a name, then used again", () => {
  it("is reported as a keyword at each place", () => {
    expect(mainStmts("let group = 1;\nprintln(group);").diags).toEqual([
      `${C.Syntax} 2:5 \`group\` is a keyword and cannot be used as a name`,
      `${C.Syntax} 3:9 \`group\` is a keyword and cannot be used as a name`,
    ]);
  });
});
