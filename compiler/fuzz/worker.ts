// Runs the oracle in a worker thread so the harness can stop a compile that hangs.
import { parentPort } from "node:worker_threads";
import { judge } from "./oracle.js";
import type { CompileOptions } from "../api.js";

interface Request {
  id: number;
  source: string;
  options: CompileOptions & { validate?: boolean };
}

parentPort!.on("message", async (req: Request) => {
  const outcome = await judge(req.source, req.options);
  parentPort!.postMessage({ id: req.id, outcome });
});
parentPort!.postMessage({ ready: true });
