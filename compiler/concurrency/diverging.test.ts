// Groups with a member that never completes (a panic, a never-returning call): the automatic
// `par` keeps the statement's `never` type, so a body whose value comes from that divergence
// still compiles, and it fails exactly as the sequential program does.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runner } from "../../wasm-runtime/api.js";
import { createNodeRunner } from "../../wasm-runtime/node.js";
import type { TExpr } from "../tir/nodes.js";
import { generate } from "../codegen/index.js";
import { analyzeEffects } from "../effects/index.js";
import { parallelize } from "./index.js";
import { checked, fnNamed, run } from "./testutil.js";

let runner: Runner;
beforeAll(() => {
  runner = createNodeRunner(4);
});
afterAll(() => runner.dispose());

function build(src: string, autoPar: boolean): Uint8Array {
  const program = checked(src);
  const { program: out } = parallelize(program, analyzeEffects(program), { autoPar, strict: true });
  const g = generate(out, { fileName: "t.kara" });
  expect(g.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return g.wasm!;
}

async function exec(wasm: Uint8Array, workers: number): Promise<{ out: string; status: string; message?: string }> {
  let out = "";
  const r = await runner.run({ wasm, workers, onOutput: (fd, t) => (out += fd === 1 ? t : `[${fd}]${t}`), timeoutMs: 30_000 });
  return { out, status: r.status, message: r.message };
}

/** The function's automatic pars. */
function autoPars(src: string, fnName: string): Extract<TExpr, { kind: "par" }>[] {
  const fn = fnNamed(run(src).result.program, fnName);
  return fn.body.stmts.flatMap((s) => (s.kind === "expr" && s.expr.kind === "par" && s.expr.origin === "auto" ? [s.expr] : []));
}

/** Compiled with and without auto-par, run on 1–4 workers: the same output and the same panic. */
async function sameEitherWay(src: string, expectedStatus: string): Promise<void> {
  const seq = await exec(build(src, false), 1);
  expect(seq.status).toBe(expectedStatus);
  const par = build(src, true);
  for (let i = 0; i < 8; i++) expect(await exec(par, 1 + (i % 4))).toEqual(seq);
}

const panicsAfterLoop = `
fn f() -> i64 {
    let mut i = 0;
    while i < 10 { i = i + 1; }
    panic("x");
}
fn main() { println(f()); }
`;

describe("a group with a diverging member", () => {
  it("keeps the never type on the automatic par that ends a valueless body", async () => {
    const [par] = autoPars(panicsAfterLoop, "f");
    expect(par.branches).toHaveLength(2);
    expect(par.type).toEqual({ kind: "never" });
    expect(par.tail).toMatchObject({ kind: "builtin", op: "unreachable", type: { kind: "never" } });
    await sameEitherWay(panicsAfterLoop, "panic");
  });

  it("panics with the same message when the diverging statement is a never-returning call", async () => {
    const src = `
fn fail(msg: String) -> i64 {
    let mut n = 0;
    for i in 0..1000 { n = (n * 7 + i) % 101; }
    panic(f"{msg} after {n}");
}
fn spin(n: i64) -> i64 {
    let mut acc = 0;
    for i in 0..n { acc = (acc * 31 + i) % 1000003; }
    acc
}
fn g(seed: i64) -> i64 {
    let a = spin(seed * 1000);
    let b = spin(seed * 2000);
    todo("g");
}
fn main() {
    println(spin(5));
    println(g(3));
    println(fail("never"));
}
`;
    const [par] = autoPars(src, "g");
    expect(par.type).toEqual({ kind: "never" });
    await sameEitherWay(src, "panic");
  });

  it("leaves the type of a group whose members all complete as unit", () => {
    const src = `
fn spin(n: i64) -> i64 {
    let mut acc = 0;
    for i in 0..n { acc = (acc * 31 + i) % 1000003; }
    acc
}
fn g(seed: i64) -> i64 {
    let a = spin(seed * 1000);
    let b = spin(seed * 2000);
    a + b
}
fn main() { println(g(3)); }
`;
    const [par] = autoPars(src, "g");
    expect(par.type).toEqual({ kind: "unit" });
    expect(par.tail).toBeUndefined();
  });
});
