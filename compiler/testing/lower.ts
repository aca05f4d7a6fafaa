// Test blocks as functions. The parser keeps `test "name" { body }` blocks apart from the items
// (Program.tests), so nothing else in the compiler sees them; when they are to be checked or run,
// each becomes a function without parameters whose body is the block, added after the items,
// as karac lowers its test cases before name resolution. The functions are named `__test_N`
// (N = the block's index in source order), with more leading underscores when the program
// itself declares a name with that prefix.

import type { TestInfo } from "../api.js";
import type { Attribute, Block, FnDecl, Program, Span, TestDecl } from "../syntax/ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { forEachSyntaxNode } from "../syntax/each-node.js";
import { bodyWithFixtures, testFixtures } from "./fixtures.js";

export type { TestInfo } from "../api.js";

export interface TestFunction extends TestInfo {
  /** The function the block became: `__test_N`. */
  fnName: string;
  span: Span;
}

function testPrefix(program: Program): string {
  let prefix = "__test_";
  const taken = (p: string) => program.items.some((it) => "name" in it && typeof it.name === "object" && it.name.name.startsWith(p));
  while (taken(prefix)) prefix = "_" + prefix;
  return prefix;
}

export function listTests(program: Program): TestInfo[] {
  return (program.tests ?? []).map((t) => ({ name: t.name, line: t.nameSpan.line, column: t.nameSpan.column, ...testOptions(t.attrs) }));
}

/**
 * What `#[test(..)]` arguments ask of the runner, read as karac reads them: the first positive
 * integer `timeout_seconds`, and the dotted paths listed in `requires = [..]`. Other arguments
 * and shapes are ignored.
 */
function testOptions(attrs: Attribute[]): Pick<TestInfo, "timeoutSeconds" | "requires"> {
  const out: Pick<TestInfo, "timeoutSeconds" | "requires"> = {};
  for (const a of attrs) {
    if (a.name !== "test") continue;
    for (const arg of a.args) {
      const timeout = /^timeout_seconds[=:](\d+)$/.exec(arg);
      if (timeout && out.timeoutSeconds === undefined && Number(timeout[1]) > 0) out.timeoutSeconds = Number(timeout[1]);
      const requires = /^requires[=:]\[(.*)\]$/.exec(arg);
      if (requires) {
        const paths = requires[1].split(",").filter((p) => /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(p));
        out.requires = [...(out.requires ?? []), ...paths];
      }
    }
  }
  return out;
}

/**
 * The program with one function per test block after its items (the input is not changed), and
 * the problems with the blocks' `#[with_provider(..)]` fixtures (testing/fixtures.ts).
 */
export function withTestFunctions(program: Program): { program: Program; tests: TestFunction[]; diagnostics: Diagnostic[] } {
  const decls = program.tests ?? [];
  if (decls.length === 0) return { program, tests: [], diagnostics: [] };
  let nextId = maxNodeId(program) + 1;
  const freshId = () => nextId++;
  const prefix = testPrefix(program);
  const tests: TestFunction[] = [];
  const diagnostics: Diagnostic[] = [];
  const fns: FnDecl[] = decls.map((t: TestDecl, index) => {
    const fnName = `${prefix}${index}`;
    tests.push({ name: t.name, line: t.nameSpan.line, column: t.nameSpan.column, ...testOptions(t.attrs), fnName, span: t.span });
    const fixtures = testFixtures(t, freshId);
    diagnostics.push(...fixtures.diagnostics);
    const body: Block = bodyWithFixtures(t.body, fixtures.fixtures, freshId);
    return {
      kind: "fn",
      id: nextId++,
      span: t.span,
      name: { id: nextId++, span: t.nameSpan, name: fnName },
      pub: false,
      attrs: t.attrs,
      generics: [],
      params: [],
      body,
    };
  });
  return { program: { ...program, items: [...program.items, ...fns] }, tests, diagnostics };
}

/** The largest node id in the tree, so added nodes get ids no parsed node has. */
function maxNodeId(program: Program): number {
  let max = 0;
  forEachSyntaxNode([program.items, program.tests], (node) => {
    if (typeof node.id === "number" && node.id > max) max = node.id;
  });
  return max;
}
