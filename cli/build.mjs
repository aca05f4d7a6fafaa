// Builds the `kara` command ahead of time into plain JavaScript in dist-cli/, so that starting
// it loads no TypeScript tooling. Runs from `npm install` / `npm ci` (the `prepare` script), from
// `npm run build:cli`, and from bin/kara.mjs when cli/freshness.mjs finds the build stale.
//
//   dist-cli/kara.mjs            the CLI (cli/main.ts); what it loads with import() stays in
//   dist-cli/chunk-*.mjs         chunks, so code generation (Binaryen) loads only when needed
//   dist-cli/codegen-worker.mjs  the thread that generates code for build and run (cli/codegen-worker.ts)
//   dist-cli/deep-compile-worker.mjs  a program nested too deeply for the main thread's stack is
//                                compiled again there, on a large stack (cli/deep-stack-compile.ts)
//   dist-cli/node-worker.mjs     the worker_threads worker that runs programs (wasm-runtime/node-worker.ts)
//   dist-cli/meta.json           esbuild's metafile of the CLI build (which output imports what)
//   dist-cli/build.json          the stamp cli/freshness.mjs checks
//
//   dist-cli/binaryen.mjs        Binaryen's JavaScript without its embedded wasm, and that wasm
//   dist-cli/binaryen.wasm       as a file (below)
//
// Binaryen's npm module carries its ~10 MB of wasm as a string literal: loading it means parsing a
// 14 MB script and decoding the string on the main thread before compiling. The build splits it as
// the playground build does (playground/build/binaryen-wasm.ts, the same code): the module starts
// reading and compiling binaryen.wasm as it loads, and WebAssembly.compile works on background
// threads while the JavaScript is parsed. If Binaryen's shape is not recognised, the CLI imports
// it from node_modules as it is (slower to start, same behaviour). Each worker is
// started by a URL relative to the module that starts it ("./node-worker.mjs" in
// wasm-runtime/node.ts, "./codegen-worker.mjs" in cli/codegen-thread.ts), so all outputs sit
// in one flat folder.

import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";
import { BUILD_DIR, ROOT, STAMP } from "./freshness.mjs";

const root = fileURLToPath(ROOT);
const outdir = fileURLToPath(BUILD_DIR);

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["binaryen"],
  outdir,
  entryNames: "[name]",
  chunkNames: "chunk-[hash]",
  outExtension: { ".js": ".mjs" },
  metafile: true,
  write: false,
  logLevel: "warning",
};

const SPLITTER = "playground/build/binaryen-wasm.ts";

// Reads the wasm built next to this module, starting at once; Binaryen's instantiateWasm hook
// instantiates it. A failure is rethrown outside the promise so it surfaces as a load error.
const PRELUDE = `import { readFile as __karaReadFile } from "node:fs/promises";
const __karaBinaryenWasm = __karaReadFile(new URL("./binaryen.wasm", import.meta.url)).then((bytes) => WebAssembly.compile(bytes));
__karaBinaryenWasm.catch(() => {});
`;
const HOOK = `(imports, receive) => {
  __karaBinaryenWasm.then((module) => WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module)))
    .catch((e) => setTimeout(() => { throw e; }));
  return {};
}`;

/** Binaryen split into JavaScript and wasm by the playground's splitter; undefined if unrecognised. */
async function splitBinaryen() {
  try {
    // The splitter is TypeScript with no imports but Node's: strip its types and load it as is.
    const { code } = await transform(readFileSync(join(root, SPLITTER), "utf8"), { loader: "ts", format: "esm" });
    const splitter = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
    const parts = splitter.splitBinaryen(readFileSync(createRequire(import.meta.url).resolve("binaryen"), "utf8"));
    return parts && { js: PRELUDE + parts.code(HOOK), wasm: parts.wasm };
  } catch (e) {
    process.stderr.write(`warning: cannot split Binaryen: ${e instanceof Error ? e.message : String(e)}\n`);
    return undefined;
  }
}

/** Points `import "binaryen"` at the split module next to the outputs. */
const localBinaryen = {
  name: "local-binaryen",
  setup(b) {
    b.onResolve({ filter: /^binaryen$/ }, () => ({ path: "./binaryen.mjs", external: true }));
  },
};

/** Writes through a temporary name, so a `kara` starting meanwhile never reads half a file. */
function writeAtomically(path, contents) {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

/** A `kara` started from an older build loads its chunks within its first seconds. */
const OLD_CHUNK_GRACE_MS = 60_000;

/**
 * Chunks are named by content, so a rebuild leaves the previous build's behind. They are removed
 * once no `kara` started from that build can still need them.
 */
function pruneOldChunks(current) {
  for (const name of readdirSync(outdir)) {
    if (!/^chunk-.*\.mjs$/.test(name) || current.has(name)) continue;
    const path = join(outdir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > OLD_CHUNK_GRACE_MS) rmSync(path, { force: true });
    } catch {
      // Removed meanwhile by a concurrent rebuild.
    }
  }
}

/** Builds dist-cli/; `clean` empties it first. */
export async function buildCli({ clean = false } = {}) {
  const startedMs = Date.now();
  const binaryen = await splitBinaryen();
  if (!binaryen) process.stderr.write("warning: Binaryen's embedded wasm was not found; the kara command imports it as it is (a slower start)\n");
  const options = { ...common, plugins: binaryen ? [localBinaryen] : [] };
  const [cli, worker] = await Promise.all([
    build({ ...options, entryPoints: { kara: "cli/main.ts" }, splitting: true }),
    build({
      ...options,
      entryPoints: { "node-worker": "wasm-runtime/node-worker.ts", "codegen-worker": "cli/codegen-worker.ts", "deep-compile-worker": "cli/deep-compile-worker.ts" },
    }),
  ]);
  if (clean) rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  // Chunks first, entry points after them, the stamp last: whatever a reader sees is complete.
  const outputs = [...cli.outputFiles, ...worker.outputFiles].sort((a, b) => entryLast(a.path) - entryLast(b.path));
  if (binaryen) {
    writeAtomically(join(outdir, "binaryen.wasm"), binaryen.wasm);
    writeAtomically(join(outdir, "binaryen.mjs"), binaryen.js);
  }
  for (const file of outputs) writeAtomically(file.path, file.contents);
  if (!clean) pruneOldChunks(new Set(outputs.map((f) => relative(outdir, f.path))));
  writeAtomically(fileURLToPath(new URL("meta.json", BUILD_DIR)), JSON.stringify(cli.metafile));
  const inputs = new Set([relative(root, fileURLToPath(import.meta.url)), "cli/freshness.mjs", SPLITTER]);
  for (const result of [cli, worker]) {
    for (const input of Object.keys(result.metafile.inputs)) if (!input.includes("node_modules/")) inputs.add(input);
  }
  writeAtomically(fileURLToPath(STAMP), JSON.stringify({ startedMs, inputs: [...inputs].sort() }, null, 1));
}

const entryLast = (path) => (/[\\/]chunk-[^\\/]*$/.test(path) ? 0 : 1);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildCli({ clean: true });
  } catch {
    // esbuild has already printed what failed.
    process.exitCode = 1;
  }
}
