// Sequence elements are stored at their natural width (bool, u8/i8: 1 byte; u16/i16: 2 bytes),
// and every way of reading or writing an element must agree on it: indexing, compound
// assignment, `mut ref` arguments, slices, iteration, sort, equality, printing, Vec methods,
// Map key/value columns, slice patterns, arrays and `Vec.filled`. One program per integer width
// runs the same steps on that type's boundary values; the expected output is computed here in
// JS (BigInt), so sign and zero extension of narrow loads are checked at MIN and MAX.

import { describe, expect, it } from "vitest";
import { run } from "./test/pipeline.js";

interface IntType {
  name: string;
  bits: number;
  signed: boolean;
}

const TYPES: IntType[] = [
  { name: "i8", bits: 8, signed: true },
  { name: "u8", bits: 8, signed: false },
  { name: "i16", bits: 16, signed: true },
  { name: "u16", bits: 16, signed: false },
  { name: "i32", bits: 32, signed: true },
  { name: "u32", bits: 32, signed: false },
];

function program(T: string): string {
  return `fn total(xs: Slice[${T}]) -> i64 {
    let mut t: i64 = 0;
    for x in xs { t += x as i64; }
    t
}
fn set_max(x: mut ref ${T}) { x = ${T}.MAX; }
fn main() {
    let mut v: Vec[${T}] = [${T}.MAX, ${T}.MIN, 0, 1, ${T}.MAX - 1];
    println(v);
    println(total(v));
    println(v[1] < v[0]);
    v[2] = ${T}.MIN;
    println(f"{v[1]} {v[2]} {v[3]}");
    v[3] += 2;
    println(v[3]);
    set_max(mut v[3]);
    println(v);
    let w = v.clone();
    println(w == v);
    let mut u = v.clone();
    u[4] = ${T}.MIN;
    println(u == v);
    let s = v[1..4];
    println(s);
    println(total(s));
    v.sort();
    println(v);
    println(v.contains(${T}.MIN));
    println(v.binary_search(${T}.MAX).is_some());
    v.reverse();
    v.swap(0, 4);
    println(v);
    v.insert(1, 5);
    println(v.remove(0));
    println(v.pop());
    v.extend(w);
    v.dedup();
    println(v);
    match v {
        [first, .., last] => println(f"{first} {last}"),
        _ => println("short"),
    }
    let mut m: Map[${T}, ${T}] = Map.new();
    m.insert(${T}.MIN, ${T}.MAX);
    m.insert(${T}.MAX, ${T}.MIN);
    m[${T}.MIN] -= 1;
    println(m[${T}.MIN]);
    println(m.get(${T}.MAX));
    let mut ks: Vec[${T}] = m.keys();
    ks.sort();
    println(ks);
    let a: Array[${T}, 3] = [${T}.MIN, 1, ${T}.MAX];
    println(a);
    println(Vec.filled(3, ${T}.MIN));
}
`;
}

function expected(t: IntType): string {
  const max = t.signed ? (1n << BigInt(t.bits - 1)) - 1n : (1n << BigInt(t.bits)) - 1n;
  const min = t.signed ? -(1n << BigInt(t.bits - 1)) : 0n;
  const out: string[] = [];
  const show = (a: bigint[]) => `[${a.join(", ")}]`;
  const total = (a: bigint[]) => a.reduce((x, y) => x + y, 0n);
  let v = [max, min, 0n, 1n, max - 1n];
  out.push(show(v), `${total(v)}`, `${v[1] < v[0]}`);
  v[2] = min;
  out.push(`${v[1]} ${v[2]} ${v[3]}`);
  v[3] += 2n;
  out.push(`${v[3]}`);
  v[3] = max;
  out.push(show(v));
  const w = [...v];
  out.push("true");
  out.push(`${v[4] === min}`);
  const s = v.slice(1, 4);
  out.push(show(s), `${total(s)}`);
  v.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  out.push(show(v), "true", "true");
  v.reverse();
  [v[0], v[4]] = [v[4], v[0]];
  out.push(show(v));
  v.splice(1, 0, 5n);
  out.push(`${v.shift()}`, `Some(${v.pop()})`);
  v = [...v, ...w].filter((x, i, all) => i === 0 || all[i - 1] !== x);
  out.push(show(v), `${v[0]} ${v[v.length - 1]}`);
  out.push(`${max - 1n}`, `Some(${min})`, show([min, max]));
  out.push(show([min, 1n, max]), show([min, min, min]));
  return out.join("\n") + "\n";
}

