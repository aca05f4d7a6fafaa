// Seed programs for mutation: the examples and the compiler's test corpus.
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
  const files = [...(await walk(ROOT + "examples")), ...(await walk(ROOT + "compiler/tests/programs"))].sort();
  return Promise.all(files.map(async (f) => ({ path: f.slice(ROOT.length), source: await readFile(f, "utf8") })));
}
