// Identifier case classes (F2.2): the class depends only on letter case.

import { describe, expect, it } from "vitest";
import { identClass } from "./names.js";
import { where } from "./testutil.js";

describe("identifier case classes", () => {
  it("classifies by letter case", () => {
    const cases: [string, string][] = [
      ["count", "value"],
      ["_unused", "value"],
      ["_", "value"],
      ["x1", "value"],
      ["T", "type"],
      ["T2", "type"],
      ["Point", "type"],
      ["LParen", "type"],
      ["RParen", "type"],
      ["HTTPClient", "type"],
      ["IOError", "type"],
      ["_Hidden", "type"],
      ["MAX", "const"],
      ["MAX_LEN", "const"],
      ["A1B", "const"],
      ["_LIMIT", "const"],
    ];
    expect(cases.map(([n]) => [n, identClass(n)])).toEqual(cases);
  });

  it("accepts variants and types with a run of capitals before lowercase", () => {
    expect(where("enum Tok { Num(i64), LParen, RParen }\nstruct IOError { code: i64 }")).toEqual([]);
  });

  it("still rejects an all-capitals variant and a PascalCase const", () => {
    expect(where("enum Tok { LPAREN, Num(i64) }\nconst MaxLen: i64 = 3;")).toEqual(["E0026 1:12", "E0026 2:7"]);
  });
});
