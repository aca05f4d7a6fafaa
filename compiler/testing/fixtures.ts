// `#[with_provider(R, ctor)]` on a test block, as karac's test runner has it: each attribute binds
// provider `ctor` to resource R for the whole test, the first attribute outermost; every
// constructor is evaluated before the body starts. The test's body becomes
// `providers { R1 => ctor1, R2 => ctor2 } in { body }`, so the checker, the effect phase and
// code generation see an ordinary provider scope (check/providers.ts).
//
// Attribute arguments reach us as their tokens joined without spaces (syntax/grammar.ts
// attrArgs), so a constructor is re-parsed from that text; its nodes get the attribute's span.

import { SyntaxCodes } from "../syntax/codes.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Attribute, Block, Expr, Span, TestDecl } from "../syntax/ast.js";
import { forEachSyntaxNode } from "../syntax/each-node.js";
import { parse } from "../syntax/parser.js";

const RESOURCE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Fixture {
  resource: string;
  constructor: Expr;
  span: Span;
}

/** The test's `#[with_provider(..)]` fixtures in source order, and the problems with malformed ones. */
export function testFixtures(t: TestDecl, nextId: () => number): { fixtures: Fixture[]; diagnostics: Diagnostic[] } {
  const fixtures: Fixture[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const a of t.attrs) {
    if (a.name !== "with_provider") continue;
    const problem = (message: string): void => {
      diagnostics.push({ code: SyntaxCodes.Syntax, severity: "error", phase: "parse", message, span: a.span });
    };
    if (a.args.length !== 2 || !RESOURCE_NAME.test(a.args[0])) {
      problem("`#[with_provider(..)]` takes a resource and the expression that constructs its provider: `#[with_provider(Clock, FakeClock { t: 0 })]`");
      continue;
    }
    const constructor = parseConstructor(a, nextId);
    if (!constructor) {
      problem(`\`${a.args[1]}\` is not an expression that can construct a provider for '${a.args[0]}'`);
      continue;
    }
    fixtures.push({ resource: a.args[0], constructor, span: a.span });
  }
  return { fixtures, diagnostics };
}

/** The test body inside a provider scope binding every fixture (the body itself when there are none). */
export function bodyWithFixtures(body: Block, fixtures: Fixture[], nextId: () => number): Block {
  if (fixtures.length === 0) return body;
  const span = fixtures[0].span;
  const node = <T extends object>(n: T): T & { id: number; span: Span } => ({ id: nextId(), span, ...n });
  const callee = node({
    kind: "index" as const,
    object: node({ kind: "ident" as const, name: "$providers" }),
    indices: fixtures.map((f) => node({ kind: "ident" as const, name: f.resource }) as Expr),
  });
  const closure = node({ kind: "closure" as const, params: [], body: body as Expr });
  const args = [...fixtures.map((f) => node({ value: f.constructor, mutMarker: false })), node({ value: closure as Expr, mutMarker: false })];
  const scope = node({ kind: "call" as const, callee: callee as Expr, args }) as Expr;
  return { kind: "block", id: nextId(), span: body.span, stmts: [], tail: scope };
}

function parseConstructor(a: Attribute, nextId: () => number): Expr | undefined {
  const parsed = parse(`fn f() {\n${a.args[1]}\n}`, "");
  if (parsed.diagnostics.some((d) => d.severity === "error")) return undefined;
  const item = parsed.program.items[0];
  const block = item?.kind === "fn" ? item.body : undefined;
  const expr = block && block.stmts.length === 0 ? block.tail : undefined;
  if (!expr) return undefined;
  // Fresh ids after the program's, and the attribute's place in the file for every diagnostic.
  forEachSyntaxNode(expr, (n) => {
    if (typeof n.id === "number") n.id = nextId();
    if (n.span && typeof n.span === "object") n.span = a.span;
  });
  return expr;
}