describe("sequence elements at their natural width", () => {
  for (const t of TYPES) {
    it(`${t.name}: boundary values through every element access`, () => {
      const r = run(program(t.name));
      expect(r.stdout).toBe(expected(t));
      expect(r.exitCode).toBe(0);
    });
  }

  it("Vec[bool]: neighbours stay intact, sort/eq/print/Map/mut ref agree", () => {
    const r = run(`fn flip(b: mut ref bool) { b = not b; }
fn count(xs: Slice[bool]) -> i64 {
    let mut n = 0;
    for x in xs { if x { n += 1; } }
    n
}
fn main() {
    let mut v = Vec.filled(10, false);
    let mut i = 0;
    while i < 10 { v[i] = i % 3 == 0; i += 1; }
    println(v);
    flip(mut v[1]);
    println(count(v));
    println(count(v[2..6]));
    let w = v.clone();
    v.sort();
    println(v);
    println(w == v);
    let mut m: Map[bool, bool] = Map.new();
    m.insert(true, false);
    m.insert(false, true);
    println(f"{m[true]} {m[false]}");
    v.push(false);
    println(v.pop());
    println(v.contains(true));
}
`);
    const pattern = Array.from({ length: 10 }, (_, i) => i % 3 === 0);
    const flipped = pattern.map((b, i) => (i === 1 ? !b : b));
    const count = (a: boolean[]) => a.filter((b) => b).length;
    const sorted = [...flipped].sort((a, b) => Number(a) - Number(b));
    expect(r.stdout).toBe(
      [
        `[${pattern.join(", ")}]`,
        `${count(flipped)}`,
        `${count(flipped.slice(2, 6))}`,
        `[${sorted.join(", ")}]`,
        `${sorted.every((b, i) => b === flipped[i])}`,
        "false true",
        "Some(false)",
        "true",
      ].join("\n") + "\n",
    );
  });

  it("string bytes are a byte-wide Vec[u8]-like slice", () => {
    const r = run(`fn main() {
    let bs = "Az\\u{e9}".bytes();
    println(bs);
    let mut t = 0;
    for b in bs { t += b as i64; }
    println(t);
}
`);
    const bytes = [...new TextEncoder().encode("Az\u00e9")];
    expect(r.stdout).toBe(`[${bytes.join(", ")}]\n${bytes.reduce((a, b) => a + b, 0)}\n`);
  });

  it("Vec.filled writes every slot, also when it fills zero bits into a reused block", () => {
    const r = run(`fn junk(n: i64) -> i64 {
    let v = Vec.filled(n, 9);
    v[n - 1]
}
fn main() {
    println(junk(100));
    let z = Vec.filled(100, 0);
    let mut s = 0;
    for q in z { s += q; }
    println(s);
    let neg = Vec.filled(3, -0.0);
    let pos = Vec.filled(3, 0.0);
    println(f"{1.0 / neg[2] < 0.0} {1.0 / pos[2] > 0.0}");
    println(Vec.filled(4, 7 as i16));
    println(Vec.filled(2, 'x'));
    let mut f = Vec.filled(3, 0 as u32);
    f[1] = 4294967295;
    println(f);
    println(Vec.filled(0, 5).len());
}
`);
    expect(r.stdout).toBe("9\n0\ntrue true\n[7, 7, 7, 7]\n[x, x]\n[0, 4294967295, 0]\n0\n");
  });

  it("i16 slices: a mut Slice argument writes the caller's 2-byte slots", () => {
    const r = run(`fn negate_all(xs: mut Slice[i16]) {
    let mut i = 0;
    while i < xs.len() { xs[i] = -xs[i]; i += 1; }
}
fn main() {
    let mut v: Vec[i16] = [1, -2, 300, -32767, 32767, 7];
    negate_all(mut v[1..5]);
    println(v);
}
`);
    expect(r.stdout).toBe("[1, 2, -300, 32767, -32767, 7]\n");
  });
});
