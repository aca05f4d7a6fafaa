// Lowering helpers tested on their own, without lowering a whole program: element slot widths,
// scalar conversions through a minimal Lowerer, closure environment layout, the analysis of
// locals that need an address, and the copy/drop/equality table that Map helpers reach through
// the Gen.

import binaryen from "binaryen";
import { describe, expect, it } from "vitest";
import { check } from "../../check/index.js";
import { parse } from "../../syntax/parser.js";
import type { IntName, TFunction, TProgram, Type } from "../../tir/nodes.js";
import { Gen, type ValueOps } from "../context.js";
import { i32, i64, MEM, none } from "../ir.js";
import { typeKey } from "../layout.js";
import { addressNeeds, lockAliases } from "./local-analysis.js";
import type { Lowerer } from "./lowerer.js";
import { convert } from "./operators.js";
import { ENV, envLayout, signature } from "./signature.js";
import { copyFn, dropFn, eqValue } from "./typeops.js";

function program(src: string): TProgram {
  const p = parse(src, "t.kara");
  const c = check(p.program);
  if (!c.program) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  return c.program;
}

const valueOps: ValueOps = { copyFn, dropFn, eqValue };
const newGen = (src = "fn main() {}", ops: ValueOps = valueOps) => new Gen(program(src), "t.kara", ops);

const int = (name: IntName): Type => ({ kind: "int", name, bits: Number(name.slice(1)) as 8 | 16 | 32 | 64, signed: name[0] === "i" });

/** Emit g's module with the given exports and instantiate it (own, unshared memory when asked). */
function instantiate(g: Gen, withMemory: boolean): { exports: Record<string, unknown> } {
  const m = g.m;
  if (withMemory) m.setMemory(1, 1, "memory", [], false, false, MEM);
  m.setFeatures(binaryen.Features.All);
  expect(m.validate()).toBeTruthy();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(m.emitBinary())), {});
  return { exports: inst.exports as Record<string, unknown> };
}

describe("element slots", () => {
  // Each element type is stored through storeSlot at byte 8 of a memory filled with 0xAA and read
  // back through loadSlot: the bytes written show the slot's width, the value read its extension.
  const cases: { type: Type; value: number; bytes: number[]; back: number }[] = [
    { type: int("i8"), value: -2, bytes: [0xfe], back: -2 },
    { type: int("u8"), value: 0x1fe, bytes: [0xfe], back: 0xfe },
    { type: int("i16"), value: -3, bytes: [0xfd, 0xff], back: -3 },
    { type: int("u16"), value: 0x1fffd, bytes: [0xfd, 0xff], back: 0xfffd },
    { type: { kind: "bool" }, value: 1, bytes: [1], back: 1 },
    { type: int("i32"), value: -4, bytes: [0xfc, 0xff, 0xff, 0xff], back: -4 },
    { type: { kind: "char" }, value: 0x1f600, bytes: [0x00, 0xf6, 0x01, 0x00], back: 0x1f600 },
  ];
  for (const c of cases) {
    it(`${typeKey(c.type)}: ${c.bytes.length} byte(s), read back as ${c.back}`, () => {
      const g = newGen();
      const { m, ir } = g;
      const slot = g.layouts.elem(c.type);
      expect(slot.bytes).toBe(c.bytes.length);
      m.addFunction("put", binaryen.createType([i32]), none, [], ir.storeSlot(slot, ir.c32(8), m.local.get(0, i32)));
      m.addFunction("get", binaryen.none, i32, [], ir.loadSlot(slot, ir.c32(8)));
      m.addFunctionExport("put", "put");
      m.addFunctionExport("get", "get");
      const { exports } = instantiate(g, true);
      const mem = new Uint8Array((exports.memory as WebAssembly.Memory).buffer);
      mem.fill(0xaa);
      (exports.put as (v: number) => void)(c.value);
      expect([...mem.subarray(8, 8 + c.bytes.length)]).toEqual(c.bytes);
      expect(mem[8 + c.bytes.length]).toBe(0xaa);
      expect(mem[7]).toBe(0xaa);
      expect((exports.get as () => number)()).toBe(c.back);
    });
  }

  it("wide scalars take their full wasm width", () => {
    const g = newGen();
    expect(g.layouts.elem(int("i64"))).toMatchObject({ bytes: 8, wasm: i64 });
    expect(g.layouts.elem({ kind: "float", bits: 32 }).bytes).toBe(4);
    expect(g.layouts.elem({ kind: "string" })).toMatchObject({ bytes: 4, wasm: i32 });
  });
});

