import { describe, expect, it } from "vitest";
import { parseArgs } from "./args.js";
import { bytesToPages, maxMemoryPages, parseByteSize } from "./memory-size.js";

describe("memory sizes", () => {
  it("reads bytes and binary K, M, G units, with an optional B or iB", () => {
    expect(parseByteSize("65536")).toBe(65536);
    expect(parseByteSize("512M")).toBe(512 * 1024 ** 2);
    expect(parseByteSize("2G")).toBe(2 * 1024 ** 3);
    expect(parseByteSize("64k")).toBe(65536);
    expect(parseByteSize("512MiB")).toBe(512 * 1024 ** 2);
    expect(parseByteSize("1.5G")).toBe(1.5 * 1024 ** 3);
    for (const bad of ["", "M", "-1M", "2T", "lots", "1e9"]) expect(parseByteSize(bad)).toBeUndefined();
  });

  it("rounds up to whole 64 KiB pages", () => {
    expect(bytesToPages(65536)).toBe(1);
    expect(bytesToPages(65537)).toBe(2);
    expect(maxMemoryPages("512M")).toEqual({ pages: 8192 });
    expect(maxMemoryPages("4G")).toEqual({ pages: 65536 });
  });

  it("refuses limits outside what a module's memory can be", () => {
    expect(maxMemoryPages("1M")).toEqual({ error: "--max-memory must be from 4M to 4G, got '1M'" });
    expect(maxMemoryPages("5G")).toEqual({ error: "--max-memory must be from 4M to 4G, got '5G'" });
    expect(maxMemoryPages("big")).toHaveProperty("error");
  });

  it("kara run --max-memory sets the growth limit in pages; --memory-pages stays the starting size", () => {
    expect(parseArgs(["run", "a.kara", "--max-memory", "2G", "--memory-pages", "128"])).toMatchObject({ maxMemoryPages: 32768, memoryPages: 128 });
    expect(parseArgs(["run", "a.kara", "--max-memory=100000000"])).toMatchObject({ maxMemoryPages: 1526 });
    expect(() => parseArgs(["run", "a.kara", "--max-memory", "2X"])).toThrow(/--max-memory needs a size such as 512M/);
  });
});
