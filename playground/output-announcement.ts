// What the output's live region says when a Run ends: one short summary, never the output
// itself (a screen reader reading every printed line would be unusable).

import type { SessionStatus } from "./session.js";
import { plural } from "./status-text.js";

const endings: Record<string, string> = {
  ok: "Program finished",
  panic: "Program panicked",
  "error-result": "Program ended with an error",
  stopped: "Program stopped",
  timeout: "Program timed out",
  deadlock: "Program deadlocked",
  crash: "Program crashed",
};

/** The sentence for a Run's end; undefined while it is still going. */
export function outputAnnouncement(status: SessionStatus, lines: number, truncated?: number): string | undefined {
  switch (status.kind) {
    case "idle":
    case "compiling":
    case "running":
      return undefined;
    case "compile-failed":
      return `Compilation failed with ${plural(status.errors, "error")}; see Problems.`;
    case "failed":
      return `Run failed: ${status.message}`;
    case "finished": {
      const output = lines === 0 ? "no output" : `${plural(lines, "line")} of output`;
      const cut = truncated !== undefined ? `, truncated after ${plural(truncated, "line")}` : "";
      return `${endings[status.result.status] ?? "Program ended"}, ${output}${cut}.`;
    }
  }
}
