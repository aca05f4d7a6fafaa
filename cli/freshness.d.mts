// Types of cli/freshness.mjs (plain JavaScript, so bin/kara.mjs can run it before any build).

export declare const ROOT: URL;
export declare const BUILD_DIR: URL;
export declare const STAMP: URL;

export interface BuildStamp {
  /** When the build started (Date.now()). */
  startedMs: number;
  /** Project files the build read, relative to the project root. */
  inputs: string[];
}

/** Why the build under `root` is stale, or undefined when it is up to date. */
export declare function staleness(root?: URL): string | undefined;
