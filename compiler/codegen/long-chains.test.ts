// Long left-deep operator chains compile (no stack overflow in the lowering or in Binaryen) and
// run with the meaning of the nested form: left-to-right evaluation, `and` / `or` chains,
// checked arithmetic panicking at the operator's position.

import { describe, expect, it } from "vitest";
import { FLAT_CHAIN_MIN } from "./lower/chains.js";
import { run } from "./test/pipeline.js";

const N = 20_000;
const terms = (n: number, term: (i: number) => string, op: string) => Array.from({ length: n }, (_, i) => term(i)).join(` ${op} `);
const main = (body: string) => `fn main() {\n    ${body}\n}\n`;

describe("long operator chains", () => {
  it("sums 20 000 terms", () => {
    const r = run(main(`let x = 3; let v = ${terms(N, () => "x", "+")}; println(v);`));
    expect(r).toMatchObject({ stdout: `${3 * N}\n`, exitCode: 0 });
  });

  it("applies mixed `+` / `-` left to right", () => {
    // Same precedence, left-associative: a different grouping gives a different value.
    let src = "x";
    let expected = 1;
    for (let i = 0; i < N; i++) {
      const k = (i % 7) + 1;
      const op = i % 3 === 0 ? "+" : "-";
      src += ` ${op} ${k}`;
      expected = op === "+" ? expected + k : expected - k;
    }
    const r = run(main(`let x: i64 = 1; let v = ${src}; println(v);`));
    expect(r).toMatchObject({ stdout: `${expected}\n`, exitCode: 0 });
  });

  it("panics on overflow at the same position as a short chain", () => {
    const at = (n: number) => run(main(`let x: i8 = 5; let v = ${terms(n, () => "x", "+")}; println(v);`));
    expect(at(20)).toMatchObject({ stdout: "100\n", exitCode: 0 });
    const long = at(FLAT_CHAIN_MIN * 10);
    expect(long.stdout).toMatch(/^panic at main\.kara:2:\d+ in main: integer overflow\n$/);
    expect(long.exitCode).toBe(1);
    // The same chain lowered nested (short) panics at the same position.
    expect(at(FLAT_CHAIN_MIN - 1).stdout).toBe(long.stdout);
  });

  it("evaluates a 20 000-term `and` chain", () => {
    const ands = (x: number) => run(main(`let x = ${x}; let v = ${terms(N, (i) => `x != ${i + 10}`, "and")}; println(v);`)).stdout;
    expect(ands(3)).toBe("true\n");
    expect(ands(12_345)).toBe("false\n");
  });

  it("evaluates a 20 000-term `or` chain", () => {
    const ors = (x: number) => run(main(`let x = ${x}; let v = ${terms(N, (i) => `x == ${i + 10}`, "or")}; println(v);`)).stdout;
    expect(ors(3)).toBe("false\n");
    expect(ors(15_000)).toBe("true\n");
  });

  it("concatenates 20 000 string literals", () => {
    const lit = run(main(`let v = ${terms(N, () => '"ab"', "+")}; println(v.len());`));
    expect(lit).toMatchObject({ stdout: `${2 * N}\n`, exitCode: 0 });
  });
});
