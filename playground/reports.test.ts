import { describe, expect, it } from "vitest";
import { concurrencyMarkers, mergeMarkers, readConcurrency, readEffects, traceMarkers } from "./reports.js";

const spans = (...lines: number[]) => lines.map((line) => ({ file: "main.kara", line, column: 5 }));

const concurrency = {
  file: "main.kara",
  functions: [
    {
      function: "build",
      statement_spans: spans(10, 11, 12, 13),
      parallel_groups: [{ statements: [0, 1, 2], reason: "independent reads on different resources", dispatched: true }],
      loop_reductions: [],
    },
    {
      function: "main",
      statement_spans: spans(20, 21, 22),
      parallel_groups: [{ statements: [1, 2], reason: "pure computations", dispatched: false }],
      loop_reductions: [{ statement: 0, loop_line: 20, accumulator: "sum", op: "+=", fanned_out: true, reason: "" }],
      serialization_points: [{ statements: [0, 1], reason: "writes(Log) conflicts with writes(Log)" }, { statements: [0, 9], reason: "bad index" }],
    },
  ],
};

describe("reports", () => {
  it("reads declared and inferred effects, keeping 'no clause' apart from an empty clause", () => {
    const rows = readEffects({
      functions: [
        { function: "f", declared: ["reads(DB)"], inferred: ["reads(DB)", "panics"], pub: true },
        { function: "g", declared: null, inferred: [] },
        { declared: [] },
        "junk",
      ],
    });
    expect(rows).toEqual([
      { name: "f", declared: ["reads(DB)"], inferred: ["reads(DB)", "panics"], pub: true, providerScopes: [] },
      { name: "g", declared: null, inferred: [], pub: false, providerScopes: [] },
    ]);
    expect(readEffects(undefined)).toEqual([]);
  });

  it("reads each provider scope's stack, skipping malformed scopes and frames", () => {
    const frame = (resource: string, provider: string, line: number, shadowed: boolean) => ({ resource, provider, line, column: 5, shadowed });
    const [main] = readEffects({
      functions: [
        {
          function: "main",
          declared: null,
          inferred: [],
          provider_scopes: [
            { line: 3, column: 5, bindings: [], stack: [frame("Clock", "Real", 3, true), frame("Clock", "Fake", 4, false), { resource: "Ids" }] },
            { line: 9, bindings: [] },
            "junk",
          ],
        },
      ],
    });
    expect(main.providerScopes).toEqual([
      {
        line: 3,
        stack: [
          { resource: "Clock", provider: "Real", line: 3, shadowed: true },
          { resource: "Clock", provider: "Fake", line: 4, shadowed: false },
        ],
      },
    ]);
  });

  it("maps group members to source lines through the statement spans", () => {
    const view = readConcurrency(concurrency);
    const one = (line: number) => ({ line, endLine: line });
    expect(view.groups).toEqual([
      { fn: "build", lines: [10, 11, 12], ranges: [one(10), one(11), one(12)], reason: "independent reads on different resources", dispatched: true },
      { fn: "main", lines: [21, 22], ranges: [one(21), one(22)], reason: "pure computations", dispatched: false },
    ]);
    expect(view.reductions).toEqual([{ fn: "main", line: 20, endLine: 20, accumulator: "sum", op: "+=", fannedOut: true, reason: "" }]);
    expect(view.serializations).toEqual([{ fn: "main", lines: [20, 21], reason: "writes(Log) conflicts with writes(Log)" }]);
  });

  it("marks only what runs concurrently, naming the other members and the reason", () => {
    const markers = concurrencyMarkers(readConcurrency(concurrency));
    expect(markers.map((m) => m.line)).toEqual([10, 11, 12, 20]);
    expect(markers[0].text).toBe("Runs in parallel with lines 11, 12 (in build): independent reads on different resources");
    expect(markers[3].text).toContain("`sum +=` reduction");
    // The sequential group on lines 21-22 gets no marker.
    expect(markers.some((m) => m.line === 21)).toBe(false);
  });

  it("extends each statement over its lines through the end offsets, given the source", () => {
    const source = ["fn main() {", "    let a = f(", "        1,", "    );", "    let b = g(2);", "    while x {", "        y();", "    }", "}", ""].join("\n");
    const at = (text: string) => source.indexOf(text);
    const stmt = (start: string, end: string, line: number) => ({ file: "m.kara", line, column: 5, offset: at(start), end_offset: at(end) + end.length });
    const report = {
      functions: [
        {
          function: "main",
          statement_spans: [stmt("let a", "    );", 2), stmt("let b", "g(2);", 5), stmt("while", "y();\n    }", 6)],
          parallel_groups: [{ statements: [0, 1], reason: "pure computations", dispatched: true }],
          loop_reductions: [{ statement: 2, loop_line: 6, accumulator: "s", op: "+=", fanned_out: true, reason: "" }],
        },
      ],
    };
    const view = readConcurrency(report, source);
    expect(view.groups[0].ranges).toEqual([{ line: 2, endLine: 4 }, { line: 5, endLine: 5 }]);
    expect(view.reductions[0]).toMatchObject({ line: 6, endLine: 8 });
    expect(concurrencyMarkers(view).map(({ line, endLine }) => [line, endLine])).toEqual([[2, 4], [5, 5], [6, 8]]);
    // Without the source, or with a source the offsets do not fit, only the first lines are known.
    expect(readConcurrency(report).groups[0].ranges).toEqual([{ line: 2, endLine: 2 }, { line: 5, endLine: 5 }]);
    expect(readConcurrency(report, "fn main() {}\n").groups[0].ranges).toEqual([{ line: 2, endLine: 2 }, { line: 5, endLine: 5 }]);
  });

  it("in a program of several files, marks each statement in its own file, over its lines there", () => {
    const texts: Record<string, string> = { "main.kara": "fn main() {\n    let a = f(1);\n    let b = g(2);\n}\n", "util.kara": "fn h() {\n    let c = f(\n        3,\n    );\n    let d = g(4);\n}\n" };
    const stmt = (file: string, start: string, end: string, line: number) => ({ file, line, column: 5, offset: texts[file].indexOf(start), end_offset: texts[file].indexOf(end) + end.length });
    const report = {
      functions: [
        { function: "main", statement_spans: [stmt("main.kara", "let a", "f(1);", 2), stmt("main.kara", "let b", "g(2);", 3)], parallel_groups: [{ statements: [0, 1], reason: "pure computations", dispatched: true }] },
        { function: "h", statement_spans: [stmt("util.kara", "let c", "    );", 2), stmt("util.kara", "let d", "g(4);", 5)], parallel_groups: [{ statements: [0, 1], reason: "pure computations", dispatched: true }] },
      ],
    };
    const markers = concurrencyMarkers(readConcurrency(report, (file) => texts[file]));
    expect(markers.map(({ file, line, endLine }) => [file, line, endLine])).toEqual([
      ["main.kara", 2, 2],
      ["main.kara", 3, 3],
      ["util.kara", 2, 4],
      ["util.kara", 5, 5],
    ]);
    // Line 2 of two files is two markers.
    expect(mergeMarkers(markers, [{ line: 2, endLine: 2, text: "ran as a task" }]).filter((m) => m.line === 2)).toHaveLength(3);
  });

  it("tolerates malformed reports", () => {
    expect(readConcurrency({ functions: [{ function: "f", parallel_groups: [{ statements: [7] }] }] })).toEqual({ groups: [], reductions: [], serializations: [] });
    expect(readConcurrency(null)).toEqual({ groups: [], reductions: [], serializations: [] });
  });
});

