// karac prints imports sorted by path. Each run of consecutive imports is sorted here
// (by path, then the first imported name), as long as no comment sits inside the run —
// moving a declaration must not separate it from a comment about it.

import type { ImportDecl, Program } from "../syntax/ast.js";
import { isComment, type FmtToken } from "./tokens.js";

function sortKey(d: ImportDecl): string[] {
  return d.names.length > 0 ? [...d.path, d.names[0]] : d.path;
}

export function compareImports(a: ImportDecl, b: ImportDecl): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  }
  return ka.length - kb.length;
}

// The source with each sortable run of imports rewritten in sorted order, one per line;
// the same string when nothing moves.
export function sortImports(source: string, program: Program, tokens: FmtToken[]): string {
  const runs: ImportDecl[][] = [];
  let run: ImportDecl[] = [];
  for (const item of program.items) {
    if (item.kind === "import") run.push(item);
    else {
      if (run.length > 1) runs.push(run);
      run = [];
    }
  }
  if (run.length > 1) runs.push(run);

  let out = source;
  // Right to left, so earlier offsets stay valid.
  for (const r of runs.reverse()) {
    const from = r[0].span.offset;
    const to = r[r.length - 1].span.offset + r[r.length - 1].span.length;
    if (tokens.some((t) => isComment(t) && t.offset >= from && t.offset < to)) continue;
    const sorted = [...r].sort(compareImports);
    if (sorted.every((d, i) => d === r[i])) continue;
    const text = sorted.map((d) => source.slice(d.span.offset, d.span.offset + d.span.length)).join("\n");
    out = out.slice(0, from) + text + out.slice(to);
  }
  return out;
}
