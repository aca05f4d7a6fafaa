// The Effects tab's provider scopes: for each `with_provider` / `providers { } in { }` scope, the
// stack of providers that calls inside it reach, top first, with shadowed frames marked.

import { expect, test } from "@playwright/test";
import { expectState, RUN_TIMEOUT, SCREENSHOTS, shareLink, stdoutText, ui, watchErrors } from "./helpers.js";

test.describe.configure({ timeout: 2 * RUN_TIMEOUT });

const program = [
  "trait ClockProvider { fn now(ref self) -> i64; }",
  "trait CounterProvider { fn next(mut ref self) -> i64; }",
  "effect resource Clock: ClockProvider;",
  "effect resource Ids: CounterProvider;",
  "struct WallClock { t: i64 }",
  "impl ClockProvider for WallClock { fn now(ref self) -> i64 { self.t } }",
  "struct FrozenClock { t: i64 }",
  "impl ClockProvider for FrozenClock { fn now(ref self) -> i64 { self.t } }",
  "struct Seq { n: i64 }",
  "impl CounterProvider for Seq { fn next(mut ref self) -> i64 { self.n += 1; self.n } }",
  'fn label() -> String { f"{Clock.now()}-{Ids.next()}" }',
  "fn main() {",
  "    providers { Clock => WallClock { t: 100 }, Ids => Seq { n: 0 } } in {",
  "        println(label());",
  "        with_provider[Clock](FrozenClock { t: 7 }, || {",
  "            println(label());",
  "        });",
  "        println(label());",
  "    };",
  "}",
].join("\n");

test("each provider scope lists the stack its calls reach, and choosing one selects its line", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink(program));
  const u = ui(page);
  await u.run.click();
  await expectState(u.status, "finished");
  expect(await stdoutText(page)).toBe("100-1\n7-2\n100-3\n");

  await u.tab("Effects & concurrency").click();
  const scopes = u.analysis.getByRole("list", { name: "Provider scopes" });
  await expect(scopes.getByRole("button")).toHaveText(["main: line 13", "main: line 15"]);

  const outer = scopes.getByRole("list", { name: "Provider stack at line 13" }).getByRole("listitem");
  await expect(outer).toHaveText(["Ids → Seq bound at line 13", "Clock → WallClock bound at line 13"]);

  const inner = scopes.getByRole("list", { name: "Provider stack at line 15" }).getByRole("listitem");
  await expect(inner).toHaveText([
    "Clock → FrozenClock bound at line 15",
    "Ids → Seq bound at line 13",
    "Clock → WallClock bound at line 13, shadowed",
  ]);
  await expect(inner.nth(2)).toHaveClass(/provider-shadowed/);
  await expect(inner.nth(0)).not.toHaveClass(/provider-shadowed/);
  await page.screenshot({ path: `${SCREENSHOTS}/provider-stack.png` });

  await scopes.getByRole("button", { name: "main: line 15" }).click();
  await expect(page.locator(".cm-activeLine")).toHaveText(program.split("\n")[14]);
  expect(errors).toEqual([]);
});

test("a program without provider scopes shows no provider section", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(shareLink('fn main() {\n    println("plain");\n}\n'));
  const u = ui(page);
  await u.run.click();
  await expectState(u.status, "finished");
  await u.tab("Effects & concurrency").click();
  await expect(u.analysis.getByRole("table", { name: "Effects per function" })).toContainText("main");
  await expect(u.analysis.getByRole("list", { name: "Provider scopes" })).toHaveCount(0);
  expect(errors).toEqual([]);
});
