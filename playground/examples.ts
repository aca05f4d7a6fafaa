// The Examples menu: the chapter's programs and the playground's own examples (effects,
// automatic parallelisation, tasks, failure, Mutex, atomics, channels), bundled as text at build time.

const chapter = import.meta.glob("../examples/chapter/*.kara", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const more = import.meta.glob("../examples/playground/*.kara", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

export interface Example {
  name: string;
  /** The menu section it is listed under. */
  group: string;
  /** The program's leading comment, first sentence: what it shows. */
  description: string;
  source: string;
}

/** The first sentence of a program's leading `//` comment block ("" when it has none). */
export function describe(source: string): string {
  const lines: string[] = [];
  for (const line of source.split("\n")) {
    const m = /^\s*\/\/\s?(.*)$/.exec(line);
    if (!m) break;
    lines.push(m[1].trim());
  }
  const text = lines.join(" ").replace(/\s+/g, " ").trim();
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

function list(sources: Record<string, string>, group: string): Example[] {
  return Object.entries(sources)
    .map(([path, source]) => ({ name: path.replace(/^.*\//, "").replace(/\.kara$/, ""), group, description: describe(source), source }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const examples: Example[] = [...list(chapter, "Concurrency chapter"), ...list(more, "More examples")];
