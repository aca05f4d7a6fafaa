// The editor's text and the run settings, kept in localStorage so a reload, a closed tab or a
// crash never loses work. Storage can be missing, full or blocked (private modes): every access
// is guarded and the page works without it.

import type { ProgramFile } from "../compiler/api.js";

export interface Draft {
  /** The text of main.kara (the program's only file, unless `files` says otherwise). */
  source: string;
  /** Every file of a program of several (file tabs), main.kara first; absent for one file. */
  files?: ProgramFile[];
  /** The index in `files` of the file the editor showed. */
  activeFile?: number;
  workers?: number;
  trace?: boolean;
  /** The Profile switch (work and span for the Parallelism tab). */
  profile?: boolean;
  /** The `#code=` payload last opened or shared: reloading that same URL keeps later edits. */
  link?: string;
  /** The editor's share of the page width, in percent (the pane separator). */
  split?: number;
  /** Format the program (`kara fmt`) before each Run. */
  formatOnRun?: boolean;
}

export const DRAFT_KEY = "kara-playground:draft";

export class DraftStore {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: Draft | undefined;

  constructor(
    private readonly storage: Pick<Storage, "getItem" | "setItem"> | undefined,
    private readonly delayMs = 300,
  ) {}

  load(): Draft | undefined {
    try {
      const raw = this.storage?.getItem(DRAFT_KEY);
      if (!raw) return undefined;
      const d = JSON.parse(raw) as Partial<Draft>;
      if (typeof d.source !== "string") return undefined;
      return {
        source: d.source,
        workers: typeof d.workers === "number" ? d.workers : undefined,
        trace: typeof d.trace === "boolean" ? d.trace : undefined,
        profile: typeof d.profile === "boolean" ? d.profile : undefined,
        link: typeof d.link === "string" ? d.link : undefined,
        split: typeof d.split === "number" ? d.split : undefined,
        formatOnRun: typeof d.formatOnRun === "boolean" ? d.formatOnRun : undefined,
        files: validFiles(d.files),
        activeFile: typeof d.activeFile === "number" ? d.activeFile : undefined,
      };
    } catch {
      return undefined;
    }
  }

  /** Save soon (typing bursts become one write); `flush` writes at once. */
  save(draft: Draft): void {
    this.pending = draft;
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const draft = this.pending;
    this.pending = undefined;
    if (!draft) return;
    try {
      this.storage?.setItem(DRAFT_KEY, JSON.stringify(draft));
    } catch {
      // Quota exceeded or storage blocked: the text is still in the editor.
    }
  }
}

/** A stored file list, or undefined when it is not a non-empty list of `{ name, text }`. */
function validFiles(files: unknown): ProgramFile[] | undefined {
  if (!Array.isArray(files) || files.length === 0) return undefined;
  const ok = files.every((f) => f && typeof f === "object" && typeof (f as ProgramFile).name === "string" && typeof (f as ProgramFile).text === "string");
  return ok ? files.map((f: ProgramFile) => ({ name: f.name, text: f.text })) : undefined;
}

/** localStorage, or undefined where touching it throws (sandboxed frames, some privacy modes). */
export function browserStorage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}
