// Literal contents rejected by the lexer: NUL characters, U+FFFD (what bytes that are not valid
// UTF-8 decode to), and float literals too large for their type. Messages that quote source
// text escape control characters and stay short.

import { describe, expect, it } from "vitest";
import { parse, SyntaxCodes as C } from "./parser.js";
import { shownSource } from "./quote.js";

const NUL = "\u0000";
const FFFD = "\uFFFD";

function diagnose(body: string): [string, string, number, number][] {
  const src = `fn main() {\n    ${body}\n}\n`;
  const base = src.indexOf(body);
  return parse(src, "t.kara").diagnostics.map((d) => [d.code, d.message, d.span.offset - base, d.span.length]);
}

describe("NUL characters in literals (E0009)", () => {
  it("are rejected in every kind of string and char literal, with the span on the NUL", () => {
    for (const lit of [`"a${NUL}b"`, `"""a${NUL}b"""`, `f"a${NUL}b{1}"`, `b"a${NUL}b"`, `c"a${NUL}b"`]) {
      const d = diagnose(`let s = ${lit};`);
      expect(d.map(([code]) => code), lit).toEqual([C.NulInLiteral]);
      expect(d[0][2]).toBe(`let s = ${lit}`.indexOf(NUL));
      expect(d[0][3]).toBe(1);
    }
    expect(diagnose(`let c = '${NUL}';`).map(([code]) => code)).toEqual([C.NulInLiteral]);
    expect(diagnose(`let c = b'${NUL}';`).map(([code]) => code)).toEqual([C.NulInLiteral]);
  });

  it("the escape `\\0` is still fine", () => {
    expect(diagnose(`let s = "a\\0b"; let c = '\\0';`)).toEqual([]);
  });

  it("a run of NULs is one diagnostic over the run, and the message holds no NUL", () => {
    const d = diagnose(`let s = "x${NUL.repeat(4000)}y${NUL}";`);
    expect(d.map(([code, , off, len]) => [code, off, len])).toEqual([
      [C.NulInLiteral, 10, 4000],
      [C.NulInLiteral, 4011, 1],
    ]);
    for (const [, message] of d) expect(message).not.toContain(NUL);
  });

  it("a NUL outside literals stays a stray character, quoted as an escape", () => {
    const d = diagnose(`let x = 1 ${NUL} 2;`);
    expect(d[0][0]).toBe(C.UnexpectedChar);
    expect(d[0][1]).toBe("unexpected character `\\0`");
  });
});

describe("U+FFFD in literals (E0008)", () => {
  it("is rejected where invalid UTF-8 was replaced, one diagnostic per run", () => {
    const d = diagnose(`let s = "a${FFFD}${FFFD}b${FFFD}";`);
    expect(d.map(([code, , off, len]) => [code, off, len])).toEqual([
      [C.InvalidUtf8, 10, 2],
      [C.InvalidUtf8, 13, 1],
    ]);
    expect(d[0][1]).toContain("not valid UTF-8");
  });

  it("in a byte string it is reported as invalid UTF-8, not also as non-ASCII", () => {
    expect(diagnose(`let b = b"${FFFD}";`).map(([code]) => code)).toEqual([C.InvalidUtf8]);
  });

  it("the escape `\\u{FFFD}` is the way to write the character", () => {
    expect(diagnose(`let s = "\\u{FFFD}";`)).toEqual([]);
  });
});

describe("float literals out of range (E0006)", () => {
  it("overflowing f64 or f32 is an error instead of infinity", () => {
    expect(diagnose("let x = 1e999999;")).toEqual([[C.BadNumber, "float literal `1e999999` is out of range for f64", 8, 8]]);
    expect(diagnose("let y = 1e39f32;")).toEqual([[C.BadNumber, "float literal `1e39f32` is out of range for f32", 8, 7]]);
    expect(diagnose("let y = 1.7976931348623157e308;")).toEqual([]);
    expect(diagnose("let y = 3.4e38f32; let z = 1e-999;")).toEqual([]);
  });
});

describe("source text quoted in messages", () => {
  it("escapes control characters, U+FFFD and bidi overrides, and cuts long text", () => {
    expect(shownSource(`a${NUL}b\n\t${FFFD}\u202e\u0007`)).toBe("a\\0b\\n\\t\\u{FFFD}\\u{202E}\\u{7}");
    expect(shownSource("x".repeat(100), 10)).toBe("xxxxxxxxxx…");
    expect(shownSource("héllo🙂")).toBe("héllo🙂");
  });

  it("a huge number literal is quoted short", () => {
    const d = diagnose(`let x = ${"9".repeat(5000)};`);
    expect(d.map(([code]) => code)).toEqual([C.BadNumber]);
    expect(d[0][1].length).toBeLessThan(100);
  });

  it("an unexpected token shown in a syntax error is escaped", () => {
    const d = diagnose(`let x = 1 "${"\u0007".repeat(50)}";`);
    expect(d.map(([code]) => code)).toEqual([C.MissingSemicolon]);
    expect(d[0][1]).toBe(`expected \`;\`, found \`"${"\\u{7}".repeat(19)}…\``);
  });
});
