// Test companions, as karac has them: `util_test.kara` holds tests of `util.kara` and is part of
// the same module (it sees the module's items, `private` ones included, without importing them).
// Its `test "name" { .. }` blocks are tests, and so is each `fn test_*()` it declares (karac
// discovers test functions by that prefix, in companion files only). Companions are compiled only
// when tests are checked or run; a build of the program leaves them out, as `karac build` does.

import type { FnDecl, Item, Program, TestDecl } from "../syntax/ast.js";

const COMPANION = /_test\.kara$/;

/** `util_test.kara`, `geo/shapes_test.kara`: a file of tests for its production sibling. */
export function isTestCompanion(fileName: string): boolean {
  return COMPANION.test(fileName);
}

/** The file a companion's tests belong to: `geo/shapes_test.kara` → `geo/shapes.kara`. */
export function productionFileOf(companion: string): string {
  return companion.replace(COMPANION, ".kara");
}

/**
 * Moves a companion's test functions (`fn test_name()`: no parameters, no type parameters, no
 * result, a body) out of its items into its tests, after its test blocks, in source order. Other
 * functions, `test_*` ones with parameters included, stay items.
 */
export function companionTestFunctions(program: Program): void {
  const kept: Item[] = [];
  const tests: TestDecl[] = [];
  for (const item of program.items) {
    if (isTestFunction(item)) tests.push({ kind: "test", id: item.id, span: item.span, name: item.name.name, nameSpan: item.name.span, attrs: item.attrs, pub: false, body: item.body! });
    else kept.push(item);
  }
  if (tests.length === 0) return;
  program.items = kept;
  program.tests = [...(program.tests ?? []), ...tests].sort((a, b) => a.span.offset - b.span.offset);
}

function isTestFunction(item: Item): item is FnDecl {
  return item.kind === "fn" && item.name.name.startsWith("test_") && item.params.length === 0 && item.generics.length === 0 && !item.receiver && !item.ret && !!item.body;
}
