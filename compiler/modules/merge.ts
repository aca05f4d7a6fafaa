// A program of several files becomes one syntax tree: each file is parsed on its own, its node ids
// and offsets are moved past the previous files' (layout.ts), its imports of the program's own
// modules are resolved (resolve.ts), and the items of every file are put together. The phases after
// this one see a single program, as karac's code generator sees the modules' items in one list.

import type { Diagnostic } from "../diagnostics.js";
import { DiagnosticBag } from "../diagnostics.js";
import type { Program, TestDecl } from "../syntax/ast.js";
import { parse } from "../syntax/parser.js";
import { forEachSyntaxNode } from "../syntax/each-node.js";
import { SourceLayout, type SourceFile } from "./layout.js";
import { moduleFileOf, resolveModules, type ModuleFile } from "./resolve.js";
import { companionTestFunctions, isTestCompanion, productionFileOf } from "./companions.js";

export interface MergedProgram {
  program: Program;
  /** Parse and module-resolution diagnostics, with merged offsets (layout.localDiagnostic turns them into the file's). */
  diagnostics: Diagnostic[];
  layout: SourceLayout;
}

/**
 * Parses and merges `files`; the first is the program's root module (the one with `fn main`), and
 * every other file's module path is its name without `.kara`, directories as dotted segments.
 */
export function mergeFiles(files: readonly SourceFile[]): MergedProgram {
  const layout = new SourceLayout(files);
  const diagnostics: Diagnostic[] = [];
  const modules: ModuleFile[] = [];
  let idBase = 0;
  const rootName = layout.files[0]?.name;
  for (const [index, placed] of layout.files.entries()) {
    const parsed = parse(placed.text, placed.name);
    idBase = moveTree(parsed.program, idBase, placed.base);
    for (const d of parsed.diagnostics) diagnostics.push(movedDiagnostic(d, placed.base));
    const companion = index > 0 && isTestCompanion(placed.name);
    if (companion) companionTestFunctions(parsed.program);
    const production = companion ? productionFileOf(placed.name) : undefined;
    modules.push(moduleFileOf(placed, parsed.program, index === 0 || production === rootName, production));
  }
  let nextId = idBase;
  const bag = new DiagnosticBag();
  const items = resolveModules(modules, bag, () => nextId++);
  diagnostics.push(...bag.items);
  const tests: TestDecl[] = modules.flatMap((m) => m.program.tests ?? []);
  // Each file sits at its base offset, one past the previous file's end (layout.ts).
  const source = layout.files.map((f) => f.text).join("\n");
  const program: Program = { file: files[0]?.name ?? "main.kara", source, items, tests };
  return { program, diagnostics, layout };
}

/**
 * Adds `idBase` to every node id and `offsetBase` to every span offset under `program` (each span
 * object once, however many nodes share it); returns the next free id.
 */
function moveTree(program: Program, idBase: number, offsetBase: number): number {
  let maxId = idBase;
  const moved = new Set<object>();
  const moveSpan = (s: unknown): void => {
    if (s === null || typeof s !== "object" || moved.has(s)) return;
    const span = s as { offset?: unknown };
    if (typeof span.offset !== "number") return;
    moved.add(s);
    span.offset += offsetBase;
  };
  forEachSyntaxNode([program.items, program.tests ?? []], (node) => {
    if (typeof node.id === "number") {
      node.id += idBase;
      maxId = Math.max(maxId, node.id);
    }
    if ("span" in node) moveSpan(node.span);
    // Spans stored under other keys (`nameSpan`, field spans) are reached as objects of their own.
    if (isSpan(node)) moveSpan(node);
  });
  return maxId + 1;
}

function isSpan(o: Record<string, unknown>): boolean {
  return typeof o.offset === "number" && typeof o.length === "number" && typeof o.line === "number" && typeof o.column === "number" && !("kind" in o) && !("id" in o);
}

function movedDiagnostic(d: Diagnostic, base: number): Diagnostic {
  const out: Diagnostic = { ...d, span: { ...d.span, offset: d.span.offset + base } };
  if (d.fixes) out.fixes = d.fixes.map((f) => ({ ...f, span: { ...f.span, offset: f.span.offset + base } }));
  return out;
}