describe("trace markers", () => {
  it("marks the lines that ran as tasks, with how often and where", () => {
    const tasks = [
      { kind: "main", line: 1, worker: 0 },
      { kind: "par", line: 5, worker: 0 },
      { kind: "par", line: 5, worker: 1 },
      { kind: "spawn", line: 9, worker: 1 },
      { kind: "par", line: 0, worker: 1 },
    ];
    expect(traceMarkers({ tasks })).toEqual([
      { line: 5, endLine: 5, text: "Ran as a `par` branch (2 times, on workers 0, 1)" },
      { line: 9, endLine: 9, text: "Ran as a spawned task (once, on worker 1)" },
    ]);
    expect(traceMarkers(undefined)).toEqual([]);
  });

  it("keeps the lines of each file of a program of several files apart", () => {
    const tasks = [
      { kind: "par", line: 5, worker: 0, file: "main.kara" },
      { kind: "par", line: 5, worker: 1, file: "util.kara" },
      { kind: "reduce", line: 5, worker: 1, file: "util.kara" },
    ];
    expect(traceMarkers({ tasks })).toEqual([
      { line: 5, endLine: 5, text: "Ran as a `par` branch (once, on worker 0)", file: "main.kara" },
      { line: 5, endLine: 5, text: "Ran as a `par` branch / a chunk of a split loop (2 times, on worker 1)", file: "util.kara" },
    ]);
  });

  it("reads the file of each provider scope and kept-in-order pair", () => {
    const effects = readEffects({ functions: [{ function: "f", declared: null, inferred: [], pub: false, provider_scopes: [{ file: "util.kara", line: 4, stack: [] }] }] });
    expect(effects[0].providerScopes).toEqual([{ line: 4, file: "util.kara", stack: [] }]);
    const report = {
      functions: [
        {
          function: "g",
          statement_spans: [
            { file: "util.kara", line: 2, offset: 0, end_offset: 1 },
            { file: "util.kara", line: 3, offset: 2, end_offset: 3 },
          ],
          serialization_points: [{ statements: [0, 1], reason: "data" }],
        },
      ],
    };
    expect(readConcurrency(report, () => "a\nb\nc\n").serializations).toEqual([{ fn: "g", lines: [2, 3], reason: "data", file: "util.kara" }]);
  });

  it("merges report and trace markers per first line, keeping the longest range", () => {
    const m = (line: number, endLine: number, text: string) => ({ line, endLine, text });
    expect(mergeMarkers([m(3, 6, "a")], [m(3, 3, "b"), m(1, 1, "c"), m(3, 3, "a")])).toEqual([m(1, 1, "c"), m(3, 6, "a\nb")]);
  });
});
