// Command-line parsing for `kara`. Pure: argv in, a command or a usage error out, so every
// rule is unit-testable without spawning processes.

import { maxMemoryPages } from "./memory-size.js";

export type Command =
  | { kind: "help" }
  | {
      kind: "run";
      file: string;
      workers?: number;
      traceOut?: string;
      /** --profile: "" reports on stderr only; a file name also gets the JSON report. */
      profileOut?: string;
      timeoutSeconds?: number;
      autoPar: boolean;
      /** Initial size of the memory, in 64 KiB pages. */
      memoryPages?: number;
      /** Most pages the memory may grow to (--max-memory). */
      maxMemoryPages?: number;
      timings: boolean;
    }
  | { kind: "check"; file: string; json: boolean; timings: boolean }
  | { kind: "fix"; file: string }
  | { kind: "build"; file: string; out: string; wat: boolean; timings: boolean }
  | { kind: "query"; what: "effects" | "concurrency" | "tir"; file: string; fn?: string }
  | { kind: "fmt"; files: string[]; check: boolean }
  | { kind: "test"; file: string; filter?: string; workers?: number; timeoutSeconds: number };

/** karac's default limit for one test. */
export const DEFAULT_TEST_TIMEOUT_SECONDS = 30;

export class UsageError extends Error {}

export const USAGE = `usage:
  kara run FILE|DIR|OUT.wasm [--workers N] [--trace OUT.json] [--timeout SECONDS] [--no-auto-par]
           [--memory-pages P] [--max-memory SIZE] [--timings] [--profile[=OUT.json]]
  kara check FILE|DIR [--output=json] [--timings]
  kara fix FILE                              (applies the compiler's machine fixes in place)
  kara build FILE|DIR -o OUT.wasm [--wat] [--timings]   (--wat also writes the text form next to OUT)
  kara query effects|concurrency|tir FILE[.kara.FN]
  kara fmt FILE... [--check]                 (rewrites in place; --check lists files that would change)
  kara test FILE|DIR [--filter TEXT] [--workers N] [--timeout SECONDS]
                                             (runs the program's \`test "name" { }\` blocks; one JSON line per event)
  kara help
--memory-pages is the memory's starting size in 64 KiB pages; it grows on demand up to
--max-memory (bytes, or with K, M, G: 512M, 2G; default 4G), beyond which allocation panics.
A FILE is compiled with the sibling modules its imports name; a DIR is DIR/main.kara with every
.kara file under DIR (docs/modules.md).
--timings prints each phase's milliseconds to stderr.
--profile prints work, span, parallelism and the predicted speed-up to stderr (docs/profile.md);
--profile=OUT.json also writes them as JSON.`;

interface FlagSpec {
  /** Takes a value (`--flag V` or `--flag=V`). */
  value: boolean;
  /** Takes a value only as `--flag=V` (alone it stands for ""). */
  optionalValue?: boolean;
}

/** Splits argv into positionals and flags, checking each flag against the command's list. */
function scan(args: string[], specs: Record<string, FlagSpec>): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option '${name}'`);
    if (flags.has(name)) throw new UsageError(`option '${name}' given twice`);
    if (spec.optionalValue) {
      flags.set(name, eq >= 0 ? arg.slice(eq + 1) : "");
      continue;
    }
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`option '${name}' takes no value`);
      flags.set(name, "");
      continue;
    }
    if (eq >= 0) {
      flags.set(name, arg.slice(eq + 1));
    } else {
      if (i + 1 >= args.length) throw new UsageError(`option '${name}' needs a value`);
      flags.set(name, args[++i]);
    }
  }
  return { positional, flags };
}

function onePositional(positional: string[], what: string): string {
  if (positional.length === 0) throw new UsageError(`missing ${what}`);
  if (positional.length > 1) throw new UsageError(`unexpected argument '${positional[1]}'`);
  return positional[0];
}

function positiveInt(flag: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new UsageError(`${flag} needs a whole number from 1 to ${max}, got '${text}'`);
  }
  return Number(text);
}

function seconds(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${flag} needs a positive number of seconds, got '${text}'`);
  }
  return value;
}

