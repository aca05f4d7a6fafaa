import { describe, expect, it } from "vitest";
import { EXIT_STATUS, runExitStatus } from "./exit-status.js";

describe("kara run exit status", () => {
  it("gives panic, deadlock, timeout and out of memory distinct statuses", () => {
    const statuses = [
      runExitStatus({ status: "panic", exitCode: 1, message: "panic at a.kara:2:5 in main: boom" }),
      runExitStatus({ status: "deadlock", exitCode: 1, message: "deadlock: …" }),
      runExitStatus({ status: "timeout", exitCode: 1, message: "timed out after 1 s" }),
      runExitStatus({ status: "panic", exitCode: 1, message: "panic: out of memory: requested 64 bytes, limit 4 MiB" }),
    ];
    expect(statuses).toEqual([EXIT_STATUS.failure, EXIT_STATUS.deadlock, EXIT_STATUS.timeout, EXIT_STATUS.outOfMemory]);
    expect(new Set(statuses).size).toBe(4);
    expect(statuses).toEqual([1, 3, 124, 134]);
  });

  it("passes main's own exit code through and keeps crashes at 1", () => {
    expect(runExitStatus({ status: "ok", exitCode: 0 })).toBe(0);
    expect(runExitStatus({ status: "error-result", exitCode: 42 })).toBe(42);
    expect(runExitStatus({ status: "crash", exitCode: 1, message: "stack overflow in f (declared at line 1)" })).toBe(1);
  });
});
