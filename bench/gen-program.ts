// Generated Kāra programs of a requested size for the compile-latency figures: a chain of units,
// each an effect resource, a struct with a method, and functions with loops, branches, Vec
// operations and calls into the previous unit, so every phase (including effect inference across
// the call graph) has real work proportional to the length.

function unit(k: number): string[] {
  const prev = k - 1;
  return [
    `effect resource Store${k};`,
    ``,
    `struct Pair${k} { a: i64, b: i64 }`,
    ``,
    `impl Pair${k} {`,
    `    fn sum(self) -> i64 { self.a + self.b }`,
    `}`,
    ``,
    `fn step${k}(x: i64, rounds: i64) -> i64 {`,
    `    let mut acc = x % 1000003;`,
    `    let mut i = 0;`,
    `    while i < rounds {`,
    `        if acc % 2 == 0 {`,
    `            acc = acc / 2 + i;`,
    `        } else {`,
    `            acc = (acc * 3 + 1) % 1000003;`,
    `        }`,
    `        i = i + 1;`,
    `    }`,
    `    acc`,
    `}`,
    ``,
    `fn load${k}(p: Pair${k}) -> i64 with reads(Store${k}) {`,
    `    let v: Vec[i64] = Vec.filled(4, p.a);`,
    `    let mut s = 0;`,
    `    for i in 0..4 {`,
    `        s = s + v[i] * p.b;`,
    `    }`,
    `    s + step${k}(p.sum(), 3)`,
    `}`,
    ``,
    k === 0
      ? `fn chain${k}(n: i64) -> i64 with reads(Store${k}) {`
      : `fn chain${k}(n: i64) -> i64 with reads(Store${k}) reads(Store${prev}) {`,
    `    let p = Pair${k} { a: n, b: ${k + 1} };`,
    `    let here = load${k}(p);`,
    k === 0 ? `    let before = 0;` : `    let before = load${prev}(Pair${prev} { a: n, b: 1 });`,
    `    if here > before { here - before } else { before - here }`,
    `}`,
    ``,
  ];
}

export const LINES_PER_UNIT = unit(1).length;

/** A program of about `lines` lines (whole units plus main) that compiles and runs. */
export function generateProgram(lines: number): string {
  const units = Math.max(1, Math.round((lines - 4) / LINES_PER_UNIT));
  const out: string[] = [];
  for (let k = 0; k < units; k++) out.push(...unit(k));
  out.push(`fn main() {`, `    println(chain${units - 1}(7));`, `}`);
  return out.join("\n") + "\n";
}
