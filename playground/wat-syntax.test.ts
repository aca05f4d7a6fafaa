import { describe, expect, it } from "vitest";
import { lineStarts, watTokens } from "./wat-syntax.js";

const kinds = (text: string): [string, string][] => watTokens(text).map((t) => [text.slice(t.from, t.to), t.kind]);

describe("WAT colours", () => {
  it("tells forms, instructions, types, names, numbers, strings and comments apart", () => {
    const text = '(func $f0:work (param $0 i64) (result i64)\n (local.get $0) ;; the seed\n (i64.const -42)\n (i32.load offset=8 (i32.const 0x1F))\n (data (i32.const 8) "a\\"b")\n)';
    expect(kinds(text)).toEqual([
      ["func", "keyword"],
      ["$f0:work", "name"],
      ["param", "keyword"],
      ["$0", "name"],
      ["i64", "type"],
      ["result", "keyword"],
      ["i64", "type"],
      ["local.get", "instr"],
      ["$0", "name"],
      [";; the seed", "comment"],
      ["i64.const", "instr"],
      ["-42", "number"],
      ["i32.load", "instr"],
      ["offset=8", "number"],
      ["i32.const", "instr"],
      ["0x1F", "number"],
      ["data", "keyword"],
      ["i32.const", "instr"],
      ["8", "number"],
      ['"a\\"b"', "string"],
    ]);
  });

  it("a form's word is an instruction where it is not the first in its parentheses", () => {
    expect(kinds("(block $l (br $l) block end)")).toEqual([
      ["block", "keyword"],
      ["$l", "name"],
      ["br", "instr"],
      ["$l", "name"],
      ["block", "instr"],
      ["end", "instr"],
    ]);
  });

  it("tokenises a slice that starts a line, and finds line starts", () => {
    const text = "(module\n (func $a)\n (func $b)\n)";
    const starts = lineStarts(text);
    expect(starts).toEqual([0, 8, 19, 30]);
    expect(watTokens(text, starts[2], starts[3]).map((t) => text.slice(t.from, t.to))).toEqual(["func", "$b"]);
  });
});
