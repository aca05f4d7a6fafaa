// The one table `npm run bench` prints: section, measure, the medians behind it, and the ratio.

export interface TableRow {
  section: string;
  measure: string;
  figures: string;
  ratio: string;
}

export function renderTable(rows: TableRow[]): string {
  const head: TableRow = { section: "section", measure: "measure", figures: "medians", ratio: "ratio" };
  const all = [head, ...rows];
  const w = {
    section: Math.max(...all.map((r) => r.section.length)),
    measure: Math.max(...all.map((r) => r.measure.length)),
    figures: Math.max(...all.map((r) => r.figures.length)),
  };
  const line = (r: TableRow): string => `${r.section.padEnd(w.section)}  ${r.measure.padEnd(w.measure)}  ${r.figures.padEnd(w.figures)}  ${r.ratio}`.trimEnd();
  const rule = "-".repeat(w.section + w.measure + w.figures + 6 + Math.max(...all.map((r) => r.ratio.length)));
  const out = [line(head), rule];
  let prev = "";
  for (const r of rows) {
    if (prev && r.section !== prev) out.push("");
    out.push(line(r));
    prev = r.section;
  }
  return out.join("\n");
}

export const ms = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? "—" : x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`);
export const times = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? "—" : `×${x.toFixed(2)}`);
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
