import { describe, expect, it } from "vitest";
import { analyze, errors, inferredOf, pipeline, where } from "./testing.js";

describe("effect groups", () => {
  it("expand to their atoms, including nested groups", () => {
    const a = analyze(`
effect resource Ledger;
effect resource Journal;
effect group journal_io = reads(Journal) + writes(Journal);
effect group bookkeeping = reads(Ledger) + writes(Ledger) + journal_io;
fn settle() with bookkeeping { }
fn main() { settle(); }
`);
    expect(inferredOf(a, "settle")).toEqual(["reads(Journal)", "reads(Ledger)", "writes(Journal)", "writes(Ledger)"]);
    expect(a.result.reportFor("settle")).toMatchObject({ declared: ["bookkeeping"] });
    expect(errors(a.result.diagnostics)).toEqual([]);
  });

  it("E0402: a cycle of groups is reported once", () => {
    const a = analyze(`
effect resource Ledger;
effect group first = reads(Ledger) + second;
effect group second = writes(Ledger) + first;
fn main() { }
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0402@3:1"]);
    expect(ds[0].message).toBe("circular effect group reference: 'first'");
  });

  it("E0403: a group naming an undefined group", () => {
    const a = analyze(`
effect resource Ledger;
effect group io = reads(Ledger) + nowhere;
fn main() { }
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0403@3:35"]);
    expect(ds[0].message).toBe("undefined effect group: 'nowhere'");
  });

  it("E0100: a group naming an undefined resource", () => {
    const a = analyze(`
effect group io = reads(Missing);
fn main() { }
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0100@2:25"]);
    expect(ds[0].message).toContain("undefined effect resource 'Missing'; declare `effect resource Missing;`");
  });

  it("an undefined resource in a function clause is rejected (E0100) by the pipeline exactly once", () => {
    const ds = errors(pipeline(`
fn f() with reads(Nowhere) { }
fn main() { f(); }
`));
    expect(where(ds)).toEqual(["E0100@2:19"]);
    expect(ds[0].message).toContain("undefined effect resource 'Nowhere'");
  });
});

describe("resources and verbs", () => {
  it("built-in resources need no declaration", () => {
    const a = analyze(`
fn io() with reads(FileSystem) writes(Stdout) reads(Clock) reads(Env) sends(Network) reads(RandomSource) allocates(Heap) writes(Hardware) reads(Stdin) writes(Stderr) { }
fn main() { io(); }
`);
    expect(errors(a.result.diagnostics)).toEqual([]);
    expect(inferredOf(a, "io")).toHaveLength(10);
  });

  it("execution verbs are bare atoms; several resources in one verb give several atoms", () => {
    const a = analyze(`
effect resource A;
effect resource B;
fn f() with reads(A, B) panics blocks suspends { }
fn main() { f(); }
`);
    expect(inferredOf(a, "f")).toEqual(["reads(A)", "reads(B)", "panics", "blocks", "suspends"]);
  });

  it("a parameterised resource may be declared and used whole", () => {
    const a = analyze(`
effect resource Shard[key: i64];
fn rebalance() with writes(Shard) { }
fn main() { rebalance(); }
`);
    expect(errors(a.result.diagnostics)).toEqual([]);
    expect(inferredOf(a, "main")).toEqual(["writes(Shard)"]);
  });

  it("an undeclared user verb is an undefined name (E0100)", () => {
    const a = analyze(`
effect resource Ledger;
fn f() with audits(Ledger) { }
fn main() { f(); }
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0100@3:13"]);
    expect(ds[0].message).toContain("undefined effect verb 'audits'");
  });

  it("reserved resource names are rejected (E0114)", () => {
    const a = analyze(`
effect resource CompileTimeEnv;
fn main() { }
`);
    expect(where(errors(a.result.diagnostics))).toEqual(["E0114@2:1"]);
  });
});
