// Programs at the size limits: deep nesting (parentheses, else-if chains, blocks, nested ifs and
// array literals), long flat chains (binary operators, `and`/`or`, string concatenation, method
// calls, `??`) and large literals (huge integers, out-of-range floats, long strings, arrays with
// many elements). Each shape sits in an otherwise valid program, so a compiler that copes with the
// size carries it on to the later phases. Sizes are drawn from a ladder that reaches past the
// parser's nesting limit and tens of thousands of chain terms; the small rungs keep campaigns fast.

import { Rng } from "./rng.js";

const NESTING_SIZES = [8, 64, 512, 2_000, 2_500, 5_000];
const CHAIN_SIZES = [16, 256, 4_000, 20_000];
const LITERAL_SIZES = [32, 1_000, 20_000, 100_000];

type Shape = (r: Rng, n: number) => { body: string; prelude?: string };

const NESTING: Record<string, Shape> = {
  parens: (_r, n) => ({ body: `    let v = ${"(".repeat(n)}x${")".repeat(n)} + 1;\n    println(v);` }),
  parensWithOps: (r, n) => {
    let e = "x";
    for (let i = 0; i < n; i++) e = `(${e} ${r.pick(["+", "-", "*", "&", "|"])} ${r.int(0, 9)})`;
    return { body: `    let v = ${e};\n    println(v);` };
  },
  elseIf: (_r, n) => {
    const arms = Array.from({ length: n }, (_, i) => `if x == ${i} { ${i * 3} }`).join(" else ");
    return { body: `    let v = ${arms} else { 0 - 1 };\n    println(v);` };
  },
  elseIfStatements: (_r, n) => {
    const arms = Array.from({ length: n }, (_, i) => `if x == ${i} {\n        println(${i});\n    }`).join(" else ");
    return { body: `    ${arms} else {\n        println("none");\n    }` };
  },
  blocks: (_r, n) => ({ body: `    ${"{ ".repeat(n)}println(x);${" }".repeat(n)}` }),
  blockExprs: (_r, n) => ({ body: `    let v = ${"{ ".repeat(n)}x${" }".repeat(n)};\n    println(v);` }),
  nestedIfs: (_r, n) => ({ body: `    ${"if x > 0 { ".repeat(n)}println(x);${" }".repeat(n)}` }),
  nestedLoops: (_r, n) => ({ body: `    let mut c = 0;\n    ${"while c < 1 { ".repeat(n)}c += 1;${" }".repeat(n)}\n    println(c);` }),
  nestedArrays: (_r, n) => ({ body: `    let v = ${"[".repeat(n)}1${"]".repeat(n)};\n    println(v.len());` }),
  nestedCalls: (_r, n) => ({ prelude: "fn id(a: i64) -> i64 {\n    a\n}\n", body: `    let v = ${"id(".repeat(n)}x${")".repeat(n)};\n    println(v);` }),
  nestedUnary: (r, n) => ({ body: `    let v = ${Array.from({ length: n }, () => r.pick(["-", "-", "~"])).join(" ")} x;\n    println(v);` }),
  nestedNot: (_r, n) => ({ body: `    let v = ${"not ".repeat(n)}(x > 1);\n    println(v);` }),
  nestedClosures: (_r, n) => ({ body: `    let f = ${"|a: i64| ".repeat(n)}a + x;\n    println(1);` }),
};

const CHAINS: Record<string, Shape> = {
  arithmetic: (r, n) => ({ body: `    let v = ${Array.from({ length: n }, (_, i) => (i % 7 === 0 ? "x" : String(r.int(0, 99)))).join(` ${r.pick(["+", "-", "*", "^", "|"])} `)};\n    println(v);` }),
  mixedOperators: (r, n) => ({ body: `    let v = x${Array.from({ length: n }, () => ` ${r.pick(["+", "-", "*", "&", "|", "^", "<<", ">>", "/", "%"])} ${r.int(1, 9)}`).join("")};\n    println(v);` }),
  and: (_r, n) => ({ body: `    let v = ${Array.from({ length: n }, (_, i) => `x != ${i}`).join(" and ")};\n    println(v);` }),
  andOr: (r, n) => ({ body: `    let v = ${Array.from({ length: n }, (_, i) => `x > ${i}`).join(` ${r.pick(["and", "or"])} `)};\n    println(v);` }),
  comparisonChain: (_r, n) => ({ body: `    let v = ${Array.from({ length: n }, () => "x").join(" < ")};\n    println(v);` }),
  stringConcat: (_r, n) => ({ body: `    let s = ${Array.from({ length: n }, (_, i) => (i % 5 === 0 ? "x.to_string()" : `"s${i}"`)).join(" + ")};\n    println(s.len());` }),
  methodChain: (_r, n) => ({ body: `    let v = x${".abs()".repeat(n)};\n    println(v);` }),
  stringMethodChain: (_r, n) => ({ body: `    let s = "  padded  "${".trim()".repeat(n)};\n    println(s);` }),
  optionChain: (_r, n) => ({ body: `    let o: Option[i64] = None;\n    let v = ${"o ?? (".repeat(n)}x${")".repeat(n)};\n    println(v);` }),
  optionFieldChain: (_r, n) => ({ body: `    let o: Option[i64] = Some(x);\n    let v = o${"?.abs()".repeat(n)} ?? 0;\n    println(v);` }),
  optionChainSome: (_r, n) => ({ body: `    let v = ${Array.from({ length: n }, (_, i) => (i % 2 ? "None" : `Some(${i})`)).join(" ?? ")} ?? x;\n    println(v);` }),
  statements: (_r, n) => ({ body: Array.from({ length: n }, (_, i) => `    let v${i} = x + ${i};`).join("\n") + "\n    println(x);" }),
  pushes: (_r, n) => ({ body: `    let mut v: Vec[i64] = Vec.new();\n${Array.from({ length: n }, (_, i) => `    v.push(${i});`).join("\n")}\n    println(v.len());` }),
  callArgs: (_r, n) => ({ prelude: "fn first(a: i64, rest: Vec[i64]) -> i64 {\n    a + rest.len()\n}\n", body: `    println(first(x, [${Array.from({ length: n }, () => "x").join(", ")}]));` }),
  matchArms: (_r, n) => ({ body: `    let v = match x {\n${Array.from({ length: n }, (_, i) => `        ${i} => ${i * 2},`).join("\n")}\n        _ => 0,\n    };\n    println(v);` }),
};

