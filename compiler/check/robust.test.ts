import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "../syntax/parser.js";
import { check } from "./index.js";

const dir = new URL("../../examples/chapter/", import.meta.url);
const sources = readdirSync(dir)
  .filter((f) => f.endsWith(".kara"))
  .map((f) => readFileSync(new URL(f, dir), "utf8"));

const extra = [
  "struct P { x: i64 }\nimpl P { fn get(ref self) -> i64 { self.x } }\nfn main() { let p = P { x: 1 }; let v = [p.get(), 2]; for x in v { println(f\"{x:>4}\"); } }",
  "enum E { A, B(i64) }\nfn main() { let e = E.B(3); match e { E.A => println(0), B(n) => println(n) } }",
  "fn main() { let mut c = 0; let f = |k: i64| { c = c + k; }; f(1); let t = (1, \"a\"); let (a, b) = t; println(a); println(b); }",
  "par struct C { n: Atomic[i64] }\nfn main() { let c = C { n: Atomic.new(0) }; par { c.n.fetch_add(1, MemoryOrdering.Relaxed); let z = 2; } println(z); }",
];

// Deterministic PRNG so a failure reproduces.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// The pipeline only checks programs that parsed cleanly, so that is the input space here.
let checked = 0;
function mustNotCrash(src: string): void {
  const p = parse(src, "fuzz.kara");
  if (p.diagnostics.some((d) => d.severity === "error")) return;
  checked++;
  const r = check(p.program);
  const internal = r.diagnostics.filter((d) => d.code === "E9999");
  if (internal.length) throw new Error(`internal error on:\n${src}\n${internal[0].message}\n${(internal[0].notes ?? []).join("\n")}`);
  if (r.program) expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  else expect(r.diagnostics.length).toBeGreaterThan(0);
}

describe("the checker never throws", () => {
  it("on every prefix of real programs", () => {
    for (const src of [...sources, ...extra]) {
      for (let i = 0; i <= src.length; i += 3) mustNotCrash(src.slice(0, i));
    }
  });

  it("on random deletions and duplications", () => {
    const next = rng(12345);
    for (const src of [...sources, ...extra]) {
      for (let n = 0; n < 150; n++) {
        let s = src;
        const edits = 1 + Math.floor(next() * 3);
        for (let k = 0; k < edits; k++) {
          const at = Math.floor(next() * s.length);
          const len = 1 + Math.floor(next() * 6);
          s = next() < 0.5 ? s.slice(0, at) + s.slice(at + len) : s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
        }
        mustNotCrash(s);
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
