import { describe, expect, it } from "vitest";
import { fileNameProblem, ProgramTabs } from "./program-tabs.js";
import { filesFromHash, programPayload, shareFragment } from "./share-files.js";
import { sourceFromHash } from "./share-codec.js";

describe("program tabs", () => {
  it("keeps main.kara first and the active file's text", () => {
    const tabs = new ProgramTabs([{ name: "util.kara", text: "u" }, { name: "main.kara", text: "m" }]);
    expect(tabs.files.map((f) => f.name)).toEqual(["main.kara", "util.kara"]);
    tabs.select(1);
    expect(tabs.program("edited")).toEqual([{ name: "main.kara", text: "m" }, { name: "util.kara", text: "edited" }]);
    tabs.setActiveText("kept");
    tabs.select(0);
    expect(tabs.files[1].text).toBe("kept");
  });

  it("adds, renames and removes modules but never the root", () => {
    const tabs = new ProgramTabs([{ name: "main.kara", text: "fn main() {}" }]);
    const added = tabs.add();
    expect(tabs.active).toBe(added);
    expect(tabs.rename(added, "geo/shapes")).toBeUndefined();
    expect(tabs.files[added].name).toBe("geo/shapes.kara");
    expect(tabs.rename(added, "Shapes.kara")).toMatch(/snake_case/);
    expect(tabs.rename(added, "main.kara")).toMatch(/root/);
    expect(tabs.rename(0, "start.kara")).toMatch(/keeps its name/);
    tabs.remove(0);
    expect(tabs.files).toHaveLength(2);
    tabs.remove(added);
    expect(tabs.files.map((f) => f.name)).toEqual(["main.kara"]);
    expect(tabs.active).toBe(0);
  });

  it("refuses a name another file has", () => {
    const files = [{ name: "main.kara", text: "" }, { name: "util.kara", text: "" }, { name: "b.kara", text: "" }];
    expect(fileNameProblem("util.kara", files, 2)).toMatch(/already/);
    expect(fileNameProblem("util.kara", files, 1)).toBeUndefined();
  });
});

describe("share links of several files", () => {
  const files = [{ name: "main.kara", text: "import util.{f};\nfn main() { println(f()); }\n" }, { name: "util.kara", text: "pub fn f() -> String { \"ā\" }\n" }];

  it("keeps the official `#code=` format for one file", async () => {
    const { fragment } = await shareFragment([files[0]]);
    expect(fragment.startsWith("#code=")).toBe(true);
    expect(await sourceFromHash(fragment)).toBe(files[0].text);
    expect(await filesFromHash(fragment)).toEqual([files[0]]);
  });

  it("carries every file in `#files=` and reads them back in order", async () => {
    const { fragment, payload } = await shareFragment(files);
    expect(fragment).toBe(`#files=${payload}`);
    expect(programPayload(fragment)).toBe(payload);
    expect(await filesFromHash(fragment)).toEqual(files);
    // The official playground reads only `code=`: a `files=` link carries none.
    expect(await sourceFromHash(fragment)).toBeUndefined();
  });

  it("rejects a `files=` payload that is not a list of [name, text]", async () => {
    const { payload } = await shareFragment([{ name: "main.kara", text: "x" }]);
    await expect(filesFromHash(`#files=${payload}`)).rejects.toThrow();
    expect(await filesFromHash("#other=1")).toBeUndefined();
  });
});
