// A fuzz campaign: a deterministic sequence of inputs (input i depends only on the seed and i),
// alternately generated from the grammar and mutated from the seed corpus, with every eighth input
// a program at the size limits (extremes.ts), each judged in a sandbox, stopped by a count or a
// time budget. Because input i depends only on (seed, i), a long campaign can run as shards
// (`first` + `count`) and on several sandboxes at once (`jobs`) and still judge the same inputs.
// Crashes are grouped by signature and minimised.

import { generateProgram } from "./generate.js";
import { extremeSource, generateExtreme, smallestFailingSize, type ExtremeSpec } from "./extremes.js";
import { mutateProgram } from "./mutate.js";
import { minimize } from "./minimize.js";
import { inputSeed, Rng } from "./rng.js";
import { Sandbox, type Judge, type SandboxOutcome } from "./sandbox.js";
import type { Seed } from "./corpus.js";

export interface CampaignOptions {
  seed: number;
  /** Index of the first input (default 0): a long campaign can be run in shards of one sequence. */
  first?: number;
  count?: number;
  seconds?: number;
  timeoutMs?: number;
  /** Include the size-limit programs (default true); each takes seconds to compile. */
  extremes?: boolean;
  /** Reduce each new crash to a small reproduction. */
  minimize?: boolean;
  /** Where inputs are compiled (default: worker sandboxes that can stop hangs); several judge in parallel. */
  judge?: Judge | Judge[];
  /** Inputs compiled at once, each in its own sandbox (default 1); ignored when `judge` is given. */
  jobs?: number;
  onInput?: (index: number, outcome: SandboxOutcome) => void;
}

export interface Crash {
  signature: string;
  kind: "crash" | "hang";
  phase: string;
  message: string;
  /** First input that showed it. */
  index: number;
  origin: string;
  autoPar: boolean;
  source: string;
  minimized?: string;
  occurrences: number;
}

export interface CampaignResult {
  inputs: number;
  generated: number;
  mutated: number;
  extreme: number;
  ok: number;
  diagnostics: number;
  crashes: Crash[];
  seconds: number;
  compileMsMedian: number;
}

export interface FuzzInput {
  source: string;
  origin: string;
  autoPar: boolean;
  /** Set for a program at the size limits: it is reduced by shrinking its size. */
  extreme?: ExtremeSpec;
}

/** Input `index` of a campaign with `seed`: even indices are generated, odd ones mutated, except that one in eight is at the size limits. */
export function makeInput(seed: number, index: number, seeds: Seed[], extremes = true): FuzzInput {
  const rng = new Rng(inputSeed(seed, index));
  const autoPar = !rng.chance(0.2);
  if (extremes && index % 8 === 3) {
    const { source, ...extreme } = generateExtreme(rng);
    return { source, origin: `extreme ${extreme.shape} ×${extreme.size}`, autoPar, extreme };
  }
  if (index % 2 === 0 || seeds.length === 0) return { source: generateProgram(rng), origin: "generated", autoPar };
  const base = rng.pick(seeds);
  const donor = rng.pick(seeds);
  return { source: mutateProgram(rng, base.source, donor.source), origin: `mutated ${base.path}`, autoPar };
}

export async function runCampaign(seeds: Seed[], opts: CampaignOptions): Promise<CampaignResult> {
  const ownJudges = !opts.judge;
  const judges: Judge[] = opts.judge ? [opts.judge].flat() : Array.from({ length: Math.max(1, opts.jobs ?? 1) }, () => new Sandbox(opts.timeoutMs ?? 10_000));
  // Start-up (loading the compiler into the workers) is not part of the time budget.
  await Promise.all(judges.map((j) => j.judge("fn main() {}\n")));
  const crashes = new Map<string, Crash>();
  const times: number[] = [];
  const t0 = performance.now();
  const result: CampaignResult = { inputs: 0, generated: 0, mutated: 0, extreme: 0, ok: 0, diagnostics: 0, crashes: [], seconds: 0, compileMsMedian: 0 };
  const deadline = opts.seconds !== undefined ? t0 + opts.seconds * 1000 : Infinity;
  const first = opts.first ?? 0;
  const end = first + (opts.count ?? Infinity);
  let next = first;
  // New crash kinds are minimised after the campaign, one after another, so the parallel judges
  // never race on the same signature and the report does not depend on which job finished first.
  const fresh: { crash: Crash; input: FuzzInput }[] = [];

  const record = (i: number, input: FuzzInput, outcome: SandboxOutcome): void => {
    result.inputs++;
    if (input.origin === "generated") result.generated++;
    else if (input.origin.startsWith("extreme")) result.extreme++;
    else result.mutated++;
    times.push(outcome.ms);
    opts.onInput?.(i, outcome);
    if (outcome.kind === "ok") result.ok++;
    else if (outcome.kind === "diagnostics") result.diagnostics++;
    else {
      const known = crashes.get(outcome.signature);
      if (known) {
        known.occurrences++;
        // The report names the earliest input of each kind, whatever order the jobs finished in.
        if (i < known.index) Object.assign(known, { index: i, origin: input.origin, autoPar: input.autoPar, source: input.source, message: outcome.message });
        const entry = fresh.find((f) => f.crash === known);
        if (entry && i === known.index) entry.input = input;
        return;
      }
      const crash: Crash = { signature: outcome.signature, kind: outcome.kind, phase: outcome.phase, message: outcome.message, index: i, origin: input.origin, autoPar: input.autoPar, source: input.source, occurrences: 1 };
      crashes.set(outcome.signature, crash);
      fresh.push({ crash, input });
    }
  };

  const job = async (judge: Judge): Promise<void> => {
    while (next < end && performance.now() < deadline) {
      const i = next++;
      const input = makeInput(opts.seed, i, seeds, opts.extremes ?? true);
      record(i, input, await judge.judge(input.source, { autoPar: input.autoPar }));
    }
  };

  try {
    await Promise.all(judges.map(job));
    if (opts.minimize) {
      for (const { crash, input } of fresh) {
        const stillFails = async (candidate: string) => {
          const o = await judges[0].judge(candidate, { autoPar: input.autoPar });
          return (o.kind === "crash" || o.kind === "hang") && o.signature === crash.signature;
        };
        if (input.extreme) {
          // A large program costs seconds per compile: shrink its size, not its tokens.
          const size = await smallestFailingSize(input.extreme, stillFails);
          crash.minimized = `// ${input.extreme.shape} at size ${size}\n${extremeSource(input.extreme, size)}`;
        } else {
          crash.minimized = await minimize(input.source, stillFails, crash.kind === "hang" ? 20 : 250);
        }
      }
    }
  } finally {
    if (ownJudges) for (const j of judges) j.dispose();
  }
  times.sort((a, b) => a - b);
  result.compileMsMedian = times.length ? times[times.length >> 1] : 0;
  result.crashes = [...crashes.values()].sort((a, b) => a.index - b.index);
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}
