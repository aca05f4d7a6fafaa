// The worked provider example (examples/providers/mailer.kara): the same output on one and two
// workers, its test blocks under `kara test`, and `kara query effects` naming its resource, its
// providers and where effects come from.

import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureCliBuilt, kara } from "./testing/kara-process.js";

const EXAMPLE = new URL("../examples/providers/mailer.kara", import.meta.url).pathname;
const EXPECTED = readFileSync(EXAMPLE.replace(/\.kara$/, ".out"), "utf8");
// Every command loads the whole compiler in a fresh process: allow for a busy machine.
const SLOW = 300_000;

beforeAll(ensureCliBuilt);

describe("examples/providers/mailer.kara", () => {
  for (const workers of ["1", "2"]) {
    it(`prints its .out on ${workers} worker(s)`, async () => {
      const r = await kara(["run", EXAMPLE, "--workers", workers]);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(EXPECTED);
      expect(r.code).toBe(0);
    }, SLOW);
  }

  it("kara test passes its test blocks: a recording provider, and standard output captured through a Stdout provider", async () => {
    const r = await kara(["test", EXAMPLE]);
    const events = r.stdout.trim().split("\n").map((line) => JSON.parse(line) as { type: string; test?: string; passed?: number; failed?: number });
    expect(events.filter((e) => e.type === "test_pass").map((e) => e.test)).toEqual([
      "remind_all counts every recorded message",
      "the real provider prints one line per message",
    ]);
    expect(events.at(-1)).toMatchObject({ type: "summary", passed: 2, failed: 0 });
  }, SLOW);

  it("query effects shows the resource's providers, the scopes and the provider calls behind each effect", async () => {
    const r = await kara(["query", "effects", EXAMPLE]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      resources: { name: string; provider_traits: string[]; providers: string[] }[];
      functions: { function: string; inferred: string[]; origins: { effect: string; from: string; via?: string }[]; provider_scopes?: { bindings: { resource: string; provider: string }[] }[] }[];
    };
    expect(report.resources).toEqual([{ name: "Mailer", provider_traits: ["MailProvider"], providers: ["SmtpMailer", "RecordingMailer"] }]);
    const fn = (name: string) => report.functions.find((f) => f.function === name)!;
    expect(fn("score").origins).toContainEqual(expect.objectContaining({ effect: "reads(Mailer)", from: "provider", via: "Mailer.sent_count" }));
    expect(fn("main").provider_scopes?.map((s) => s.bindings)).toEqual([
      [{ resource: "Mailer", provider: "SmtpMailer" }],
      [{ resource: "Mailer", provider: "RecordingMailer" }],
    ]);
  }, SLOW);
});
