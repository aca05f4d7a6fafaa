// `import` of the standard modules (karac's `std.*`), and of any module in a single-file program,
// where the standard ones are the only modules there are (imports of a several-file program's own
// modules are resolved in ../modules/resolve.ts). What the standard modules export is in the prelude
// already, so importing a name changes nothing, and `import std.collections.Map as Dict` makes
// `Dict` another name for the type (renameImportedTypes, run before items are collected). A path that names no module is karac's E0112 UnknownModule
// ("unknown module `x.y`", with the nearest module when one is close).

import type { ImportDecl, Program } from "../syntax/ast.js";
import type { DiagnosticBag } from "../diagnostics.js";
import { forEachSyntaxNode } from "../syntax/each-node.js";
import { Codes } from "./codes.js";

/**
 * The standard modules a program may import: the ones karac's book and standard library use.
 * Their items are not listed: an item of a known module is accepted, and a name the compiler
 * does not provide is reported where it is used.
 */
export const STD_MODULES: readonly string[] = [
  "std", "std.collections", "std.io", "std.fmt", "std.cmp", "std.option", "std.result", "std.string",
  "std.strings", "std.char", "std.num", "std.math", "std.iter", "std.sync", "std.atomic", "std.task",
  "std.concurrency", "std.channel", "std.mem", "std.time", "std.process", "std.env", "std.fs", "std.hash",
  "std.convert", "std.ops", "std.error", "std.prelude", "std.encoding", "std.json", "std.regex", "std.log",
  "std.tracing", "std.random", "std.testing", "std.net", "std.http", "std.tcp", "std.tls", "std.cli",
  "std.secret", "std.stats", "std.tensor", "std.dataframe",
];
const KNOWN = new Set(STD_MODULES);

export function checkImport(item: ImportDecl, diags: DiagnosticBag): void {
  const whole = item.path.join(".");
  // `import std.collections.{Map, Set}` / `.*` name the module; `import std.collections.Map` the
  // module and one item; `import std.collections` the module itself.
  const itemNamed = item.names.length === 0 && !KNOWN.has(whole);
  const modulePath = itemNamed ? item.path.slice(0, -1) : item.path;
  const module = modulePath.join(".");
  if (!KNOWN.has(module)) {
    const near = nearest(module);
    diags.error(Codes.UnknownModule, "resolve", `unknown module \`${module}\`${near ? `, did you mean \`${near}\`?` : ""}`, item.span);
    return;
  }
  if (item.alias === undefined) return;
  const target = itemNamed ? item.path[item.path.length - 1] : undefined;
  if (target === undefined) {
    diags.error(Codes.Unsupported, "resolve", "a module cannot be renamed; import the items it exports", item.span);
  } else if (/^[A-Z]/.test(target)) {
    // Another name for a type: renameImportedTypes has already written the type's own name at
    // every use, so nothing is left to do here.
  } else {
    diags.error(Codes.Unsupported, "resolve", `renaming \`${target}\` is not supported: only types can be imported under another name`, item.span);
  }
}

/**
 * `import std.collections.Map as Dict`: every use of `Dict` — in types (`Dict[String, i64]`),
 * static calls (`Dict.new()`), literals and patterns — is written as `Map` in the tree before
 * items are collected, so the other name behaves exactly like the type. Type names cannot be
 * bindings (they are of the Type class), so no local can be renamed by mistake. The tree is
 * changed in place; it returns how many uses were renamed.
 */
export function renameImportedTypes(program: Program): number {
  const renames = new Map<string, string>();
  for (const item of program.items) {
    if (item.kind !== "import" || item.alias === undefined || item.names.length !== 0) continue;
    const target = item.path[item.path.length - 1];
    if (/^[A-Z]/.test(target) && /^[A-Z]/.test(item.alias) && KNOWN.has(item.path.slice(0, -1).join("."))) renames.set(item.alias, target);
  }
  if (renames.size === 0) return 0;
  let count = 0;
  forEachSyntaxNode([program.items, program.tests], (o) => {
    if (o.kind === "ident" && typeof o.name === "string" && renames.has(o.name)) {
      o.name = renames.get(o.name);
      count++;
    }
    const path = o.path;
    if (o.kind !== "import" && Array.isArray(path) && typeof path[0] === "string" && renames.has(path[0])) {
      path[0] = renames.get(path[0]);
      count++;
    }
  });
  return count;
}

/** The known module closest to `wanted` by edit distance, when it is close enough to be a typo. */
function nearest(wanted: string): string | undefined {
  return nearestName(wanted, STD_MODULES);
}

/** The candidate closest to `wanted` by edit distance, when it is close enough to be a typo. */
export function nearestName(wanted: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(wanted.length / 3)) + 1;
  for (const m of candidates) {
    const d = editDistance(wanted, m);
    if (d < bestDistance) [best, bestDistance] = [m, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
