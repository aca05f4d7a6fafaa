import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { analyze, inferredOf } from "./testing.js";

const dir = fileURLToPath(new URL("../../examples/chapter/", import.meta.url));
const source = (name: string): string => readFileSync(dir + name, "utf8");

describe("chapter programs", () => {
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".kara"))) {
    it(`${name} passes the effect phase without diagnostics`, () => {
      expect(analyze(source(name)).result.diagnostics).toEqual([]);
    });
  }

  it("build_dashboard: each fetch touches its own resource; the dashboard touches all three", () => {
    const a = analyze(source("build_dashboard.kara"));
    expect(inferredOf(a, "fetch_profile")).toEqual(["reads(UserDB)", "panics"]);
    expect(inferredOf(a, "fetch_orders")).toEqual(["reads(OrderDB)", "panics"]);
    expect(inferredOf(a, "fetch_analytics")).toEqual(["reads(Analytics)", "panics"]);
    expect(inferredOf(a, "build_dashboard")).toEqual(["reads(Analytics)", "reads(OrderDB)", "reads(UserDB)", "panics"]);
    expect(a.result.reportFor("build_dashboard")).toMatchObject({ declared: ["reads(UserDB)", "reads(OrderDB)", "reads(Analytics)"] });
    expect(inferredOf(a, "Dashboard.new")).toEqual([]);
  });

  it("task_group: the task's effects reach main; par_counter performs nothing", () => {
    expect(inferredOf(analyze(source("task_group.kara")), "main")).toEqual(["allocates(Heap)"]);
    expect(inferredOf(analyze(source("par_counter.kara")), "main")).toEqual([]);
  });
});
