import { discoverPrograms } from "../../tests/corpus.js";
import { compile } from "../../compile.js";
import { runWasm } from "./host.js";
const progs = discoverPrograms().filter(p => p.kind === "run");
let pass = 0; const fails: string[] = [];
for (const p of progs) {
  let r;
  try { r = await compile(p.source, { fileName: p.path, optimize: Number(process.env.OPT ?? 0) as 0 }); } catch (e) { fails.push(`${p.path}: THROW ${(e as Error).message}`); continue; }
  if (!r.wasm) { const d = r.diagnostics.filter(d => d.severity === "error")[0]; fails.push(`${p.path}: ${d?.phase} ${d?.code} ${d?.message.slice(0, 150)}`); continue; }
  let x;
  try { x = runWasm(r.wasm, { pages: 2048 }); } catch (e) { fails.push(`${p.path}: RUNTIME ${(e as Error).message.slice(0, 150)}`); continue; }
  const want = p.stdout ?? ""; const werr = p.stderr ?? ""; const wexit = p.exitCode ?? 0;
  if (x.stdout === want && x.stderr === werr && x.exitCode === wexit) pass++;
  else {
    const a = x.stdout.split("\n"), b = want.split("\n"); let i = 0; while (i < a.length && a[i] === b[i]) i++;
    fails.push(`${p.path}: OUTPUT line ${i + 1}: got ${JSON.stringify(a[i])} want ${JSON.stringify(b[i])}` + (x.stderr !== werr ? ` stderr got ${JSON.stringify(x.stderr.slice(0,80))} want ${JSON.stringify(werr.slice(0,80))}` : "") + (x.exitCode !== wexit ? ` exit ${x.exitCode} want ${wexit}` : ""));
  }
}
console.log(`pass ${pass}/${progs.length}`);
for (const f of fails) console.log(f);
