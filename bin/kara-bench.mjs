#!/usr/bin/env node
// `npm run bench`: the benchmark suite (bench/run.ts), which is TypeScript, so register tsx first.
// bench/run.ts runs on import and sets process.exitCode; arguments pass through.
import { register } from "tsx/esm/api";

register();
await import("../bench/run.ts");
