// Entry point of the `kara` command (bin/kara.mjs loads it): parse, dispatch, exit code.

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
