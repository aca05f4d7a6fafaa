import { deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeSource, encodeSource, fragmentFor, fromBase64Url, sourceFromHash, toBase64Url } from "./share-codec.js";

const MULTI_BYTE = 'fn main() {\n    // Kāra — ünïcödé, 日本語, emoji 🚀 (astral)\n    println(f"π ≈ {3.14}");\n}\n';

function nodeLink(source: string): string {
  return deflateRawSync(Buffer.from(source, "utf8")).toString("base64url");
}

describe("share codec", () => {
  it("round-trips multi-byte UTF-8", async () => {
    const payload = await encodeSource(MULTI_BYTE);
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
    expect(await decodeSource(payload)).toBe(MULTI_BYTE);
  });

  it("round-trips the empty program and a large one", async () => {
    expect(await decodeSource(await encodeSource(""))).toBe("");
    const big = Array.from({ length: 4000 }, (_, i) => `let x${i} = ${i * 7919}; // ${"é".repeat(i % 13)}`).join("\n");
    expect(await decodeSource(await encodeSource(big))).toBe(big);
  });

  it("decodes a link produced independently with node:zlib", async () => {
    const link = nodeLink(MULTI_BYTE);
    expect(await decodeSource(link)).toBe(MULTI_BYTE);
    expect(await sourceFromHash(`#code=${link}`)).toBe(MULTI_BYTE);
  });

  it("produces payloads node:zlib can inflate", async () => {
    const payload = await encodeSource(MULTI_BYTE);
    expect(inflateRawSync(Buffer.from(payload, "base64url")).toString("utf8")).toBe(MULTI_BYTE);
  });

  it("builds a #code= fragment and reads it back among other fields", async () => {
    const fragment = await fragmentFor("fn main() {}\n");
    expect(fragment.startsWith("#code=")).toBe(true);
    expect(await sourceFromHash(`#v=1&${fragment.slice(1)}&o=2`)).toBe("fn main() {}\n");
  });

  it("returns undefined when the hash carries no code", async () => {
    expect(await sourceFromHash("")).toBeUndefined();
    expect(await sourceFromHash("#other=1")).toBeUndefined();
  });

  it("rejects payloads that are not valid links", async () => {
    await expect(decodeSource("not*base64")).rejects.toThrow();
    await expect(decodeSource(toBase64Url(new Uint8Array([0xff, 0xff, 0xff, 0xff])))).rejects.toThrow();
    // Valid DEFLATE of bytes that are not UTF-8.
    const notUtf8 = deflateRawSync(Buffer.from([0xc3, 0x28])).toString("base64url");
    await expect(decodeSource(notUtf8)).rejects.toThrow();
  });

  it("base64url agrees with Node's encoder for every length mod 3", () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n * 11) & 0xff);
      const ours = toBase64Url(bytes);
      expect(ours).toBe(Buffer.from(bytes).toString("base64url"));
      expect(Array.from(fromBase64Url(ours))).toEqual(Array.from(bytes));
    }
  });
});
