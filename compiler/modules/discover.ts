// Which files a program's imports may name, so a host (the CLI) can load a root file's sibling
// modules without listing them: `import util.{f}` may be `util.kara`, `import geo.shapes` may be
// `geo/shapes.kara` (a module) or `geo.kara` (the module of item `shapes`). Files that do not
// exist are simply not loaded; resolve.ts reports the imports left unresolved.

import { parse } from "../syntax/parser.js";

/** Candidate file names (relative, `/`-separated) for the imports of `source` that are not `std.*`. */
export function importedFileCandidates(source: string): string[] {
  const out = new Set<string>();
  // Most files import nothing of their own program: they are not parsed a second time.
  if (!/^[ \t]*(pub[ \t]+)?import[ \t]/m.test(source)) return [];
  for (const item of parse(source, "module.kara").program.items) {
    if (item.kind !== "import" || item.path.length === 0 || item.path[0] === "std") continue;
    out.add(item.path.join("/") + ".kara");
    if (item.names.length === 0 && item.path.length > 1) out.add(item.path.slice(0, -1).join("/") + ".kara");
  }
  return [...out];
}
