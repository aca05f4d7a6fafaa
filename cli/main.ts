// Entry point of the `kara` command (bin/kara.mjs loads its build): parse, dispatch, exit code.

import { parseArgs, UsageError, USAGE } from "./args.js";
import { execute, type Streams } from "./commands.js";

const processStreams: Streams = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Runs the command line and returns the exit code: 0 ok, 1 failure, 2 usage error. */
export async function main(argv: string[], io: Streams = processStreams): Promise<number> {
  let cmd;
  try {
    cmd = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (cmd.kind === "help") {
    io.stdout(USAGE + "\n");
    return 0;
  }
  return execute(cmd, io);
}

/**
 * The status of a process that wrote to a pipe nobody reads any more: what a shell reports for a
 * tool that SIGPIPE ended (128 + 13), as for `yes | head -1`. Node ignores SIGPIPE and reports
 * EPIPE instead, so the CLI ends itself the same way.
 */
export const EXIT_BROKEN_PIPE = 141;

function onStreamError(error: NodeJS.ErrnoException): void {
  // The reader is gone (`kara run prog.kara | head -1`): stop at once, quietly, workers included.
  if (error.code === "EPIPE") process.exit(EXIT_BROKEN_PIPE);
  process.exit(1);
}

/** The whole process: real streams, the exit code, and internal errors reported, not thrown. */
export async function runCommandLine(argv: string[]): Promise<void> {
  process.stdout.on("error", onStreamError);
  process.stderr.on("error", onStreamError);
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    process.stderr.write(`error: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  }
}
