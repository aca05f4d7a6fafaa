// Methods of String and char receivers.

import { Codes } from "../codes.js";
import type { BuiltinOp, TExpr } from "../../tir/nodes.js";
import { BOOL, CHAR, I64, STRING, U32, UNIT, resolve, show, unify, type Ty } from "../types.js";
import { type CheckContext, mk, T } from "../context.js";
import type { MethodSite } from "./site.js";

/** String methods. */
export function checkStringMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "string" }>): TExpr | undefined {
  const { m, args, asValue, asPlace, b, arity, mutRecv, fail } = s;
  switch (m) {
    case "len":
    case "char_count":
      if (!arity(0)) return fail();
      return b(m === "len" ? "string.len" : "string.char_count", asValue, [], I64);
    case "is_empty":
      if (!arity(0)) return fail();
      return b("string.is_empty", asValue, [], BOOL);
    case "push": {
      if (!arity(1)) return fail();
      mutRecv();
      const v = cx.checkExpr(args[0].value, CHAR);
      if (!unify(T(v), CHAR)) {
        cx.err(Codes.Mismatch, `String.push takes a char, found ${show(T(v))}; use push_str for strings`, args[0].value.span);
      }
      return b("string.push", asPlace, [v], UNIT);
    }
    case "push_str": {
      if (!arity(1)) return fail();
      mutRecv();
      return b("string.push_str", asPlace, [cx.expectArg(args[0].value, STRING)], UNIT);
    }
    case "contains":
    case "starts_with":
    case "ends_with":
      if (!arity(1)) return fail();
      return b(`string.${m}`, asValue, [cx.expectArg(args[0].value, STRING)], BOOL);
    case "clone":
    case "trim":
    case "to_uppercase":
    case "to_lowercase":
    case "to_ascii_uppercase":
    case "to_ascii_lowercase":
      if (!arity(0)) return fail();
      return b(`string.${m}` as BuiltinOp, asValue, [], STRING);
    case "repeat":
      if (!arity(1)) return fail();
      return b("string.repeat", asValue, [cx.expectArg(args[0].value, I64)], STRING);
    case "split":
    case "find":
    case "rfind":
    case "split_once":
    case "rsplit_once": {
      if (!arity(1)) return fail();
      const v = cx.checkExpr(args[0].value, STRING);
      const at = resolve(T(v));
      if (at.kind !== "string" && at.kind !== "char") {
        if (at.kind !== "error") cx.err(Codes.Mismatch, `mismatched types: expected String or char, found ${show(at)}`, args[0].value.span);
        return fail();
      }
      if (m === "split") return b("string.split", asValue, [v], { kind: "vec", elem: STRING }, [at]);
      if (m === "find" || m === "rfind") return b(`string.${m}`, asValue, [v], cx.optionOf(I64), [at]);
      return b(`string.${m}`, asValue, [v], cx.optionOf({ kind: "tuple", elems: [STRING, STRING] }), [at]);
    }
    case "lines":
    case "split_whitespace":
      if (!arity(0)) return fail();
      return b(`string.${m}`, asValue, [], { kind: "vec", elem: STRING });
    case "trim_start":
    case "trim_end":
      if (!arity(0)) return fail();
      return b(`string.${m}`, asValue, [], STRING);
    case "replace":
      if (!arity(2)) return fail();
      return b("string.replace", asValue, [cx.expectArg(args[0].value, STRING), cx.expectArg(args[1].value, STRING)], STRING);
    case "replacen":
      if (!arity(3)) return fail();
      return b("string.replacen", asValue, [cx.expectArg(args[0].value, STRING), cx.expectArg(args[1].value, STRING), cx.expectArg(args[2].value, I64)], STRING);
    case "char_at":
      if (!arity(1)) return fail();
      return b("string.char_at", asValue, [cx.expectArg(args[0].value, I64)], cx.optionOf(CHAR));
    case "slice":
      if (!arity(2)) return fail();
      return b("string.slice", asValue, [cx.expectArg(args[0].value, I64), cx.expectArg(args[1].value, I64)], STRING);
    case "substring": {
      // karac: `substring(start)` runs to the end; the end bound saturates like slice's.
      if (args.length !== 1 && !arity(2)) return fail();
      const start = cx.expectArg(args[0].value, I64);
      const end = args.length === 2 ? cx.expectArg(args[1].value, I64) : mk({ kind: "int", value: (1n << 63n) - 1n }, I64, s.span);
      return b("string.substring", asValue, [start, end], STRING);
    }
    case "strip_prefix":
    case "strip_suffix":
      if (!arity(1)) return fail();
      return b(`string.${m}`, asValue, [cx.expectArg(args[0].value, STRING)], cx.optionOf(STRING));
    case "cmp": {
      if (!arity(1)) return fail();
      const ord = cx.table.enums.get("Ordering")!;
      return b("string.cmp", asValue, [cx.expectArg(args[0].value, STRING)], cx.table.enumTy(ord, []));
    }
  }
  return undefined;
}

/** char classification and conversion. */
export function checkCharMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "char" }>): TExpr | undefined {
  const { m, args, asValue, b, arity, fail } = s;
  switch (m) {
    // A char is Copy, so its clone is the value itself (as for integers and floats).
    case "clone":
      if (!arity(0)) return fail();
      return (asValue as { value: TExpr }).value;
    case "is_digit": {
      if (!arity(1)) return fail();
      return b("char.is_digit", asValue, [cx.expectArg(args[0].value, U32)], BOOL);
    }
    case "to_digit":
      if (!arity(1)) return fail();
      return b("char.to_digit", asValue, [cx.expectArg(args[0].value, U32)], cx.optionOf(U32));
    case "is_alphabetic":
    case "is_whitespace":
    case "is_alphanumeric":
    case "is_numeric":
    case "is_uppercase":
    case "is_lowercase":
    case "is_ascii":
    case "is_ascii_digit":
    case "is_ascii_alphabetic":
      if (!arity(0)) return fail();
      return b(`char.${m}` as BuiltinOp, asValue, [], BOOL);
    case "to_ascii_uppercase":
    case "to_ascii_lowercase":
    case "to_uppercase":
    case "to_lowercase":
      if (!arity(0)) return fail();
      return b(`char.${m}` as BuiltinOp, asValue, [], CHAR);
  }
  return undefined;
}
