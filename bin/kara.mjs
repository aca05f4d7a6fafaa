#!/usr/bin/env node
// The `kara` command. It runs the ahead-of-time build in dist-cli/ (plain JavaScript, made by
// cli/build.mjs when npm installs the project). When cli/freshness.mjs finds that build older
// than its sources, it is rebuilt first, so an edited checkout never runs stale code.
import { staleness } from "../cli/freshness.mjs";

const stale = staleness();
if (stale !== undefined) await rebuild(stale);
const { runCommandLine } = await import("../dist-cli/kara.mjs");
await runCommandLine(process.argv.slice(2));

async function rebuild(reason) {
  let buildCli;
  try {
    ({ buildCli } = await import("../cli/build.mjs"));
  } catch (e) {
    // Installed without devDependencies: esbuild is missing, so the build cannot be redone here.
    process.stderr.write(`error: the kara command needs building (${reason}), but esbuild cannot be loaded: ${e.message}\n`);
    process.stderr.write("run `npm install` (or `npm run build:cli`) in the project first\n");
    process.exit(1);
  }
  try {
    await buildCli();
  } catch {
    // esbuild has already printed the errors in the sources.
    process.stderr.write(`error: the kara command needs rebuilding (${reason}), and the build failed\n`);
    process.exit(1);
  }
}
