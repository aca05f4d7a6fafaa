import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { BUILTIN_REGISTRY } from "./builtins.js";
import { renderLibraryDoc } from "./library-doc.js";

describe("docs/library.md", () => {
  it("is what the builtin registry renders (run `npm run docs:library` after changing the table)", () => {
    const onDisk = readFileSync(new URL("../../docs/library.md", import.meta.url), "utf8");
    expect(onDisk).toBe(renderLibraryDoc());
  });

  it("documents every op once", () => {
    const doc = renderLibraryDoc();
    for (const op of BUILTIN_REGISTRY.ops()) expect(doc.split(`| \`${op}\` |`).length - 1, op).toBe(1);
  });

  it("changes when the table changes", () => {
    const extended = BUILTIN_REGISTRY.with({ "vec.scramble": { receiver: "mut", sig: "v.scramble()", doc: "Shuffles in place." } });
    expect(renderLibraryDoc(extended)).toContain("| `v.scramble()` | mut |  |  | Shuffles in place. | `vec.scramble` |");
  });
});