describe("scalar conversions", () => {
  /** A Lowerer with only what a conversion uses: the module, its Ir and the Gen. */
  const lowerer = (g: Gen): Lowerer => ({ g, m: g.m, ir: g.ir, L: g.layouts }) as unknown as Lowerer;

  const convertFn = (from: Type, to: Type) => {
    const g = newGen();
    const fw = g.layouts.wasm(from);
    const tw = g.layouts.wasm(to);
    g.m.addFunction("conv", binaryen.createType([fw]), tw, [], convert(lowerer(g), g.m.local.get(0, fw), from, to));
    g.m.addFunctionExport("conv", "conv");
    return instantiate(g, false).exports.conv as (v: number | bigint) => number | bigint;
  };

  it("narrows i64 to 8 and 16 bits with wrap-around and sign", () => {
    const toU8 = convertFn(int("i64"), int("u8"));
    expect([300n, -1n, 255n].map((v) => toU8(v))).toEqual([44, 255, 255]);
    const toI16 = convertFn(int("i64"), int("i16"));
    expect([40000n, -40000n, 7n].map((v) => toI16(v))).toEqual([-25536, 25536, 7]);
  });

  it("widens by the source's signedness", () => {
    expect(convertFn(int("i32"), int("i64"))(-5)).toBe(-5n);
    expect(convertFn(int("u32"), int("i64"))(-5)).toBe(4294967291n);
  });

  it("saturates float to int and clamps to narrow ranges", () => {
    const toI32 = convertFn({ kind: "float", bits: 64 }, int("i32"));
    expect([1e12, -1e12, Number.NaN, -7.9].map((v) => toI32(v))).toEqual([2147483647, -2147483648, 0, -7]);
  });
});

describe("closure environments", () => {
  it("puts captures after the drop/copy header, each aligned to its width", () => {
    const p = program(`fn main() {
    let a: i32 = 1;
    let b: i64 = 2;
    let c = true;
    let f = |x: i64| (a as i64) + b + x + (if c { 1 } else { 0 });
    println(f(1));
}`);
    const g = new Gen(p, "t.kara", valueOps);
    const closure = p.functions.find((fn): fn is TFunction => fn.kind === "closure");
    expect(closure).toBeDefined();
    const lay = envLayout(g, closure!);
    expect(lay.slots.length).toBe(3);
    expect(lay.slots[0].offset).toBe(ENV.CAPTURES);
    for (const s of lay.slots) expect(s.offset % sizeOf(s.wasm)).toBe(0);
    expect(lay.size % 8).toBe(0);
    expect(lay.size).toBeGreaterThanOrEqual(lay.slots[lay.slots.length - 1].offset + sizeOf(lay.slots[lay.slots.length - 1].wasm));
    // A lifted body takes its environment first.
    expect(signature(g, closure!).params[0]).toBe(i32);
  });
});

function sizeOf(w: number): number {
  return w === i64 || w === binaryen.f64 ? 8 : w === none ? 0 : 4;
}

describe("locals that need an address", () => {
  it("finds by-reference captures and `mut` arguments, and lock aliases", () => {
    // Statements as the typed program has them, found by the shared TIR walker.
    const stmt = (expr: object) => ({ kind: "expr", expr });
    const read = { kind: "read", place: { kind: "local", local: 7 }, type: { kind: "bool" } };
    const fn = {
      body: {
        kind: "block",
        stmts: [
          stmt({ kind: "closure", fn: 1, captures: [{ outer: 3, byRef: true }, { outer: 4, byRef: false }] }),
          stmt({ kind: "call", fn: 1, args: [{ mode: "mutref", place: { kind: "local", local: 5 } }, { mode: "ref", value: read }] }),
          stmt({ kind: "lock", mutex: { kind: "local", local: 8 }, alias: 6, body: { kind: "block", stmts: [] } }),
        ],
      },
    } as unknown as TFunction;
    expect([...addressNeeds(fn)].sort()).toEqual([3, 5]);
    expect([...lockAliases(fn)]).toEqual([6]);
  });
});

describe("copy, drop and equality through the Gen", () => {
  it("Map helpers ask the Gen's table for their key and value operations", () => {
    const asked: string[] = [];
    const recording: ValueOps = {
      copyFn: (g, t) => (asked.push(`copy ${typeKey(t)}`), copyFn(g, t)),
      dropFn: (g, t) => (asked.push(`drop ${typeKey(t)}`), dropFn(g, t)),
      eqValue: (g, t, a, b) => (asked.push(`eq ${typeKey(t)}`), eqValue(g, t, a, b)),
    };
    const g = newGen("fn main() {}", recording);
    const mapType: Type = { kind: "map", key: { kind: "string" }, value: { kind: "vec", elem: int("i64") } };
    const copy = copyFn(g, mapType);
    expect(copy).toBeDefined();
    expect(g.m.getFunction(copy!)).not.toBe(0);
    expect(asked).toContain("copy String");
    expect(asked).toContain(`copy ${typeKey(mapType.value)}`);
    eqValue(g, mapType, g.ir.c32(0), g.ir.c32(0));
    expect(asked).toContain("eq String");
    expect(asked).toContain(`eq ${typeKey(mapType.value)}`);
  });

  it("scalars need no copy or drop; owned values do", () => {
    const g = newGen();
    expect(copyFn(g, int("i64"))).toBeUndefined();
    expect(dropFn(g, { kind: "bool" })).toBeUndefined();
    expect(dropFn(g, { kind: "string" })).toBeDefined();
    expect(copyFn(g, { kind: "vec", elem: { kind: "string" } })).toBeDefined();
  });
});
