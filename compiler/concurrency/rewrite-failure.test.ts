// A rewrite that fails is a compiler bug: in strict mode (the test suites) it is thrown, so it
// cannot hide as a silent slowdown; otherwise the user keeps the sequential function.

import { describe, expect, it, vi } from "vitest";
import { readFileSync } from "node:fs";
import { analyzeEffects } from "../effects/index.js";
import { parallelize } from "./index.js";
import { checked, fnNamed } from "./testutil.js";

// The lifting step fails whenever `failLifting` is set.
let failLifting = false;
vi.mock("./transform.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("./transform.js")>();
  return {
    ...real,
    liftGroups: (...args: Parameters<typeof real.liftGroups>) => {
      if (failLifting) throw new Error("lifting failed");
      return real.liftGroups(...args);
    },
  };
});

const dashboard = readFileSync(new URL("../../examples/chapter/build_dashboard.kara", import.meta.url), "utf8");

function attempt(strict: boolean | undefined) {
  const program = checked(dashboard);
  failLifting = true;
  try {
    return { program, result: parallelize(program, analyzeEffects(program), { autoPar: true, strict }) };
  } finally {
    failLifting = false;
  }
}

describe("a failed automatic-parallelisation rewrite", () => {
  it("throws, naming the function, in strict mode", () => {
    expect(() => attempt(true)).toThrow("automatic parallelisation of build_dashboard failed: lifting failed");
  });

  it("is strict by default under the test suites' environment", () => {
    expect(process.env.KARA_STRICT_REWRITES).toBe("1");
    expect(() => attempt(undefined)).toThrow("lifting failed");
  });

  it("keeps the sequential function and reports no dispatch otherwise", () => {
    const { program, result } = attempt(false);
    const before = fnNamed(program, "build_dashboard");
    const after = fnNamed(result.program, "build_dashboard");
    expect(after.body).toEqual(before.body);
    expect(result.program.functions).toHaveLength(program.functions.length);
    const r = result.reportFor("build_dashboard") as { parallel_groups: { dispatched: boolean }[] };
    expect(r.parallel_groups.map((g) => g.dispatched)).toEqual([false]);
  });

  it("rewrites normally when lifting succeeds", () => {
    const program = checked(dashboard);
    const result = parallelize(program, analyzeEffects(program), { autoPar: true, strict: true });
    const r = result.reportFor("build_dashboard") as { parallel_groups: { dispatched: boolean }[] };
    expect(r.parallel_groups.map((g) => g.dispatched)).toEqual([true]);
  });
});
