import { readFileSync } from "node:fs";
import { parse } from "../../syntax/parser.js";
import { check } from "../../check/index.js";
const src = readFileSync(process.argv[2], "utf8");
const c = check(parse(src, "x.kara").program);
const s = JSON.stringify(c.program!.functions.find(f => f.name === (process.argv[3] ?? "main"))!.body, (k, v) => typeof v === "bigint" ? v.toString() : k === "span" || k === "type" ? undefined : v);
console.log(s);
