import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["compiler/**/*.test.ts", "wasm-runtime/**/*.test.ts", "cli/**/*.test.ts", "playground/**/*.test.ts", "bench/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // A failed automatic-parallelisation rewrite throws instead of quietly keeping the sequential code.
    // The typed program is checked against its invariants after every phase (compiler/tir/verify.ts).
    env: { KARA_STRICT_REWRITES: "1", KARA_VERIFY_TIR: "1" },
  },
});
