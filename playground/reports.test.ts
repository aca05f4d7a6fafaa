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
      { name: "f", declared: ["reads(DB)"], inferred: ["reads(DB)", "panics"], pub: true },
      { name: "g", declared: null, inferred: [], pub: false },
    ]);
    expect(readEffects(undefined)).toEqual([]);
  });

  it("maps group members to source lines through the statement spans", () => {
    const view = readConcurrency(concurrency);
    expect(view.groups).toEqual([
      { fn: "build", lines: [10, 11, 12], reason: "independent reads on different resources", dispatched: true },
      { fn: "main", lines: [21, 22], reason: "pure computations", dispatched: false },
    ]);
    expect(view.reductions).toEqual([{ fn: "main", line: 20, accumulator: "sum", op: "+=", fannedOut: true, reason: "" }]);
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
      { line: 5, text: "Ran as a `par` branch (2 times, on workers 0, 1)" },
      { line: 9, text: "Ran as a spawned task (once, on worker 1)" },
    ]);
    expect(traceMarkers(undefined)).toEqual([]);
  });

  it("merges report and trace markers per line", () => {
    expect(mergeMarkers([{ line: 3, text: "a" }], [{ line: 3, text: "b" }, { line: 1, text: "c" }])).toEqual([
      { line: 1, text: "c" },
      { line: 3, text: "a\nb" },
    ]);
  });
});
