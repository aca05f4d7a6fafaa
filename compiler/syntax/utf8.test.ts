// Decoding source bytes: valid UTF-8 passes unchanged, each invalid sequence is reported at
// the line and column of the U+FFFD it becomes.

import { describe, expect, it } from "vitest";
import { decodeSource, invalidSequences, MAX_REPORTED } from "./utf8.js";
import { SyntaxCodes } from "./codes.js";

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...new TextEncoder().encode(p)] : p)));

describe("decodeSource", () => {
  it("passes valid UTF-8 through, keeping a byte order mark", () => {
    const text = '\uFEFFfn main() {\n    println("é ✓ 😀 \uFFFD");\n}\n';
    const r = decodeSource(new TextEncoder().encode(text));
    expect(r.diagnostics).toEqual([]);
    expect(r.text).toBe(text);
  });

  it("reports a stray byte at its line and column", () => {
    const r = decodeSource(bytes("fn main() {\n    let s = \"a", [0xff], 'b";\n}\n'));
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0];
    expect(d.code).toBe(SyntaxCodes.InvalidUtf8);
    expect(d.severity).toBe("error");
    expect(d.message).toBe("invalid UTF-8: byte 0xFF cannot start a character");
    expect(d.span).toMatchObject({ line: 2, column: 15, length: 1 });
    expect(d.notes?.[0]).toContain("byte offset 26");
    expect(r.text.slice(d.span.offset, d.span.offset + 1)).toBe("\uFFFD");
  });

  it("counts columns in the decoded text after multi-byte and astral characters", () => {
    const r = decodeSource(bytes("é😀", [0xc3], "x\né", [0xe2, 0x82]));
    expect(r.diagnostics.map((d) => [d.span.line, d.span.column, d.message])).toEqual([
      [1, 4, "invalid UTF-8: byte 0xC3 is not a complete character"],
      [2, 2, "invalid UTF-8: bytes 0xE2 0x82 are not a complete character"],
    ]);
  });

  it("splits sequences as TextDecoder does: overlong forms, surrogates, values above U+10FFFF", () => {
    expect(invalidSequences(bytes([0xc0, 0x80]))).toEqual([
      { byteOffset: 0, byteLength: 1, textOffset: 0 },
      { byteOffset: 1, byteLength: 1, textOffset: 1 },
    ]);
    expect(invalidSequences(bytes([0xed, 0xa0, 0x80])).map((s) => s.byteOffset)).toEqual([0, 1, 2]);
    expect(invalidSequences(bytes([0xf4, 0x90, 0x80, 0x80])).map((s) => s.byteOffset)).toEqual([0, 1, 2, 3]);
    expect(invalidSequences(bytes([0xf0, 0x9f, 0x98, 0x41]))).toEqual([{ byteOffset: 0, byteLength: 3, textOffset: 0 }]);
  });

  it("agrees with TextDecoder on random bytes: one report per U+FFFD, each at a U+FFFD", () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    // Bytes biased towards UTF-8 lead and continuation bytes, so sequences break in every way.
    const pool = [0x41, 0x0a, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    for (let round = 0; round < 300; round++) {
      const input = Uint8Array.from({ length: 1 + (random() % 24) }, () => (random() & 1 ? pool[random() % pool.length] : random()));
      const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(input);
      const found = invalidSequences(input);
      expect(found.length).toBe([...text].filter((c) => c === "\uFFFD").length);
      for (const s of found) expect(text[s.textOffset]).toBe("\uFFFD");
    }
  });

  it("reports at most MAX_REPORTED sequences and says how many more there are", () => {
    const r = decodeSource(new Uint8Array(MAX_REPORTED + 5).fill(0xff));
    expect(r.diagnostics).toHaveLength(MAX_REPORTED);
    expect(r.diagnostics[MAX_REPORTED - 1].notes).toContain("5 more invalid byte sequences not shown");
  });
});