const LITERALS: Record<string, Shape> = {
  hugeInteger: (r, n) => ({ body: `    let v = ${String(r.int(1, 9)) + "9".repeat(n)};\n    println(v);` }),
  hugeNegative: (_r, n) => ({ body: `    let v = -${"1" + "0".repeat(n)};\n    println(v);` }),
  hugeHex: (_r, n) => ({ body: `    let v = 0x${"f".repeat(n)};\n    println(v);` }),
  hugeExponent: (r, n) => ({ body: `    let v = ${r.pick(["1e", "1.5e", "0.0e", "1e-", "9.9e+"])}${"9".repeat(Math.min(n, 64))};\n    println(v);` }),
  floatOutOfRange: (r) => ({ body: `    let v = ${r.pick(["1e999999", "1e-999999", "1.7976931348623159e308", "4.9e-325", "-1e999999"])};\n    println(v);` }),
  longMantissa: (_r, n) => ({ body: `    let v = 0.${"3".repeat(n)};\n    println(v);` }),
  longString: (_r, n) => ({ body: `    let s = "${"ab\\n".repeat(Math.ceil(n / 4))}";\n    println(s.len());` }),
  longFString: (_r, n) => ({ body: `    let s = f"${"{x}-".repeat(Math.ceil(n / 8))}";\n    println(s.len());` }),
  longIdentifier: (_r, n) => ({ body: `    let ${"a".repeat(n)} = x;\n    println(${"a".repeat(n)});` }),
  manyElements: (_r, n) => ({ body: `    let v = [${Array.from({ length: n }, (_, i) => String(i % 1000)).join(", ")}];\n    println(v.len());` }),
  manyStrings: (_r, n) => ({ body: `    let v = [${Array.from({ length: Math.ceil(n / 8) }, (_, i) => `"e${i}"`).join(", ")}];\n    println(v.len());` }),
  integerTypeEdges: (r) => ({ body: `    let v: ${r.pick(["u8", "i8", "i32", "u32", "i64", "u64"])} = ${r.pick(["256", "-129", "4294967296", "-2147483649", "18446744073709551616", "9223372036854775808", "-9223372036854775809"])};\n    println(v);` }),
};

const FAMILIES: Array<[Record<string, Shape>, number[]]> = [
  [NESTING, NESTING_SIZES],
  [CHAINS, CHAIN_SIZES],
  [LITERALS, LITERAL_SIZES],
];

const SHAPES: Record<string, Shape> = { ...NESTING, ...CHAINS, ...LITERALS };

/** Every shape name. */
export const EXTREME_SHAPES = Object.keys(SHAPES);

/**
 * Shapes whose program is wrong at every size (`a < b < c`). Every other shape is a valid
 * program at a small size (literals go out of range only at the larger sizes).
 */
export const INVALID_SHAPES = new Set(["comparisonChain"]);

/** Shapes that draw literals from a list of edge values, in range or not, at any size. */
export const EDGE_VALUE_SHAPES = new Set(["hugeExponent", "floatOutOfRange", "integerTypeEdges"]);

/** The program of one shape at size `n`. */
export function extremeProgram(rng: Rng, shape: string, n: number): string {
  const { body, prelude } = SHAPES[shape](rng, n);
  return `${prelude ?? ""}fn main() {\n    let x = ${rng.int(0, 5)};\n${body}\n}\n`;
}

/** What makes an extreme program: shape, size and the seed of its random parts. */
export interface ExtremeSpec {
  shape: string;
  size: number;
  seed: number;
}

/** The program of `spec`, optionally at another size (reduction shrinks a crash by size first). */
export function extremeSource(spec: ExtremeSpec, size = spec.size): string {
  return extremeProgram(new Rng(spec.seed), spec.shape, size);
}

/** One program with a deep, long or large construct. */
export function generateExtreme(rng: Rng): ExtremeSpec & { source: string } {
  const [family, sizes] = rng.pick(FAMILIES);
  const spec = { shape: rng.pick(Object.keys(family)), size: rng.pick(sizes), seed: rng.int(0, 0x7fffffff) };
  return { ...spec, source: extremeSource(spec) };
}

/** The smallest size at which `spec` still fails, by bisection (failure grows with size). */
export async function smallestFailingSize(spec: ExtremeSpec, fails: (source: string) => Promise<boolean>): Promise<number> {
  let lo = 0; // passes (or is assumed to)
  let hi = spec.size; // fails
  while (hi - lo > Math.max(1, hi >> 5)) {
    const mid = (lo + hi) >> 1;
    if (await fails(extremeSource(spec, mid))) hi = mid;
    else lo = mid;
  }
  return hi;
}
