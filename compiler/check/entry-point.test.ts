// A file without `fn main` is a library: checking it runs every check (types, moves, exhaustiveness,
// effects); only a compile that produces a module to run needs `main`, and says so with E0297.

import { describe, expect, it } from "vitest";
import { compile } from "../compile.js";

const LIB = `
effect resource Ledger;
fn post(x: i64) writes(Ledger) { }
pub fn record(x: i64) with writes(Ledger) {
    post(x);
}
`;

const where = (ds: { code: string; severity: string; span: { line: number; column: number } }[]): string[] =>
  ds.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.span.line}:${d.span.column}`);

describe("a file without fn main", () => {
  it("checks cleanly as a library", async () => {
    const r = await compile(LIB, { checkOnly: true });
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.effects).toBeDefined();
  });

  it("still reports type errors when checked", async () => {
    const r = await compile(`${LIB}\nfn half(n: i64) -> i64 { n / 2 }\nfn bad() -> String { half(4) }\n`, { checkOnly: true });
    expect(where(r.diagnostics)).toEqual(["E0200 9:22"]);
  });

  it("still reports moves and non-exhaustive matches when checked", async () => {
    const src = `fn take(v: Vec[i64]) { }\nfn twice() {\n    let v = [1];\n    take(v);\n    take(v);\n}\nfn sign(n: Option[i64]) -> i64 {\n    match n { Some(x) => x }\n}\n`;
    const r = await compile(src, { checkOnly: true });
    expect(where(r.diagnostics)).toEqual(["E0500 5:10", "E0205 8:5"]);
  });

  it("still reports effect errors when checked", async () => {
    const r = await compile(LIB.replace("with writes(Ledger)", "with reads(Ledger)"), { checkOnly: true });
    expect(where(r.diagnostics)).toEqual(["E0400 4:1"]);
  });

  it("cannot be built or run: E0297, with the other errors, and no module", async () => {
    const clean = await compile(LIB);
    expect(where(clean.diagnostics)).toEqual(["E0297 1:1"]);
    expect(clean.ok).toBe(false);
    expect(clean.wasm).toBeUndefined();

    const broken = await compile(`${LIB}\nfn bad() -> String { 1 }\n`);
    expect(where(broken.diagnostics)).toEqual(["E0297 1:1", "E0200 8:22"]);
  });

  it("a program with main builds as before", async () => {
    const r = await compile(`${LIB}\nfn main() { record(1); }\n`);
    expect(where(r.diagnostics)).toEqual([]);
    expect(r.ok).toBe(true);
  });
});
