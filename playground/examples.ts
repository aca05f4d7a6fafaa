// The Examples menu: every program in examples/chapter, bundled as text at build time.

const sources = import.meta.glob("../examples/chapter/*.kara", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

export interface Example {
  name: string;
  source: string;
}

export const examples: Example[] = Object.entries(sources)
  .map(([path, source]) => ({ name: path.replace(/^.*\//, "").replace(/\.kara$/, ""), source }))
  .sort((a, b) => a.name.localeCompare(b.name));
