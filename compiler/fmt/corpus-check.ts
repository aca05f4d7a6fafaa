// Shared by the corpus test: formats one program and reports how the result relates to
// the input (idempotency, same syntax tree, same diagnostics).

import { parse } from "../syntax/parser.js";
import type { Item, Program, ImportDecl } from "../syntax/ast.js";
import { formatSource } from "./index.js";
import { compareImports } from "./imports.js";

// The tree without positions: what the program means at the syntax level.
export function shape(program: Program): string {
  return JSON.stringify(sortImportRuns(program.items), (k, v) => (k === "span" || k === "id" ? undefined : typeof v === "bigint" ? `${v}n` : v));
}

// Formatting sorts runs of consecutive imports; compare trees modulo that.
function sortImportRuns(items: Item[]): Item[] {
  const out: Item[] = [];
  let run: ImportDecl[] = [];
  const flush = (): void => {
    out.push(...[...run].sort(compareImports));
    run = [];
  };
  for (const it of items) {
    if (it.kind === "import") run.push(it);
    else {
      flush();
      out.push(it);
    }
  }
  flush();
  return out;
}

export type CorpusOutcome =
  | { kind: "rejected"; parseErrors: number } // does not parse: left alone
  | { kind: "formatted"; unchanged: boolean; idempotent: boolean; sameTree: boolean; output: string };

export function checkProgram(source: string, fileName: string): CorpusOutcome {
  const r = formatSource(source, fileName);
  if (!r.ok) {
    return { kind: "rejected", parseErrors: parse(source, fileName).diagnostics.filter((d) => d.severity === "error").length };
  }
  const again = formatSource(r.text, fileName);
  const idempotent = again.ok && again.text === r.text;
  const sameTree = shape(parse(source, fileName).program) === shape(parse(r.text, fileName).program);
  return { kind: "formatted", unchanged: !r.changed, idempotent, sameTree, output: r.text };
}
