import { describe, expect, it } from "vitest";
import { parseArgs, splitTarget, UsageError } from "./args.js";
import { findFunction } from "./commands.js";

describe("parseArgs", () => {
  it("parses run with every option, in both --flag V and --flag=V forms", () => {
    expect(parseArgs(["run", "a.kara", "--workers", "3", "--trace=t.json", "--timeout", "2.5", "--no-auto-par", "--memory-pages=512"])).toEqual({
      kind: "run",
      file: "a.kara",
      workers: 3,
      traceOut: "t.json",
      timeoutSeconds: 2.5,
      autoPar: false,
      memoryPages: 512,
      timings: false,
    });
    expect(parseArgs(["run", "--workers=1", "b.kara", "--timings"])).toEqual({ kind: "run", file: "b.kara", workers: 1, autoPar: true, timings: true });
  });

  it("parses check, build and query", () => {
    expect(parseArgs(["check", "a.kara"])).toEqual({ kind: "check", file: "a.kara", json: false, timings: false });
    expect(parseArgs(["check", "a.kara", "--output=json", "--timings"])).toEqual({ kind: "check", file: "a.kara", json: true, timings: true });
    expect(parseArgs(["fix", "a.kara"])).toEqual({ kind: "fix", file: "a.kara" });
    expect(parseArgs(["build", "a.kara", "-o", "a.wasm", "--wat"])).toEqual({ kind: "build", file: "a.kara", out: "a.wasm", wat: true, timings: false });
    expect(parseArgs(["build", "a.kara", "--timings", "-o=a.wasm"])).toEqual({ kind: "build", file: "a.kara", out: "a.wasm", wat: false, timings: true });
    expect(parseArgs(["query", "effects", "dir/a.kara.main"])).toEqual({ kind: "query", what: "effects", file: "dir/a.kara", fn: "main" });
    expect(parseArgs(["query", "concurrency", "a.kara"])).toEqual({ kind: "query", what: "concurrency", file: "a.kara" });
    expect(parseArgs(["--help"])).toEqual({ kind: "help" });
  });

  const bad: [string[], RegExp][] = [
    [[], /missing command/],
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["run"], /missing FILE/],
    [["run", "a.kara", "b.kara"], /unexpected argument 'b.kara'/],
    [["run", "a.kara", "--workers"], /needs a value/],
    [["run", "a.kara", "--workers", "0"], /whole number/],
    [["run", "a.kara", "--workers", "2x"], /whole number/],
    [["run", "a.kara", "--timeout", "-1"], /positive number/],
    [["run", "a.kara", "--timeout", "soon"], /positive number/],
    [["run", "a.kara", "--fast"], /unknown option '--fast'/],
    [["run", "a.kara", "--no-auto-par=1"], /takes no value/],
    [["run", "a.kara", "--workers=2", "--workers=3"], /given twice/],
    [["check", "a.kara", "--output=xml"], /'json' or 'text'/],
    [["build", "a.kara"], /-o OUT.wasm/],
    [["fix", "a.kara", "--timings"], /unknown option '--timings'/],
    [["query", "types", "a.kara"], /unknown query 'types'/],
    [["query", "effects"], /missing query target/],
    [["query", "effects", "a.kara."], /missing function name/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${JSON.stringify(argv)}`, () => {
      expect(() => parseArgs(argv)).toThrow(UsageError);
      expect(() => parseArgs(argv)).toThrow(message);
    });
  }
});

describe("query targets", () => {
  it("splits FILE.kara.FN at the last .kara.", () => {
    expect(splitTarget("x.kara.kara.f")).toEqual({ file: "x.kara.kara", fn: "f" });
    expect(splitTarget("plain.kara")).toEqual({ file: "plain.kara" });
  });

  it("finds a function in keyed or listed reports", () => {
    expect(findFunction({ main: { a: 1 } }, "main")).toEqual({ a: 1 });
    expect(findFunction({ functions: [{ name: "f", x: 2 }] }, "f")).toEqual({ name: "f", x: 2 });
    expect(findFunction([{ function: "g" }], "g")).toEqual({ function: "g" });
    expect(findFunction({ main: {} }, "toString")).toBeUndefined();
    expect(findFunction(undefined, "main")).toBeUndefined();
  });
});
