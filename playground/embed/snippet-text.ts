// Source text as written inside a docs page's `<pre>` or `<kara-snippet>`: indented with the
// surrounding HTML and framed by blank lines. Dedent it and trim the frame so the program
// starts at column 1.

export function snippetSource(raw: string): string {
  const lines = raw.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length > 0 && lines[0].trim() === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join("\n") + (lines.length > 0 ? "\n" : "");
}
