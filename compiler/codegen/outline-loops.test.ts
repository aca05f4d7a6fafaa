// Outlined inner loops (outline-loops.ts) behave exactly like the loops left in place. Every
// program is built twice, with and without outlining, and both runs must print the same output,
// panic the same way and exit with the same status; the expected output is checked too, and so
// is the number of loops actually outlined, so a program that stops being outlined fails here.

import { afterAll, describe, expect, it } from "vitest";
import { SITE_TABLE_SECTION, type SiteTable } from "../abi.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import { build, compileSource, runWasm } from "./test/pipeline.js";

const OUTLINED = /\(func \$[^\s]*\$loop\d+/g;

function outlinedCount(src: string, optimize = 0): number {
  return (compileSource(src, { emitText: true, optimize }).wat!.match(OUTLINED) ?? []).length;
}

/** Runs src with and without outlining and returns the (identical) outcome. */
function same(src: string, optimize = 0) {
  const outlined = runWasm(build(src, { optimize }));
  const inPlace = runWasm(build(src, { optimize, outlineLoops: false }));
  const shape = (r: typeof outlined) => ({ stdout: r.stdout, stderr: r.stderr, panic: r.panic, exitCode: r.exitCode });
  expect(shape(outlined)).toEqual(shape(inPlace));
  return outlined;
}

describe("outlined inner loops", () => {
  it("inner loops with break and continue, writing several outer locals", () => {
    const src = `fn main() {
    let mut total = 0;
    let mut evens = 0;
    let mut last = -1;
    for i in 0..20 {
        let mut j = 0;
        while j < 50 {
            j = j + 1;
            if j % 2 == 0 { evens = evens + 1; continue; }
            if j > i * 3 { break; }
            total = total + i * j;
            last = j;
        }
    }
    println(total);
    println(evens);
    println(last);
}`;
    expect(outlinedCount(src)).toBe(1);
    const r = same(src);
    let total = 0, evens = 0, last = -1;
    for (let i = 0; i < 20; i++) {
      for (let j = 1; j <= 50; j++) {
        if (j % 2 === 0) { evens++; continue; }
        if (j > i * 3) break;
        total += i * j;
        last = j;
      }
    }
    expect(r.stdout).toBe(`${total}\n${evens}\n${last}\n`);
    expect(r.exitCode).toBe(0);
  });

  it("an outlined loop's statements keep their source lines in the text form", () => {
    const src = `fn main() {
    let mut total = 0;
    for i in 0..300 {
        for j in 0..300 {
            total = (total + i * j) % 1000003;
        }
    }
    println(total);
}`;
    const wat = compileSource(src, { emitText: true }).wat!;
    const start = wat.search(OUTLINED);
    expect(start).toBeGreaterThan(0);
    const outlinedFn = wat.slice(start, wat.indexOf("\n (func ", start + 1));
    // The inner loop's one statement is line 5; every annotated line in the function is a line of the loop.
    const lines = [...outlinedFn.matchAll(/;;@ [^:]*:(\d+):/g)].map((x) => Number(x[1]));
    expect(lines).toContain(5);
    for (const line of lines) expect([3, 4, 5]).toContain(line);
  });

  it("labelled break and continue of the outer loop and return from inside the inner loop", () => {
    const src = `fn first_pair(limit: i64) -> i64 {
    for a in 1..limit {
        for b in 1..limit {
            if a * b == 42 and a > b { return a * 100 + b; }
        }
    }
    -1
}
fn main() {
    let mut hits = 0;
    let mut seen = 0;
    outer: for a in 1..40 {
        for b in 1..40 {
            seen = seen + 1;
            if a * b == 36 { hits = hits + 1; continue outer; }
            if a + b > 60 { break outer; }
        }
    }
    println(hits);
    println(seen);
    println(first_pair(50));
    println(first_pair(3));
}`;
    expect(outlinedCount(src)).toBe(2);
    const r = same(src);
    let hits = 0, seen = 0;
    outer: for (let a = 1; a < 40; a++) {
      for (let b = 1; b < 40; b++) {
        seen++;
        if (a * b === 36) { hits++; continue outer; }
        if (a + b > 60) break outer;
      }
    }
    expect(hits).toBeGreaterThan(0);
    expect(r.stdout).toBe(`${hits}\n${seen}\n706\n-1\n`);
  });

  it("a panic inside the inner loop names the source function and ends the run", () => {
    const src = `fn main() {
    let v: Vec[i64] = [1, 2, 3, 4];
    let mut sum = 0;
    for i in 0..4 {
        for j in 0..3 {
            sum = sum + v[i + j];
        }
        println(sum);
    }
}`;
    expect(outlinedCount(src)).toBe(1);
    const r = same(src);
    expect(r.stdout).toMatch(/^6\n15\npanic at main\.kara:6:\d+ in main: index 4 out of bounds \(len 4\)/);
    expect(r.exitCode).toBe(1);
  });

  it("three nested loops: the second loop is outlined with the third inside it", () => {
    const src = `fn main() {
    let mut count = 0;
    let mut cells: Vec[i64] = Vec.filled(64, 0);
    for a in 0..4 {
        for b in 0..4 {
            let mut c = 0;
            while c < 4 {
                cells[a * 16 + b * 4 + c] = a * b + c;
                count = count + 1;
                c = c + 1;
            }
        }
    }
    let mut sum = 0;
    for x in cells { sum = sum + x; }
    println(f"{count} {sum}");
}`;
    expect(outlinedCount(src)).toBe(1);
    const r = same(src);
    let sum = 0;
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) for (let c = 0; c < 4; c++) sum += a * b + c;
    expect(r.stdout).toBe(`64 ${sum}\n`);
  });

  it("owned values made and dropped inside the inner loop, a mut ref to an outer local and a loop value", () => {
    const src = `fn bump(x: mut ref i64, by: i64) { x = x + by; }
fn main() {
    let mut acc = 0;
    let mut words = String.new();
    for i in 0..5 {
        for j in 0..i {
            let s = f"{i}{j}";
            if s.len() == 2 { bump(mut acc, j + 1); }
            words.push_str(s);
        }
        let found = loop {
            let mut k = i;
            while k > 0 { k = k - 1; if k * k == i { break; } }
            break k;
        };
        acc = acc + found;
    }
    println(acc);
    println(words);
}`;
    // The `for j` loop, and the `while` inside the value-carrying `loop` (which itself stays: it is not a statement).
    expect(outlinedCount(src)).toBe(2);
    const r = same(src);
    // acc: the bumps add 1 + 3 + 6 + 10, and the only exact square root found is 2 (for i = 4).
    expect(r.stdout).toBe("22\n10202130313240414243\n");
  });

  it("loops inside par branches, including a branch cancelled while in its inner loop", () => {
    const src = `fn check(n: i64) -> Result[i64, String] {
    if n > 3 { Err(f"{n} is too many") } else { Ok(n) }
}
fn grid(n: i64) -> i64 {
    let mut s = 0;
    for i in 0..n { for j in 0..n { s = s + i * j; } }
    s
}
fn main() {
    let started: Atomic[i64] = Atomic.new(0);
    let cleaned: Atomic[i64] = Atomic.new(0);
    let finished: Atomic[i64] = Atomic.new(0);
    let (a, b) = par { let p = grid(30); let q = grid(40); (p, q) };
    println(f"{a} {b}");
    let result: Result[i64, String] = par {
        let c: Result[i64, String] = check(5);
        {
            let _ = started.fetch_add(1, MemoryOrdering.SeqCst);
            defer { let _ = cleaned.fetch_add(1, MemoryOrdering.SeqCst); }
            let mut x = 1;
            let mut k = 0;
            while k < 1000000000000 {
                let mut m = 0;
                while m < 1000 { x = (x * 7 + m) % 1000003; m = m + 1; }
                k = k + 1;
            }
            let _ = finished.fetch_add(1, MemoryOrdering.SeqCst);
        };
        Ok(0)
    };
    println(result);
    println(started.load(MemoryOrdering.SeqCst) == cleaned.load(MemoryOrdering.SeqCst));
    println(finished.load(MemoryOrdering.SeqCst));
}`;
    expect(outlinedCount(src)).toBeGreaterThanOrEqual(2);
    const r = same(src);
    let s30 = 0, s40 = 0;
    for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) s30 += i * j;
    for (let i = 0; i < 40; i++) for (let j = 0; j < 40; j++) s40 += i * j;
    expect(r.stdout).toBe(`${s30} ${s40}\nErr(5 is too many)\ntrue\n0\n`);
  });

  it("stays out of line under Binaryen -O2 and gives the same output", () => {
    const src = `fn main() {
    let mut t = 0;
    for i in 0..100 { for j in 0..i { t = t + (i ^ j); } }
    println(t);
}`;
    expect(outlinedCount(src, 2)).toBe(1);
    let t = 0;
    for (let i = 0; i < 100; i++) for (let j = 0; j < i; j++) t += i ^ j;
    expect(same(src, 2).stdout).toBe(`${t}\n`);
  });

  it("the site table names an outlined loop after the source function it came from", () => {
    const src = `fn fill(n: i64) -> i64 {
    let mut s = 0;
    for i in 0..n { for j in 0..n { s = s + i * j; } }
    s
}
fn main() { println(fill(3)); }`;
    const mod = new WebAssembly.Module(build(src) as Uint8Array<ArrayBuffer>);
    const [section] = WebAssembly.Module.customSections(mod, SITE_TABLE_SECTION);
    const table = JSON.parse(new TextDecoder().decode(section)) as SiteTable;
    const outlined = Object.keys(table.functions).filter((name) => name.includes("$loop"));
    expect(outlined.length).toBe(1);
    expect(table.functions[outlined[0]]).toEqual(["fill", 1]);
  });

  it("leaves a single loop and a function without nested loops alone", () => {
    expect(outlinedCount(`fn main() { let mut s = 0; for i in 0..10 { s = s + i; } println(s); }`)).toBe(0);
  });

  it("outlines only in functions entered a few times, not in ones called from a loop or recursively", () => {
    const nest = (name: string) => `fn ${name}(n: i64) -> i64 { let mut s = 0; for i in 0..n { for j in 0..3 { s = s + i * j; } } s }`;
    const calledOnce = `${nest("grid")}\nfn main() { println(grid(10)); }`;
    const calledInLoop = `${nest("grid")}\nfn main() { let mut t = 0; for k in 0..5 { t = t + grid(k); } println(t); }`;
    const viaHelper = `${nest("grid")}\nfn twice(n: i64) -> i64 { grid(n) + grid(n + 1) }\nfn main() { println(twice(4)); }`;
    const recursive = `fn walk(n: i64) -> i64 { if n == 0 { return 0; } let mut s = 0; for i in 0..n { for j in 0..3 { s = s + i * j; } } s + walk(n - 1) }\nfn main() { println(walk(4)); }`;
    expect(outlinedCount(calledOnce)).toBe(1);
    expect(outlinedCount(calledInLoop)).toBe(0);
    expect(outlinedCount(viaHelper)).toBe(1);
    expect(outlinedCount(recursive)).toBe(0);
    expect(same(calledOnce).stdout).toBe("135\n");
    expect(same(viaHelper).stdout).toBe(`${3 * (6 + 10)}\n`);
  });
});

describe("outlined inner loops on the worker pool", () => {
  const runner = createNodeRunner(2);
  afterAll(() => runner.dispose());

  it("parallel branches with nested loops print what the sequential build prints", async () => {
    const src = `fn rows(from: i64, to: i64) -> i64 {
    let mut s = 0;
    for r in from..to { let mut c = 0; while c < 200 { s = s + (r * c) % 7; c = c + 1; } }
    s
}
fn main() {
    let (a, b, c) = par { let x = rows(0, 300); let y = rows(300, 600); let z = rows(600, 900); (x, y, z) };
    println(a + b + c);
    println(rows(0, 900));
}`;
    expect(outlinedCount(src)).toBe(1);
    let stdout = "";
    const r = await runner.run({ wasm: build(src), workers: 2, timeoutMs: 60_000, onOutput: (fd, text) => void (fd === 1 && (stdout += text)) });
    expect(r.status).toBe("ok");
    let s = 0;
    for (let row = 0; row < 900; row++) for (let c = 0; c < 200; c++) s += (row * c) % 7;
    expect(stdout).toBe(`${s}\n${s}\n`);
  });
});
