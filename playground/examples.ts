// The Examples menu: the chapter's programs and the playground's own examples (effects,
// automatic parallelisation, tasks, failure, Mutex, atomics, channels), bundled as text at build time.

const chapter = import.meta.glob("../examples/chapter/*.kara", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const more = import.meta.glob("../examples/playground/*.kara", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

export interface Example {
  name: string;
  /** The menu section it is listed under. */
  group: string;
  source: string;
}

function list(sources: Record<string, string>, group: string): Example[] {
  return Object.entries(sources)
    .map(([path, source]) => ({ name: path.replace(/^.*\//, "").replace(/\.kara$/, ""), group, source }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const examples: Example[] = [...list(chapter, "Concurrency chapter"), ...list(more, "More examples")];
