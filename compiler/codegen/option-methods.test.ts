// Option/Result combinators (lowered to matches by the checker) free the payloads they do not
// pass on: a hundred thousand String payloads go through each in a loop on a 4 MiB memory.

import { describe, expect, it } from "vitest";
import { RT } from "./runtime/memory.js";
import { run } from "./test/pipeline.js";

const N = 100_000;

const prelude = `fn name(n: i64) -> Option[String] { if n % 3 != 0 { Some(f"name number {n}") } else { None } }
fn res(n: i64) -> Result[String, String] { if n % 2 == 0 { Ok(f"ok value {n}") } else { Err(f"err value {n}") } }
`;

function loop(expr: string): { stdout: string; exitCode: number; heapTop: number } {
  const src = `${prelude}fn main() {\n    let mut t = 0;\n    for i in 0..${N} { t += ${expr}; }\n    println(t);\n}\n`;
  const r = run(src, { pages: 64 });
  return { stdout: r.stdout, exitCode: r.exitCode, heapTop: new Int32Array(r.memory.buffer)[RT.HEAP_TOP >>> 2] };
}

const nameLen = (i: number): number => `name number ${i}`.length;
const resLen = (i: number): number => (i % 2 === 0 ? `ok value ${i}` : `err value ${i}`).length;

function sum(f: (i: number) => number): string {
  let t = 0;
  for (let i = 0; i < N; i++) t += f(i);
  return `${t}\n`;
}

const cases: [string, (i: number) => number][] = [
  ["name(i).filter(|s| s.len() > 14).map_or(0, |s| s.len())", (i) => (i % 3 !== 0 && nameLen(i) > 14 ? nameLen(i) : 0)],
  ['name(i).or(Some("fallback")).unwrap().len()', (i) => (i % 3 !== 0 ? nameLen(i) : 8)],
  ['name(i).ok_or("missing").is_ok().to_string().len()', (i) => (i % 3 !== 0 ? 4 : 5)],
  ["res(i).ok().map_or(1, |s| s.len())", (i) => (i % 2 === 0 ? resLen(i) : 1)],
  ["res(i).err().map_or_else(|| 1, |s| s.len())", (i) => (i % 2 === 1 ? resLen(i) : 1)],
  ['res(i).unwrap_or("x".to_string()).len()', (i) => (i % 2 === 0 ? resLen(i) : 1)],
  ['name(i).ok_or("missing").unwrap_or("dflt".to_string()).len()', (i) => (i % 3 !== 0 ? nameLen(i) : 4)],
  ['res(i).or_else(|e| Err(f"{e}!")).map_or_else(|e| e.len(), |s| s.len())', (i) => resLen(i) + (i % 2)],
];

describe("Option/Result combinators free unused payloads", () => {
  for (const [expr, f] of cases) {
    it(expr, () => {
      const r = loop(expr);
      expect(r.stdout).toBe(sum(f));
      expect(r.exitCode).toBe(0);
      expect(r.heapTop).toBeLessThan(64 * 1024);
    });
  }
});
