// Seed programs for mutation: the examples, the compiler's test corpus, the LeetCode-style
// programs and the benchmark programs (the larger, realistic ones).
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.name.endsWith(".kara")) out.push(p);
  }
  return out;
}

export interface Seed {
  path: string;
  source: string;
}

export async function loadSeeds(): Promise<Seed[]> {
  const dirs = ["examples", "compiler/tests/programs", "compiler/tests/leetcode", "bench/programs"];
  const files = (await Promise.all(dirs.map((d) => walk(ROOT + d)))).flat().sort();
  return Promise.all(files.map(async (f) => ({ path: f.slice(ROOT.length), source: await readFile(f, "utf8") })));
}
