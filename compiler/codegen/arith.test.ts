// Checked integer arithmetic: the inline fast paths and the out-of-line helpers must agree with
// exact (BigInt) arithmetic at every width, on both sides of each fast path's limits, and panic
// with karac's message at the operator's position when the result does not fit.

import { describe, expect, it } from "vitest";
import { run } from "./test/pipeline.js";

type Op = "+" | "-" | "*" | "/" | "%";
const OPS: Op[] = ["+", "-", "*", "/", "%"];
const NAMES: Record<Op, string> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "rem" };

const TYPES = {
  i8: { bits: 8, signed: true },
  u8: { bits: 8, signed: false },
  i16: { bits: 16, signed: true },
  i32: { bits: 32, signed: true },
  u32: { bits: 32, signed: false },
  i64: { bits: 64, signed: true },
  u64: { bits: 64, signed: false },
} as const;
type TypeName = keyof typeof TYPES;

function range(t: TypeName): [bigint, bigint] {
  const { bits, signed } = TYPES[t];
  return signed ? [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n] : [0n, (1n << BigInt(bits)) - 1n];
}

/** Operands around the interesting limits of a type: 0, ±1, the 32-bit fast-path edges, MIN/MAX. */
function operands(t: TypeName): bigint[] {
  const [lo, hi] = range(t);
  const raw = [0n, 1n, -1n, 2n, 7n, -7n, 100n, 46341n, 65535n, 2n ** 31n - 1n, 2n ** 31n, -(2n ** 31n), -(2n ** 31n) - 1n, 3037000499n, 2n ** 32n, lo, hi, lo + 1n, hi - 1n];
  return [...new Set(raw.filter((v) => v >= lo && v <= hi))];
}

/** Exact result, or the panic message karac prints. */
function exact(op: Op, a: bigint, b: bigint, t: TypeName): bigint | string {
  if ((op === "/" || op === "%") && b === 0n) return "division by zero";
  // MIN % -1 traps like MIN / -1 (the quotient overflows), as in karac.
  if (op === "%" && b === -1n && a === range(t)[0] && TYPES[t].signed) return "integer overflow";
  const r = op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : op === "/" ? a / b : a % b;
  const [lo, hi] = range(t);
  return r < lo || r > hi ? "integer overflow" : r;
}

function literal(v: bigint, t: TypeName): string {
  // MIN has no literal of its own: build it from MIN + 1.
  const [lo] = range(t);
  if (v === lo && TYPES[t].signed) return `(${lo + 1n}${t} - 1${t})`;
  return v < 0n ? `(${v}${t})` : `${v}${t}`;
}

function helpers(): string {
  const out: string[] = [];
  for (const t of Object.keys(TYPES)) for (const op of OPS) out.push(`fn ${NAMES[op]}_${t}(a: ${t}, b: ${t}) -> ${t} { a ${op} b }`);
  return out.join("\n");
}

describe("checked integer arithmetic", () => {
  const ok: string[] = [];
  const expected: string[] = [];
  const failing: { call: string; msg: string; fn: string }[] = [];
  for (const t of Object.keys(TYPES) as TypeName[]) {
    const xs = operands(t);
    for (const op of OPS) {
      for (const a of xs) {
        for (const b of xs) {
          const r = exact(op, a, b, t);
          const call = `${NAMES[op]}_${t}(${literal(a, t)}, ${literal(b, t)})`;
          if (typeof r === "bigint") {
            ok.push(`    println(${call});`);
            expected.push(`${r}\n`);
          } else failing.push({ call, msg: r, fn: `${NAMES[op]}_${t}` });
        }
      }
    }
  }

  it("computes every in-range result exactly", () => {
    expect(ok.length).toBeGreaterThan(1000);
    const r = run(`${helpers()}\nfn main() {\n${ok.join("\n")}\n}\n`);
    expect(r.stdout).toBe(expected.join(""));
    expect(r.exitCode).toBe(0);
  });

  it("panics with the message and position of the operator when the result does not fit", () => {
    // A sample across types and operators (every case would be one compilation each).
    const sample = failing.filter((_, k) => k % Math.ceil(failing.length / 40) === 0);
    expect(sample.length).toBeGreaterThan(20);
    expect(new Set(sample.map((f) => f.msg))).toEqual(new Set(["integer overflow", "division by zero"]));
    const lines = helpers().split("\n");
    for (const f of sample) {
      const line = lines.findIndex((l) => l.startsWith(`fn ${f.fn}(`)) + 1;
      const col = lines[line - 1].indexOf("{ a ") + 3;
      const r = run(`${helpers()}\nfn main() {\n    println(${f.call});\n}\n`, { fileName: "main.kara" });
      expect(r.stdout, f.call).toBe(`panic at main.kara:${line}:${col} in ${f.fn}: ${f.msg}\n`);
      expect(r.exitCode).toBe(1);
    }
  });
});
