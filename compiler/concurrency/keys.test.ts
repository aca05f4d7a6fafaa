import { describe, expect, it } from "vitest";
import { reportOf } from "./testutil.js";

const shards = `
effect resource Shard[key: i64];
fn put_one(v: i64) writes(Shard[1]) { }
fn put_two(v: i64) writes(Shard[2]) { }
fn read_two() -> i64 reads(Shard[2]) { 0 }
fn put_any(k: i64, v: i64) writes(Shard[k]) { }
fn put_all(v: i64) writes(Shard) { }
`;

const groups = (body: string): { statements: number[]; reason: string }[] =>
  reportOf(`${shards}fn work(x: i64) {\n${body}\n}\nfn main() { work(1); }\n`, "work").parallel_groups.map(({ statements, reason }) => ({ statements, reason }));

describe("keyed resources in automatic parallelisation", () => {
  it("groups writes to distinct literal partitions of one resource", () => {
    expect(groups("    put_one(x);\n    put_two(x);")).toEqual([{ statements: [0, 1], reason: "independent effects on different resources" }]);
  });

  it("a write and a read of different partitions are independent", () => {
    expect(groups("    put_one(x);\n    let y = read_two();\n    println(y);")).toEqual([
      { statements: [0, 1], reason: "independent effects on different resources" },
    ]);
  });

  it("the same literal partition conflicts, and the reason names it", () => {
    const r = reportOf(`${shards}fn work(x: i64) {\n    put_two(x);\n    let y = read_two();\n    println(y);\n}\nfn main() { work(1); }\n`, "work");
    expect(r.parallel_groups).toEqual([]);
    expect(r.serialization_points[0]).toMatchObject({
      statements: [0, 1],
      reason: "writes(Shard[2]) conflicts with reads(Shard[2])",
      resource: "Shard",
      blocking_callees: ["put_two", "read_two"],
      serialized_by: { category: "effect_conflict", resource: "Shard", verbs: ["writes", "reads"] },
    });
  });

  it("a key that is not a literal may be any partition, so it conflicts with every key", () => {
    expect(groups("    put_one(x);\n    put_any(2, x);")).toEqual([]);
    expect(groups("    put_any(3, x);\n    put_any(4, x);")).toEqual([]);
  });

  it("the unkeyed resource (all partitions) conflicts with a keyed one", () => {
    expect(groups("    put_one(x);\n    put_all(x);")).toEqual([]);
  });

  it("a conflict ends the group; later distinct partitions start a new one", () => {
    expect(groups("    put_one(x);\n    put_two(x);\n    put_one(x);\n    put_two(x);")).toEqual([
      { statements: [0, 1], reason: "independent effects on different resources" },
      { statements: [2, 3], reason: "independent effects on different resources" },
    ]);
  });
});
