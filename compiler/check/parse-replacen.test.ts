import { describe, expect, it } from "vitest";
import { errs, localType, ok } from "./testutil.js";

const prog = (body: string): string => `fn main() {\n${body}\n}\n`;

describe("float parsing and String.replacen", () => {
  it("f64.parse / f32.parse return Option of the float type; the argument must be a String", () => {
    const p = ok(prog('let a = f64.parse("1.5");\nlet b = f32.parse("2");'));
    expect(localType(p, "main", "a")).toBe("Option[f64]");
    expect(localType(p, "main", "b")).toBe("Option[f32]");
    expect(errs(prog("let a = f64.parse(1);"))[0]).toMatch(/^E0200/);
    expect(errs(prog("let a = f64.parse();"))[0]).toMatch(/^E0202/);
  });

  it("replacen takes two Strings and a count and returns a String", () => {
    const p = ok(prog('let s = "a-b-c".replacen("-", "+", 1);'));
    expect(localType(p, "main", "s")).toBe("String");
    expect(errs(prog('let s = "a-b".replacen("-", "+");'))[0]).toMatch(/^E0202/);
    expect(errs(prog('let s = "a-b".replacen("-", "+", "1");'))[0]).toMatch(/^E0200/);
  });

  it("s.parse() takes its target type from an expected Option[int or float] and is E0238 elsewhere", () => {
    const p = ok(prog('let a: Option[u8] = "7".parse();\nlet b: Option[f64] = "7".parse();'));
    expect(localType(p, "main", "a")).toBe("Option[u8]");
    expect(localType(p, "main", "b")).toBe("Option[f64]");
    expect(errs(prog('let a = "7".parse();'))).toEqual(["E0238 2:9"]);
    expect(errs(prog('let a: Option[String] = "7".parse();'))).toEqual(["E0238 2:25"]);
  });
});
