import { describe, expect, it } from "vitest";
import { applyFixes } from "../fixes.js";
import { analyze, errors, pipeline, where } from "./testing.js";

const store = (methods: string): string => `
trait Store {
${methods}
}
effect resource Db: Store;
fn main() { }
`;

describe("E0412: provider receivers against their clauses", () => {
  it("`mut ref self` with a clause naming the resource but not writing it", () => {
    const src = store("    fn put(mut ref self, v: i64) with reads(Db);");
    const ds = errors(analyze(src).result.diagnostics);
    expect(where(ds)).toEqual(["E0412@3:5"]);
    expect(ds[0].message).toBe(
      "trait method 'Store.put' of provider resource 'Db' takes `mut ref self`, which implies writes(Db), but its clause names Db without writes(Db); change the receiver to `ref self` or declare writes(Db)",
    );
    // the machine fix declares the write the receiver implies; the fixed program is clean
    expect(ds[0].fixes?.[0]).toMatchObject({ replacement: " writes(Db)", span: { line: 3, column: 48, length: 0 } });
    const fixed = applyFixes(src, ds).source;
    expect(fixed).toContain("fn put(mut ref self, v: i64) with reads(Db) writes(Db);");
    expect(errors(pipeline(fixed))).toEqual([]);
  });

  it("a consuming `self` receiver implies the write too", () => {
    const ds = errors(analyze(store("    fn close(self) -> i64 with reads(Db) panics;")).result.diagnostics);
    expect(where(ds)).toEqual(["E0412@3:5"]);
    expect(ds[0].message).toContain("takes `self`, which implies writes(Db)");
    expect(ds[0].fixes?.[0].replacement).toBe(" writes(Db)");
  });

  it("one diagnostic per contradicting method, in declaration order", () => {
    const ds = errors(
      analyze(store("    fn a(mut ref self) with reads(Db);\n    fn b(ref self) -> i64 with reads(Db);\n    fn c(self) with reads(Db);")).result.diagnostics,
    );
    expect(where(ds)).toEqual(["E0412@3:5", "E0412@5:5"]);
  });

  it("near misses: a `ref self` reader, a declared write, a clause not naming the resource", () => {
    const src = store(
      [
        "    fn get(ref self) -> i64 with reads(Db);",
        "    fn set(mut ref self, v: i64) with reads(Db) writes(Db);",
        "    fn bump(mut ref self) with panics;",
        "    fn reset(mut ref self);",
      ].join("\n"),
    );
    expect(errors(pipeline(src))).toEqual([]);
  });

  it("only traits that bound a resource are checked", () => {
    const src = `
effect resource Db;
trait Plain {
    fn put(mut ref self, v: i64) with reads(Db);
}
fn main() { }
`;
    expect(errors(pipeline(src))).toEqual([]);
  });

  it("a trait bounding two resources is checked against each", () => {
    const src = `
trait Store {
    fn put(mut ref self, v: i64) with reads(Primary) reads(Replica) writes(Replica);
}
effect resource Primary: Store;
effect resource Replica: Store;
fn main() { }
`;
    const ds = errors(analyze(src).result.diagnostics);
    expect(where(ds)).toEqual(["E0412@3:5"]);
    expect(ds[0].message).toContain("of provider resource 'Primary'");
  });

  it("a group in the clause is expanded before the check", () => {
    const src = `
effect group db_read = reads(Db);
effect group db_rw = reads(Db) + writes(Db);
trait Store {
    fn put(mut ref self, v: i64) with db_read;
    fn set(mut ref self, v: i64) with db_rw;
}
effect resource Db: Store;
fn main() { }
`;
    expect(where(errors(analyze(src).result.diagnostics))).toEqual(["E0412@5:5"]);
  });
});
