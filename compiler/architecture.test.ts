// Layering rules that keep the compiler's folders easy to split and read: inside a folder, modules
// must not import each other in a cycle (type-only imports count too — a cycle of types is still a
// cycle of concepts). The graph is read from source text, so this needs no bundler or extra tool.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const compilerDir = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

const IMPORT = /^\s*(?:import|export)\s[^;]*?\sfrom\s+"(\.{1,2}\/[^"]+)"|\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/gm;

/** Relative imports of each file under `dir` that stay under `dir`, as absolute paths. */
function importGraph(dir: string): Map<string, string[]> {
  const files = sourceFiles(dir);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const deps = new Set<string>();
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2]).replace(/\.js$/, ".ts");
      const target = resolve(dirname(file), spec);
      if (known.has(target) && target !== file) deps.add(target);
    }
    graph.set(file, [...deps]);
  }
  return graph;
}

/** One cycle per strongly connected component with more than one module (Tarjan). */
function findCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  // Iterative so a long chain of modules cannot overflow the stack.
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const deps = graph.get(top.node) ?? [];
      if (top.i < deps.length) {
        const d = deps[top.i++];
        if (!index.has(d)) {
          index.set(d, next);
          low.set(d, next++);
          stack.push(d);
          onStack.add(d);
          work.push({ node: d, i: 0 });
        } else if (onStack.has(d)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(d)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const scc: string[] = [];
        let x: string;
        do {
          x = stack.pop()!;
          onStack.delete(x);
          scc.push(x);
        } while (x !== top.node);
        if (scc.length > 1) cycles.push(scc.sort());
      }
    }
  }
  return cycles;
}

const show = (cycles: string[][]): string[][] => cycles.map((c) => c.map((f) => relative(compilerDir, f)));

describe("import graph", () => {
  it("finds a cycle and a clean chain in a hand-made graph", () => {
    const g = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(findCycles(g)).toEqual([["a", "b", "c"]]);
    expect(findCycles(new Map([["a", ["b"]], ["b", []]]))).toEqual([]);
  });

  it("has no import cycle inside compiler/check", () => {
    expect(show(findCycles(importGraph(join(compilerDir, "check"))))).toEqual([]);
  });

  it("has no import cycle inside compiler/tir", () => {
    expect(show(findCycles(importGraph(join(compilerDir, "tir"))))).toEqual([]);
  });

  it("has no import cycle inside compiler/codegen", () => {
    expect(show(findCycles(importGraph(join(compilerDir, "codegen"))))).toEqual([]);
  });
});
