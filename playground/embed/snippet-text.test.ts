import { describe, expect, it } from "vitest";
import { snippetSource } from "./snippet-text.js";

describe("snippetSource", () => {
  it("drops the framing blank lines and the common indentation", () => {
    expect(snippetSource("\n    fn main() {\n        println(1);\n    }\n  ")).toBe("fn main() {\n    println(1);\n}\n");
  });
  it("keeps relative indentation and blank lines inside", () => {
    expect(snippetSource("  a\n\n    b\n")).toBe("a\n\n  b\n");
  });
  it("handles empty text and CRLF", () => {
    expect(snippetSource("  \n ")).toBe("");
    expect(snippetSource("x\r\ny")).toBe("x\ny\n");
  });
});
