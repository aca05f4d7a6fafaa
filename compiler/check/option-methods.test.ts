import { describe, expect, it } from "vitest";
import { errs, fn, localType, nodes, ok } from "./testutil.js";

const prog = (body: string): string =>
  `fn sm(n: i64) -> Option[i64] { Some(n) }\nfn res(n: i64) -> Result[i64, String] { if n > 0 { Ok(n) } else { Err("neg") } }\nfn main() {\n${body}\n}\n`;

describe("Option methods lowered to matches", () => {
  it("types or / or_else / filter / flatten as Option of the element", () => {
    const p = ok(prog("let a = sm(1).or(Some(2));\nlet b = sm(1).or_else(|| None);\nlet c = sm(1).filter(|x| x > 0);\nlet n: Option[Option[i64]] = Some(sm(3));\nlet d = n.flatten();"));
    for (const v of ["a", "b", "c", "d"]) expect(localType(p, "main", v)).toBe("Option[i64]");
    // Each call becomes a match on the receiver: no new builtin ops reach codegen.
    expect(nodes(fn(p, "main"), "match").length).toBe(4);
  });

  it("ok_or / ok_or_else take the error type from the argument; map_or / map_or_else from the default", () => {
    const p = ok(prog('let a = sm(1).ok_or("none");\nlet b = sm(1).ok_or_else(|| 5u8);\nlet c = sm(1).map_or(false, |x| x > 3);\nlet d = sm(1).map_or_else(|| "z", |x| x.to_string());'));
    expect(localType(p, "main", "a")).toBe("Result[i64, String]");
    expect(localType(p, "main", "b")).toBe("Result[i64, u8]");
    expect(localType(p, "main", "c")).toBe("bool");
    expect(localType(p, "main", "d")).toBe("String");
  });

  it("rejects wrong arities, a non-bool filter and flatten on a non-nested Option", () => {
    expect(errs(prog("let a = sm(1).ok_or();"))).toEqual(["E0202 4:9"]);
    expect(errs(prog("let a = sm(1).filter(|x| x + 1);"))[0]).toMatch(/^E0200/);
    expect(errs(prog("let a = sm(1).flatten();"))).toEqual(["E0236 4:15"]);
    expect(errs(prog("let a = sm(1).map_or(0, |x| x > 1);"))[0]).toMatch(/^E0200/);
  });
});

describe("Result methods lowered to matches", () => {
  it("ok / err convert to Option; or / or_else may change the error type", () => {
    const p = ok(prog('let a = res(1).ok();\nlet b = res(1).err();\nlet c: Result[i64, bool] = res(1).or(Ok(0));\nlet d = res(1).or_else(|e| if e.len() > 1 { Ok(0) } else { Err(e.len()) });\nlet f = res(1).map_or_else(|e| e.len(), |x| x * 2);'));
    expect(localType(p, "main", "a")).toBe("Option[i64]");
    expect(localType(p, "main", "b")).toBe("Option[String]");
    expect(localType(p, "main", "c")).toBe("Result[i64, bool]");
    expect(localType(p, "main", "d")).toBe("Result[i64, i64]");
    expect(localType(p, "main", "f")).toBe("i64");
  });

  it("Option-only methods are not Result methods and vice versa", () => {
    expect(errs(prog("let a = res(1).filter(|x| x > 0);"))).toEqual(["E0236 4:16"]);
    expect(errs(prog("let a = sm(1).ok();"))).toEqual(["E0236 4:15"]);
  });
});
