// The playground's unit tests (`npx vitest run --config playground/vitest.config.ts`).
// They run in Node: the code under test avoids the DOM or receives stand-ins for it.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["playground/**/*.test.ts"],
    pool: "forks",
  },
});
