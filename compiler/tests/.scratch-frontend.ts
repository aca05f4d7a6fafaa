import { discoverPrograms } from "./corpus.js";
import { parse } from "../syntax/parser.js";
import { check } from "../check/index.js";
for (const e of discoverPrograms()) {
  let diags: any[] = [];
  try {
    const p = parse(e.source, e.path);
    diags = p.diagnostics;
    if (!diags.some((d) => d.severity === "error")) diags = diags.concat(check(p.program).diagnostics);
  } catch (err) { diags = [{ code: "THROW", severity: "error", span: { line: 0, column: 0 }, message: String(err).split("\n")[0] }]; }
  const errs = diags.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message.split("\n")[0]}`);
  const want = e.kind === "diag" ? e.diagnostics!.map((d) => `${d.code} ${d.line}:${d.column}`).join(", ") : "";
  if (e.kind === "diag") console.log(`DIAG ${e.path}: want [${want}] got [${errs.join(" | ")}]`);
  else if (errs.length) console.log(`RUN  ${e.path}: ${errs.join(" | ")}`);
}
