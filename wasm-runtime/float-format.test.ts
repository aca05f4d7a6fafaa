import { describe, expect, it } from "vitest";
import { formatF64, parseF64 } from "./float-format.js";

describe("formatF64", () => {
  it("prints like Rust's {} for f64", () => {
    const cases: [number, string][] = [
      [1, "1"],
      [-2.5, "-2.5"],
      [0, "0"],
      [-0, "-0"],
      [NaN, "NaN"],
      [Infinity, "inf"],
      [-Infinity, "-inf"],
      [1e21, "1000000000000000000000"],
      [1.5e22, "15000000000000000000000"],
      [1e-7, "0.0000001"],
      [1.25e-8, "0.0000000125"],
      [123456.789, "123456.789"],
      [0.1 + 0.2, "0.30000000000000004"],
      [5e-324, "0." + "0".repeat(323) + "5"],
      [Number.MAX_VALUE, "17976931348623157" + "0".repeat(292)],
    ];
    for (const [x, s] of cases) expect(formatF64(x), String(x)).toBe(s);
  });

  it("round-trips random doubles through positional text and fits the 400-byte buffer", () => {
    const view = new DataView(new ArrayBuffer(8));
    let seed = 12345;
    for (let i = 0; i < 20000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      view.setUint32(0, seed);
      seed = (seed * 1103515245 + 12345) >>> 0;
      view.setUint32(4, seed);
      const x = view.getFloat64(0);
      const s = formatF64(x);
      expect(s.length).toBeLessThanOrEqual(400);
      expect(s).not.toMatch(/e/);
      const back = parseF64(s)!;
      if (Number.isNaN(x)) expect(Number.isNaN(back)).toBe(true);
      else expect(Object.is(back, x), s).toBe(true);
    }
  });
});

describe("parseF64", () => {
  it("accepts Rust's float grammar and nothing else", () => {
    expect(parseF64("3.5")).toBe(3.5);
    expect(parseF64("-3")).toBe(-3);
    expect(parseF64("+.5")).toBe(0.5);
    expect(parseF64("7.")).toBe(7);
    expect(parseF64("1E+3")).toBe(1000);
    expect(parseF64("INF")).toBe(Infinity);
    expect(parseF64("-Infinity")).toBe(-Infinity);
    expect(Number.isNaN(parseF64("nan")!)).toBe(true);
    expect(Object.is(parseF64("-0"), -0)).toBe(true);
    expect(parseF64("1e400")).toBe(Infinity);
    for (const bad of ["", ".", "e3", "1e", "1.2.3", " 1", "1 ", "0x1p3", "1_000", "infinit", "--1", "+"]) {
      expect(parseF64(bad), bad).toBeUndefined();
    }
  });
});
