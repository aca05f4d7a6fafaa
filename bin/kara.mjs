#!/usr/bin/env node
// The `kara` command. The CLI is TypeScript, so register tsx before loading it.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`error: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
}
