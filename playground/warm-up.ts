// Warm-up of the compile worker, so the user's first Run does not pay first-use costs:
//   - warmUpFrontEnd() runs the front end (lexer, Chevrotain grammar, type checker, effect and
//     concurrency analyses) while Binaryen is still downloading and compiling on background
//     threads. The first parse builds the grammar's lookahead tables, which costs as much as many
//     later compiles; done here it overlaps Binaryen's load instead of delaying the first Run.
//   - warmUpCompile() runs the whole pipeline once, when the worker is idle after loading
//     (first calls into Binaryen's wasm and the code generator are several times slower).
// The program is fixed and unrelated to what the user runs; nothing it produces is kept.
// This module must not import the code generator: it loads before Binaryen has arrived.

import { parse } from "../compiler/syntax/parser.js";
import { check } from "../compiler/check/index.js";
import { analyzeEffects } from "../compiler/effects/index.js";
import { parallelize } from "../compiler/concurrency/index.js";
import type { CompileOptions, CompileResult } from "../compiler/api.js";

/** Small, but touching the common paths: structs, loops, Vec, f-strings, closures, par, Atomic. */
export const WARM_UP_SOURCE = `struct Point { x: i64, y: i64 }

fn area(p: Point, scale: i64) -> i64 {
    let mut total = 0i64;
    let mut i = 0;
    while i < scale {
        if i % 2 == 0 { total = total + p.x * p.y; } else { total = total - 1; }
        i = i + 1;
    }
    total
}

par struct Tally { hits: Atomic[i64] }

fn hit(t: ref Tally, n: i64) {
    let _ = t.hits.fetch_add(n, MemoryOrdering.Relaxed);
}

fn main() {
    let p = Point { x: 3, y: 4 };
    let mut items: Vec[i64] = Vec.new();
    items.push(area(p, 5));
    let double = |x: i64| x * 2;
    for item in items {
        println(f"area {double(item)}");
    }
    let t: Tally = Tally { hits: Atomic.new(0) };
    par {
        hit(t, 1);
        hit(t, 2);
    }
    println(t.hits.load(MemoryOrdering.Relaxed));
}
`;

/** Runs the front end once over a small fixed program; returns how long it took (ms). */
export function warmUpFrontEnd(): number {
  const started = performance.now();
  const parsed = parse(WARM_UP_SOURCE, "warm-up.kara");
  const checked = check(parsed.program);
  if (checked.program) {
    const effects = analyzeEffects(checked.program);
    parallelize(checked.program, effects, { autoPar: true });
  }
  return performance.now() - started;
}

/** Compiles the fixed program once with the given compile function (the whole pipeline). */
export async function warmUpCompile(compile: (source: string, options?: CompileOptions) => Promise<CompileResult>): Promise<CompileResult> {
  return compile(WARM_UP_SOURCE, { fileName: "warm-up.kara" });
}