export function parseArgs(argv: string[]): Command {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      throw new UsageError("missing command");
    case "help":
    case "--help":
    case "-h":
      return { kind: "help" };
    case "run": {
      const { positional, flags } = scan(rest, {
        "--workers": { value: true },
        "--trace": { value: true },
        "--timeout": { value: true },
        "--no-auto-par": { value: false },
        "--memory-pages": { value: true },
        "--max-memory": { value: true },
        "--timings": { value: false },
        "--profile": { value: false, optionalValue: true },
      });
      const cmd: Command = {
        kind: "run",
        file: onePositional(positional, "FILE"),
        autoPar: !flags.has("--no-auto-par"),
        timings: flags.has("--timings"),
      };
      if (flags.has("--workers")) cmd.workers = positiveInt("--workers", flags.get("--workers")!, 256);
      if (flags.has("--memory-pages")) cmd.memoryPages = positiveInt("--memory-pages", flags.get("--memory-pages")!, 65536);
      if (flags.has("--max-memory")) {
        const limit = maxMemoryPages(flags.get("--max-memory")!);
        if ("error" in limit) throw new UsageError(limit.error);
        cmd.maxMemoryPages = limit.pages;
      }
      if (flags.has("--trace")) {
        const out = flags.get("--trace")!;
        if (out === "") throw new UsageError("--trace needs a file name");
        cmd.traceOut = out;
      }
      if (flags.has("--profile")) {
        const out = flags.get("--profile")!;
        if (out === "" && rest.some((a) => a.startsWith("--profile="))) throw new UsageError("--profile= needs a file name");
        cmd.profileOut = out;
      }
      if (flags.has("--timeout")) cmd.timeoutSeconds = seconds("--timeout", flags.get("--timeout")!);
      return cmd;
    }
    case "check": {
      const { positional, flags } = scan(rest, { "--output": { value: true }, "--timings": { value: false } });
      const output = flags.get("--output") ?? "text";
      if (output !== "json" && output !== "text") throw new UsageError(`--output must be 'json' or 'text', got '${output}'`);
      return { kind: "check", file: onePositional(positional, "FILE"), json: output === "json", timings: flags.has("--timings") };
    }
    case "fix": {
      const { positional } = scan(rest, {});
      return { kind: "fix", file: onePositional(positional, "FILE") };
    }
    case "build": {
      const { positional, flags } = scan(rest, { "-o": { value: true }, "--wat": { value: false }, "--timings": { value: false } });
      const file = onePositional(positional, "FILE");
      const out = flags.get("-o");
      if (!out) throw new UsageError("build needs -o OUT.wasm");
      return { kind: "build", file, out, wat: flags.has("--wat"), timings: flags.has("--timings") };
    }
    case "query": {
      const { positional } = scan(rest, {});
      const [what, target, extra] = positional;
      if (what !== "effects" && what !== "concurrency" && what !== "tir") {
        throw new UsageError(what === undefined ? "missing query kind (effects, concurrency or tir)" : `unknown query '${what}' (expected effects, concurrency or tir)`);
      }
      if (target === undefined) throw new UsageError("missing query target FILE or FILE.kara.FN");
      if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
      return { kind: "query", what, ...splitTarget(target) };
    }
    case "test": {
      const { positional, flags } = scan(rest, { "--filter": { value: true }, "--workers": { value: true }, "--timeout": { value: true } });
      const cmd: Command = { kind: "test", file: onePositional(positional, "FILE"), timeoutSeconds: DEFAULT_TEST_TIMEOUT_SECONDS };
      if (flags.has("--filter")) cmd.filter = flags.get("--filter")!;
      if (flags.has("--workers")) cmd.workers = positiveInt("--workers", flags.get("--workers")!, 256);
      if (flags.has("--timeout")) cmd.timeoutSeconds = seconds("--timeout", flags.get("--timeout")!);
      return cmd;
    }
    case "fmt": {
      const { positional, flags } = scan(rest, { "--check": { value: false } });
      if (positional.length === 0) throw new UsageError("missing FILE");
      return { kind: "fmt", files: positional, check: flags.has("--check") };
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

/** `dir/app.kara.main` → file `dir/app.kara`, function `main`; a plain path names the whole file. */
export function splitTarget(target: string): { file: string; fn?: string } {
  const at = target.lastIndexOf(".kara.");
  if (at < 0) return { file: target };
  const fn = target.slice(at + ".kara.".length);
  if (fn === "") throw new UsageError(`missing function name after '${target}'`);
  return { file: target.slice(0, at + ".kara".length), fn };
}
