import { StringStream } from "@codemirror/language";
import { describe, expect, it } from "vitest";
import { karaParser, type KaraState } from "./kara-language.js";

/** [text, style] for every non-blank token of a multi-line source. */
function tokens(source: string): Array<[string, string | null]> {
  const state: KaraState = karaParser.startState!(4);
  const out: Array<[string, string | null]> = [];
  for (const line of source.split("\n")) {
    const stream = new StringStream(line, 4, 4);
    while (!stream.eol()) {
      const style = karaParser.token(stream, state);
      const text = stream.current();
      if (text.length === 0) throw new Error(`no progress at ${stream.pos} in ${JSON.stringify(line)}`);
      if (text.trim() !== "") out.push([text, style]);
      stream.start = stream.pos;
    }
  }
  return out;
}

const styleOf = (source: string, text: string): string | null | undefined => tokens(source).find(([t]) => t === text)?.[1];

describe("Kāra highlighting", () => {
  it("treats `test` as a keyword only where it opens a test block", () => {
    expect(styleOf('test "adds" { assert(true); }', "test")).toBe("keyword");
    expect(styleOf("let test = square(4);", "test")).toBe("variableName");
  });

  it("classifies keywords, types, functions and literals", () => {
    const src = "fn main() -> i64 { let mut x = 0x1F_u8; while true { par { bump(counter); } } Self.new(1.5e-3f64) }";
    expect(styleOf(src, "fn")).toBe("keyword");
    expect(styleOf(src, "let")).toBe("keyword");
    expect(styleOf(src, "while")).toBe("controlKeyword");
    expect(styleOf(src, "par")).toBe("keyword");
    expect(styleOf(src, "true")).toBe("bool");
    expect(styleOf(src, "Self")).toBe("self");
    expect(styleOf(src, "bump")).toBe("variableName.function");
    expect(styleOf(src, "counter")).toBe("variableName");
    expect(styleOf(src, "0x1F_u8")).toBe("number");
    expect(styleOf(src, "1.5e-3f64")).toBe("number");
    expect(styleOf(src, "i64")).toBe("variableName");
  });

  it("keeps a range as two numbers around an operator", () => {
    expect(tokens("1..=9")).toEqual([
      ["1", "number"],
      ["..=", "operator"],
      ["9", "number"],
    ]);
  });

  it("highlights f-string holes as code, including nested strings and braces", () => {
    const toks = tokens('println(f"{label}: {f("x")} {w * h} \\{lit\\}");');
    expect(toks).toContainEqual(['f"', "string.special"]);
    expect(toks).toContainEqual(["label", "variableName"]);
    expect(toks).toContainEqual(['"', "string"]); // the nested string's quotes
    expect(toks).toContainEqual(["x", "string"]);
    expect(toks).toContainEqual(["*", "operator"]);
    expect(toks).toContainEqual(["\\{", "escape"]);
    // The f-string closed again and code resumes.
    expect(toks.slice(-3)).toEqual([
      ['"', "string"],
      [")", "bracket"],
      [";", "punctuation"],
    ]);
  });

  it("treats braces in plain strings as text", () => {
    expect(tokens('"x={x}" y')).toEqual([
      ['"', "string"],
      ["x={x}", "string"],
      ['"', "string"],
      ["y", "variableName"],
    ]);
  });

  it("nests block comments across lines", () => {
    const toks = tokens("/* a /* b */\n still */ fn");
    expect(toks.slice(0, -1).every(([, s]) => s === "blockComment")).toBe(true);
    expect(toks[toks.length - 1]).toEqual(["fn", "keyword"]);
  });

  it("carries triple-quoted strings across lines", () => {
    const toks = tokens('let s = """line "one"\nline two""" ; x');
    expect(toks).toContainEqual(['line "one"', "string"]);
    expect(toks).toContainEqual(["line two", "string"]);
    expect(toks[toks.length - 1]).toEqual(["x", "variableName"]);
  });

  it("marks comments, doc comments and reserved words", () => {
    expect(styleOf("x // note", "// note")).toBe("lineComment");
    expect(styleOf("/// doc", "/// doc")).toBe("docComment");
    expect(styleOf("async", "async")).toBe("invalid");
    expect(styleOf("MAX_SIDE", "MAX_SIDE")).toBe("variableName.constant");
  });
});

describe("Kāra indentation", () => {
  function indentAfter(source: string, textAfter = ""): number | null {
    const state: KaraState = karaParser.startState!(4);
    for (const line of source.split("\n")) {
      const stream = new StringStream(line, 4, 4);
      while (!stream.eol()) {
        karaParser.token(stream, state);
        stream.start = stream.pos;
      }
    }
    return karaParser.indent!(state, textAfter, { unit: 4, lineIndent: () => 0, simulatedBreak: null } as never);
  }

  it("indents one unit per open bracket and dedents a closing one", () => {
    expect(indentAfter("fn main() {")).toBe(4);
    expect(indentAfter("fn main() {\n    par {")).toBe(8);
    expect(indentAfter("fn main() {\n    par {", "}")).toBe(4);
    expect(indentAfter("fn main() {\n    f(1, [2,")).toBe(12);
    expect(indentAfter("fn main() {\n}")).toBe(0);
  });

  it("ignores brackets inside strings and comments", () => {
    expect(indentAfter('fn main() { let s = "{{{"; // (((')).toBe(4);
    expect(indentAfter("/* {")).toBeNull();
  });
});
