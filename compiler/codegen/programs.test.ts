// Programs end to end (parse → check → generate → sequential host), each with its exact
// expected stdout in test/programs/<name>.out (panic line included; a panic means exit 1),
// and optionally <name>.stderr and <name>.exit.
// Expected outputs follow the language notes (/work/shared/kara), not this compiler.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run } from "./test/pipeline.js";

const dir = new URL("./test/programs/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".kara"));

describe("programs end to end", () => {
  it("has programs to run", () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });
  for (const f of files) {
    it(f, () => {
      const src = readFileSync(new URL(f, dir), "utf8");
      const expected = readFileSync(new URL(f.replace(/\.kara$/, ".out"), dir), "utf8");
      const r = run(src, { fileName: f });
      expect(r.stdout).toBe(expected);
      const extra = (ext: string) => {
        const u = new URL(f.replace(/\.kara$/, ext), dir);
        return existsSync(u) ? readFileSync(u, "utf8") : undefined;
      };
      expect(r.stderr).toBe(extra(".stderr") ?? "");
      const code = extra(".exit");
      expect(r.exitCode).toBe(code !== undefined ? Number(code.trim()) : /^panic(: | at )/m.test(expected) ? 1 : 0);
    });
  }
});
