import { describe, expect, it } from "vitest";
import { outputAnnouncement } from "./output-announcement.js";

const finished = (status: "ok" | "panic" | "stopped") => ({ kind: "finished" as const, result: { status, exitCode: status === "ok" ? 0 : 101, wallMs: 3 } });

describe("output announcement", () => {
  it("summarises a finished run by its line count", () => {
    expect(outputAnnouncement(finished("ok"), 12)).toBe("Program finished, 12 lines of output.");
    expect(outputAnnouncement(finished("ok"), 1)).toBe("Program finished, 1 line of output.");
    expect(outputAnnouncement(finished("ok"), 0)).toBe("Program finished, no output.");
    expect(outputAnnouncement(finished("panic"), 3)).toBe("Program panicked, 3 lines of output.");
    expect(outputAnnouncement(finished("ok"), 1000, 1000)).toBe("Program finished, 1000 lines of output, truncated after 1000 lines.");
  });

  it("says nothing while a run is going, and names compile errors", () => {
    expect(outputAnnouncement({ kind: "running", workers: 2 }, 5)).toBeUndefined();
    expect(outputAnnouncement({ kind: "compile-failed", errors: 2 }, 0)).toBe("Compilation failed with 2 errors; see Problems.");
  });
});
