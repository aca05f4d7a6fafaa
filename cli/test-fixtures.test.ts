// `#[with_provider(R, ctor)]` on test blocks under the real `kara test`: each fixture binds a fresh
// provider for its test, several stack with the first outermost, an inner scope still shadows
// them, and a test without one has no provider bound.

import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureCliBuilt, kara } from "./testing/kara-process.js";

const program = join(import.meta.dirname, "../compiler/tests/programs/providers/test_fixtures.kara");

beforeAll(ensureCliBuilt);

describe("kara test with provider fixtures", () => {
  it("binds each test's fixtures around its body", async () => {
    const r = await kara(["test", program, "--workers", "2"]);
    const events = r.stdout
      .trim()
      .split("\n")
      .map((line) => {
        const e = JSON.parse(line) as Record<string, unknown>;
        delete e.duration_ms;
        return e;
      });
    expect(r.code).toBe(1);
    expect(events).toEqual([
      { type: "run_start", total_tests: 4 },
      { type: "test_pass", test: "both fixtures are bound" },
      { type: "test_pass", test: "an inner scope shadows a fixture" },
      { type: "test_pass", test: "each test gets a fresh provider" },
      {
        type: "test_fail",
        test: "without a fixture nothing is bound",
        location: { file: program, line: 44, col: 15 },
        message: "no provider bound for resource 'Ids'; call `with_provider[Ids](..., || { ... })` to scope one",
      },
      { type: "summary", total: 4, passed: 3, failed: 1, skipped: 0 },
    ]);
  }, 120_000);
});
