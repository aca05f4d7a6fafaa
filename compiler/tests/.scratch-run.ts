import { createNodeRunner } from "../../wasm-runtime/node.js";
import { checkRun, checkDiagnostics, discoverPrograms } from "./corpus.js";
const want = process.argv.slice(2);
const runner = createNodeRunner(2);
for (const e of discoverPrograms().filter((p) => want.some((w) => p.path.includes(w)))) {
  if (e.kind === "diag") { console.log(e.path, JSON.stringify(await checkDiagnostics(e))); continue; }
  for (const w of [1, 2]) console.log(e.path, w, JSON.stringify(await checkRun(e, runner, w)));
}
runner.dispose();
process.exit(0);
