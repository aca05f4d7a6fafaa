// Page used by browser.test.ts: exposes the browser runner to the test through `window`.

import { createBrowserRunner } from "../../browser.js";
import type { RunResult } from "../../api.js";

const runner = createBrowserRunner(2);

interface FixtureRun {
  result: RunResult;
  out: string;
  mode: string | undefined;
}

async function runKara(bytes: number[], workers: number, trace: boolean): Promise<FixtureRun> {
  let out = "";
  const result = await runner.run({ wasm: new Uint8Array(bytes), workers, trace, onOutput: (_fd, text) => (out += text) });
  return { result, out, mode: runner.mode };
}

(window as unknown as { runKara: typeof runKara }).runKara = runKara;
(window as unknown as { fixtureReady: boolean }).fixtureReady = true;
