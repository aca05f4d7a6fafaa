// Long functions split into parts (split-function.ts) print, return and panic exactly as they do
// whole. A low threshold makes programs of modest length split, so every shape below crosses
// part boundaries: shadowed lets, owned strings and vectors, `shared` values, early `return`,
// `?`, `defer`, loops with `break` / `continue`, matches and panics.

import { describe, expect, it } from "vitest";
import binaryen from "binaryen";
import { build, runWasm } from "./test/pipeline.js";

/** Names of the module's functions that are parts of a split function. */
function parts(wasm: Uint8Array): string[] {
  const m = binaryen.readBinary(wasm);
  try {
    const names: string[] = [];
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const name = binaryen.getFunctionInfo(m.getFunctionByIndex(i)).name;
      if (name.includes("$part")) names.push(name);
    }
    return names;
  } finally {
    m.dispose();
  }
}

/** V8 refuses to compile a function body larger than this many bytes. */
const ENGINE_BODY_LIMIT = 7_654_321;

/** Body sizes in bytes of the module's defined functions, by name (from the name section). */
function bodySizes(wasm: Uint8Array): Map<string, number> {
  let p = 8;
  const leb = (): number => {
    let r = 0;
    let shift = 0;
    let x: number;
    do {
      x = wasm[p++];
      r += (x & 0x7f) * 2 ** shift;
      shift += 7;
    } while (x & 0x80);
    return r;
  };
  const text = (): string => {
    const n = leb();
    p += n;
    return new TextDecoder().decode(wasm.subarray(p - n, p));
  };
  let imported = 0;
  const sizes: number[] = [];
  const names = new Map<number, string>();
  while (p < wasm.length) {
    const id = wasm[p++];
    const end = leb() + p;
    if (id === 2) {
      for (let i = leb(); i > 0; i--) {
        text();
        text();
        const kind = wasm[p++];
        if (kind === 0) {
          imported++;
          leb();
        } else if (kind === 2) {
          const flags = leb();
          leb();
          if (flags & 1) leb();
        } else if (kind === 3) p += 2;
        else leb(); // a table is not imported by these modules
      }
    } else if (id === 10) {
      for (let i = leb(); i > 0; i--) {
        const n = leb();
        sizes.push(n);
        p += n;
      }
    } else if (id === 0 && text() === "name") {
      while (p < end) {
        const sub = wasm[p++];
        const subEnd = leb() + p;
        if (sub === 1) for (let i = leb(); i > 0; i--) names.set(leb(), text());
        p = subEnd;
      }
    }
    p = end;
  }
  return new Map(sizes.map((n, i) => [names.get(imported + i) ?? `#${imported + i}`, n]));
}

/** Runs src whole and split at a low threshold; both runs must agree, and the split one must have parts. */
function same(src: string, minParts = 2): ReturnType<typeof runWasm> {
  const whole = build(src, { splitFunctionsAbove: Infinity });
  const split = build(src, { splitFunctionsAbove: 400 });
  expect(parts(whole)).toEqual([]);
  expect(parts(split).length).toBeGreaterThanOrEqual(minParts);
  const a = runWasm(whole);
  const b = runWasm(split);
  expect({ stdout: b.stdout, stderr: b.stderr, panic: b.panic, exitCode: b.exitCode }).toEqual({ stdout: a.stdout, stderr: a.stderr, panic: a.panic, exitCode: a.exitCode });
  return a;
}

/** `count` blocks of a long main, each built by `block(k)`. */
function longMain(prelude: string[], count: number, block: (k: number) => string[], epilogue: string[]): string {
  const lines = [...prelude];
  for (let k = 0; k < count; k++) lines.push(...block(k));
  lines.push(...epilogue);
  return lines.join("\n") + "\n";
}

const HELPERS = [
  "shared struct Node { val: i64 }",
  "fn mix(a: i64, b: i64) -> i64 { (a * 31 + b) % 1000003 }",
  "fn half(n: i64) -> Result[i64, String] { if n % 2 == 0 { Ok(n / 2) } else { Err(f\"{n} is odd\") } }",
  "",
];

