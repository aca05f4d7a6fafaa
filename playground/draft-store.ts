// The editor's text and the run settings, kept in localStorage so a reload, a closed tab or a
// crash never loses work. Storage can be missing, full or blocked (private modes): every access
// is guarded and the page works without it.

export interface Draft {
  source: string;
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

/** localStorage, or undefined where touching it throws (sandboxed frames, some privacy modes). */
export function browserStorage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}
