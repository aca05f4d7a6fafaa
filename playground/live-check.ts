// Checking as the user types: a short pause after the last keystroke, then a check-only compile
// (parse, types, effects, concurrency; no code generation) in the compile worker. Each request
// carries the editor's version: an answer for text that has changed since is dropped, and the
// worker skips checks that a newer one has overtaken.

import type { CompileResult } from "../compiler/api.js";

export const CHECK_DELAY_MS = 150;

export interface LiveCheckDeps<R = CompileResult> {
  /** A check-only compile; undefined when the worker skipped it for a newer one. */
  check(source: string): Promise<R | undefined>;
  /** The editor's current version and text. */
  current(): { version: number; source: string };
  /** A result that describes the current text. */
  show(result: R, source: string): void;
  /** A check failed outright (the compiler is unavailable). */
  failed?(err: unknown): void;
}

export class LiveCheck<R = CompileResult> {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly deps: LiveCheckDeps<R>,
    private readonly delayMs = CHECK_DELAY_MS,
  ) {}

  /** The text changed: check it once typing pauses. */
  edited(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.checkNow();
    }, this.delayMs);
  }

  async checkNow(): Promise<void> {
    const { version, source } = this.deps.current();
    let result: R | undefined;
    try {
      result = await this.deps.check(source);
    } catch (err) {
      this.deps.failed?.(err);
      return;
    }
    if (result === undefined || this.deps.current().version !== version) return;
    this.deps.show(result, source);
  }
}