describe("splitting long functions", () => {
  it("keeps shadowed lets, strings, vectors, shared values and loops across parts", () => {
    const src = longMain(
      [...HELPERS, "fn main() {", "    let mut v: Vec[i64] = Vec.new();", "    let mut names: Vec[String] = Vec.new();", "    let mut total = 0;", "    let keep = Node { val: 5 };", "    let x = 1;"],
      40,
      (k) => [
        `    let x = x + ${k};`,
        `    let s${k} = f"item {x}";`,
        `    let n${k} = Node { val: x };`,
        `    let alias${k} = n${k};`,
        `    total = total + mix(alias${k}.val, keep.val);`,
        `    v.push(total % 97);`,
        `    let mut i${k} = 0;`,
        `    while i${k} < 5 { i${k} = i${k} + 1; if i${k} == 2 { continue; } if i${k} == 4 { break; } total = total + i${k}; }`,
        k % 3 === 0 ? `    names.push(s${k});` : `    println(s${k});`,
        `    let m${k} = match total % 3 { 0 => "zero", 1 => "one", _ => "two" };`,
        k % 5 === 0 ? `    println(f"{m${k}} {v.len()} {names.len()}");` : `    total = total + ${k};`,
      ],
      ["    println(f\"{total} {x} {v.len()} {names[names.len() - 1]} {keep.val}\");", "}"],
    );
    const r = same(src);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("item ");
  });

  it("returns early, passes errors up with ? and runs defers from inside parts", () => {
    const body = (k: number) => [
      `    let h${k} = half(n + ${2 * k})?;`,
      `    acc = acc + h${k};`,
      `    if acc > limit { println(f"stop at ${k}: {acc}"); return Ok(acc); }`,
      `    let t${k} = f"{acc}-${k}";`,
      `    if t${k}.len() > 100 { return Err("too long"); }`,
    ];
    const src = longMain(
      [...HELPERS, "fn run(n: i64, limit: i64) -> Result[i64, String] {", "    defer { println(f\"leaving run({n}, {limit})\"); }", "    let mut acc = 0;"],
      40,
      body,
      [
        "    Ok(acc)",
        "}",
        "fn main() {",
        "    println(run(2, 1000000));",
        "    println(run(2, 300));",
        "    println(run(3, 1000000));",
        "    println(run(4, 50));",
        "}",
      ],
    );
    const r = same(src);
    expect(r.stdout).toContain("stop at");
    expect(r.stdout).toContain("is odd");
  });

  it("panics at the same place with the same message", () => {
    const src = longMain(
      [...HELPERS, "fn main() {", "    let mut v: Vec[i64] = Vec.new();", "    let mut total = 0;"],
      40,
      (k) => [`    let a${k} = mix(${k}, total);`, `    v.push(a${k});`, `    total = total + a${k} % 10;`, k === 33 ? "    println(v[v.len() + 1]);" : `    println(f"${k} {total}");`],
      ["    println(total);", "}"],
    );
    const r = same(src);
    expect(r.panic).toBeDefined();
    expect(r.stdout).toContain("32 ");
  });

  it("runs a main whose body would be larger than the engine accepts", () => {
    // Array literals lower to the most code per statement the front end checks quickly. Whole,
    // this main's body (its locals shared, as a function of that many locals has them) is about
    // 8.3 MB; its parts, whose own locals are not shared, add up to about 10 % more.
    const blocks = 13_500;
    let t = 1n;
    const expected: string[] = [];
    const src = longMain(
      ["fn main() {", "    let mut t: i64 = 1;"],
      blocks,
      (k) => {
        t += BigInt(k % 40) + BigInt(k);
        if (k % 1000 === 999) expected.push(`${k} ${t}`);
        const elems = Array.from({ length: 40 }, (_, i) => String(i + k)).join(", ");
        return [`    let a${k} = [${elems}];`, `    t = t + a${k}[${k % 40}];`, ...(k % 1000 === 999 ? [`    println(f"${k} {t}");`] : [])];
      },
      ["    println(t);", "}"],
    );
    expected.push(String(t));
    const wasm = build(src);
    const sizes = bodySizes(wasm);
    const mainName = [...sizes.keys()].find((n) => /main/.test(n) && !n.includes("$") && !n.startsWith("__"))!;
    const ofMain = [...sizes].filter(([n]) => n === mainName || n.startsWith(`${mainName}$part`));
    expect(ofMain.length).toBeGreaterThan(10);
    expect(ofMain.reduce((a, [, n]) => a + n, 0)).toBeGreaterThan(ENGINE_BODY_LIMIT);
    expect(Math.max(...sizes.values())).toBeLessThan(ENGINE_BODY_LIMIT / 10);
    expect(runWasm(wasm)).toMatchObject({ stdout: expected.join("\n") + "\n", exitCode: 0 });
  }, 180_000);

  it("leaves a function below the threshold whole", () => {
    const src = longMain([...HELPERS, "fn main() {", "    let mut t = 0;"], 3, (k) => [`    t = t + mix(${k}, t);`], ["    println(t);", "}"]);
    expect(parts(build(src))).toEqual([]);
  });
});
