import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["compiler/**/*.test.ts", "wasm-runtime/**/*.test.ts", "cli/**/*.test.ts", "playground/**/*.test.ts", "bench/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
