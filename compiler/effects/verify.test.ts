import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../diagnostics.js";
import { analyze, errors, where } from "./testing.js";

/** Apply each diagnostic's first machine fix to the source (from the end, so offsets stay valid). */
function applyFixes(src: string, ds: Diagnostic[]): string {
  const fixes = ds.flatMap((d) => (d.fixes?.length ? [d.fixes[0]] : [])).sort((a, b) => b.span.offset - a.span.offset);
  let out = src;
  for (const f of fixes) out = out.slice(0, f.span.offset) + f.replacement + out.slice(f.span.offset + f.span.length);
  return out;
}

describe("pub fn verification (E0400)", () => {
  it("a missing effect is reported with its origin", () => {
    const a = analyze(`
effect resource Ledger;
fn post(x: i64) writes(Ledger) { }
pub fn record(x: i64) with reads(Ledger) {
    post(x);
}
fn main() { record(1); }
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0400@4:1"]);
    expect(ds[0].message).toBe("public function 'record' performs writes(Ledger) but does not declare it (via call to 'post' at line 5)");
    // the machine fix appends the missing atom to the clause
    expect(ds[0].fixes?.[0].replacement).toBe(" writes(Ledger)");
    expect(ds[0].fixes?.[0].span.line).toBe(4);
  });

  it("no subsumption: writes does not cover reads", () => {
    const a = analyze(`
effect resource Ledger;
fn look() -> i64 with reads(Ledger) { 1 }
pub fn rw() -> i64 with writes(Ledger) { look() }
fn main() { println(rw()); }
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0400@4:1"]);
    expect(ds[0].message).toContain("performs reads(Ledger) but does not declare it");
  });

  it("a pub fn without a clause lists everything it must declare", () => {
    const a = analyze(`
effect resource Db;
fn load() -> i64 with reads(Db) { 1 }
pub fn ratio(a: i64) -> i64 {
    load() / a
}
fn main() { println(ratio(2)); }
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0400@4:1"]);
    expect(ds[0].message).toBe(
      "public function 'ratio' performs effects [reads(Db), panics] but has no effect declaration. Add: with reads(Db) panics to the function signature",
    );
    expect(ds[0].fixes?.[0].replacement).toBe("with reads(Db) panics ");
  });

  it("applying the machine fixes of E0400 yields a program that verifies", () => {
    const src = `
effect resource Db;
fn load() -> i64 with reads(Db) { 1 }
fn store(x: i64) with writes(Db) { }
pub fn ratio(a: i64) -> i64 {
    load() / a
}
pub fn save(a: i64) with writes(Db) {
    store(a / 2);
    println(load());
}
fn main() { save(ratio(2)); }
`;
    const before = errors(analyze(src).result.diagnostics);
    expect(before.map((d) => d.code)).toEqual(["E0400", "E0400", "E0400"]);
    const fixed = applyFixes(src, before);
    expect(fixed).toContain("pub fn ratio(a: i64) -> i64 with reads(Db) panics {");
    expect(analyze(fixed).result.diagnostics).toEqual([]);
  });

  it("an exact declaration, allocation and a declared-but-unperformed effect are all clean (no E0401)", () => {
    const a = analyze(`
effect resource UserDB;
pub fn noop() writes(UserDB) { }
pub fn build() -> Vec[i64] {
    let mut v: Vec[i64] = Vec.new();
    v.push(1);
    v
}
pub fn div(a: i64, b: i64) -> i64 with panics { a / b }
fn main() { noop(); println(build().len() + div(4, 2)); }
`);
    expect(a.result.diagnostics).toEqual([]);
  });

  it("transparent verbs are never demanded", () => {
    const a = analyze(`
effect resource Ledger;
transparent effect verb traces;
fn t() with traces(Ledger) { }
pub fn api() { t(); }
fn main() { api(); }
`);
    expect(a.result.diagnostics).toEqual([]);
  });

  it("private functions are never verified", () => {
    const a = analyze(`
effect resource Ledger;
fn post() writes(Ledger) { }
fn claims() with reads(Ledger) { post(); }
fn main() { claims(); }
`);
    expect(a.result.diagnostics).toEqual([]);
  });

  it("`with _` is viral: a pub fn calling one must declare `with _` too", () => {
    const src = (clause: string): string => `
effect resource Log;
fn log(x: i64) with writes(Log) { }
pub fn each(f: Fn(i64) -> i64, x: i64) -> i64 with _ { f(x) }
pub fn user() -> i64 ${clause} { each(|x: i64| { log(x); x }, 1) }
fn main() { println(user()); }
`;
    const bad = analyze(src("with writes(Log)"));
    const ds = errors(bad.result.diagnostics);
    expect(where(ds)).toEqual(["E0400@5:1"]);
    expect(ds[0].message).toBe(
      "public function 'user' calls a polymorphic (`with _`) function but does not declare `with _`. Add `with _` to propagate closure effects.",
    );
    const good = analyze(src("with _"));
    expect(good.result.diagnostics).toEqual([]);
    expect(good.result.reportFor("each")).toMatchObject({ declared: ["_"], polymorphic: true });
    // the closure's effects reach the caller of the polymorphic function
    expect(good.result.reportFor("main")).toMatchObject({ inferred: [] });
    expect(good.result.reportFor("user")).toMatchObject({ inferred: ["writes(Log)"] });
  });

  it("E0409: a pub fn touching a module-level let mut", () => {
    const a = analyze(`
let mut TOTAL: i64 = 0;
pub fn add(x: i64) { TOTAL = TOTAL + x; }
fn main() { add(1); println(TOTAL); }
`);
    const ds = errors(a.result.diagnostics);
    expect(where(ds)).toEqual(["E0409@3:1"]);
    expect(ds[0].message).toContain("module-level let mut 'TOTAL' (binding declared at line 2)");
  });
});
