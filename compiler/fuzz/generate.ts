// Grammar-aware generation of Kāra programs. Programs are built from a typed environment so most
// of them type-check and reach the later phases (effects, concurrency, codegen); a per-program
// "noise" rate sometimes puts a wrong-typed or unknown operand in a slot, to drive the checker's
// error paths from deep inside otherwise valid code.

import { Rng } from "./rng.js";

type Ty = "i64" | "bool" | "vec" | "rec" | "atomic" | "closure";

interface Var {
  name: string;
  ty: Ty;
  mut: boolean;
}

interface Helper {
  name: string;
  params: number;
  ret: "i64" | "bool";
}

const INTERESTING = ["0", "1", "-1", "2", "7", "255", "9223372036854775807", "i64.MAX", "i64.MIN", "1_000_000", "0xff", "0b1011", "0o17", "42i64"];
const ARITH = ["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"];
const CMP = ["<", "<=", ">", ">=", "==", "!="];
const ORDERINGS = ["Relaxed", "SeqCst", "Acquire", "Release", "AcqRel"];
const LOAD_ORDERINGS = ["Relaxed", "SeqCst", "Acquire"];

class Gen {
  private out: string[] = [];
  private scopes: Var[][] = [[]];
  private counter = 0;
  private helpers: Helper[] = [];
  private inLoop = 0;
  private inPar = 0;
  private fnRet: "i64" | "bool" | "unit" = "unit";

  constructor(
    private readonly r: Rng,
    private readonly noise: number,
    private readonly maxDepth: number,
  ) {}

  private fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  private vars(ty: Ty, mut = false): Var[] {
    const found: Var[] = [];
    for (const s of this.scopes) for (const v of s) if (v.ty === ty && (!mut || v.mut)) found.push(v);
    return found;
  }

  private declare(v: Var): void {
    this.scopes[this.scopes.length - 1].push(v);
  }

  private line(indent: number, text: string): void {
    this.out.push("    ".repeat(indent) + text);
  }

  // ---- expressions ----

  private noisy(): string | undefined {
    if (!this.r.chance(this.noise)) return undefined;
    return this.r.pick(["true", '"text"', "undefined_name", "3.5", "'c'", "()", "Vec.new()", "x0.missing", "nothing(1)"]);
  }

  int(d: number): string {
    const n = this.noisy();
    if (n) return n;
    const r = this.r;
    const leaf = (): string => {
      const vs = this.vars("i64");
      if (vs.length && r.chance(0.6)) return r.pick(vs).name;
      return r.chance(0.15) ? r.pick(INTERESTING) : String(r.int(0, 100));
    };
    if (d >= this.maxDepth) return leaf();
    const vecs = this.vars("vec");
    const recs = this.vars("rec");
    const atomics = this.vars("atomic");
    const closures = this.vars("closure");
    switch (r.int(0, 15)) {
      case 0:
      case 1:
      case 2:
        return `${this.int(d + 1)} ${r.pick(ARITH)} ${this.int(d + 1)}`;
      case 3:
        return `(${this.int(d + 1)} ${r.pick(["+", "-", "*"])} ${this.int(d + 1)})`;
      case 4:
        return `-${leaf()}`;
      case 5: {
        const hs = this.helpers.filter((h) => h.ret === "i64");
        if (!hs.length) return leaf();
        const h = r.pick(hs);
        return `${h.name}(${Array.from({ length: h.params }, () => this.int(d + 1)).join(", ")})`;
      }
      case 6:
        return `(if ${this.bool(d + 1)} { ${this.int(d + 1)} } else { ${this.int(d + 1)} })`;
      case 7: {
        const t = this.fresh("t");
        return `({ let ${t} = ${this.int(d + 1)}; ${t} ${r.pick(["+", "*", "-"])} ${this.int(d + 1)} })`;
      }
      case 8:
        return `(match ${this.int(d + 1)} { 0 => ${this.int(d + 1)}, 1 | 2 => ${this.int(d + 1)}, _ => ${this.int(d + 1)} })`;
      case 9:
        if (vecs.length) return r.chance(0.5) ? `${r.pick(vecs).name}.len()` : `${r.pick(vecs).name}[${this.int(d + 1)}]`;
        return leaf();
      case 10:
        if (recs.length) return r.chance(0.5) ? `${r.pick(recs).name}.a` : `${r.pick(recs).name}.total()`;
        return leaf();
      case 11:
        if (atomics.length) return `${r.pick(atomics).name}.load(MemoryOrdering.${r.pick(LOAD_ORDERINGS)})`;
        return leaf();
      case 12:
        if (closures.length) return `${r.pick(closures).name}(${this.int(d + 1)})`;
        return `((${this.int(d + 1)}) as i32) as i64`;
      case 13:
        return `(${leaf()}).abs()`;
      default:
        return leaf();
    }
  }

  bool(d: number): string {
    const n = this.noisy();
    if (n) return n;
    const r = this.r;
    const vs = this.vars("bool");
    if (d >= this.maxDepth) return vs.length && r.chance(0.5) ? r.pick(vs).name : r.pick(["true", "false"]);
    switch (r.int(0, 6)) {
      case 0:
      case 1:
        return `${this.int(d + 1)} ${r.pick(CMP)} ${this.int(d + 1)}`;
      case 2:
        return `${this.bool(d + 1)} ${r.pick(["and", "or"])} ${this.bool(d + 1)}`;
      case 3:
        return `not (${this.bool(d + 1)})`;
      case 4: {
        const hs = this.helpers.filter((h) => h.ret === "bool");
        if (hs.length) {
          const h = r.pick(hs);
          return `${h.name}(${Array.from({ length: h.params }, () => this.int(d + 1)).join(", ")})`;
        }
        return "true";
      }
      default:
        return vs.length ? r.pick(vs).name : r.pick(["true", "false"]);
    }
  }

  // ---- statements ----

  private block(indent: number, count: number, extra?: () => void): void {
    this.scopes.push([]);
    extra?.();
    for (let i = 0; i < count; i++) this.stmt(indent);
    this.scopes.pop();
  }

  stmt(indent: number): void {
    const r = this.r;
    const depthLeft = this.maxDepth - indent;
    const k = r.int(0, depthLeft > 1 ? 23 : 9);
    switch (k) {
      case 0:
      case 1: {
        const name = this.fresh("x");
        const mut = r.chance(0.6);
        this.line(indent, `let ${mut ? "mut " : ""}${name}${r.chance(0.3) ? ": i64" : ""} = ${this.int(1)};`);
        this.declare({ name, ty: "i64", mut });
        return;
      }
      case 2: {
        const name = this.fresh("b");
        this.line(indent, `let ${name} = ${this.bool(1)};`);
        this.declare({ name, ty: "bool", mut: false });
        return;
      }
      case 3:
      case 4: {
        const ms = this.vars("i64", true);
        if (!ms.length || this.inPar) return this.stmtPrint(indent);
        const v = r.pick(ms).name;
        if (r.chance(0.5)) this.line(indent, `${v} = ${this.int(1)};`);
        else this.line(indent, `${v} ${r.pick(["+=", "-=", "*=", "|=", "^="])} ${this.int(1)};`);
        return;
      }
      case 5:
      case 6:
        return this.stmtPrint(indent);
      case 7: {
        const name = this.fresh("v");
        const init = r.pick(["Vec.new()", `[${this.int(2)}, ${this.int(2)}, ${this.int(2)}]`, `Vec.filled(${r.int(0, 5)}, ${this.int(2)})`, `Vec.from_fn(${r.int(0, 5)}, |i| i * ${r.int(1, 9)})`]);
        this.line(indent, `let mut ${name}: Vec[i64] = ${init};`);
        this.declare({ name, ty: "vec", mut: true });
        return;
      }
      case 8: {
        const vs = this.vars("vec", true);
        if (!vs.length || this.inPar) return this.stmtPrint(indent);
        const v = r.pick(vs).name;
        this.line(indent, r.chance(0.6) ? `${v}.push(${this.int(1)});` : `${v}[${this.int(2)}] = ${this.int(1)};`);
        return;
      }
      case 9: {
        if (this.fnRet === "unit" || r.chance(0.7)) return this.stmtPrint(indent);
        this.line(indent, `if ${this.bool(1)} { return ${this.fnRet === "i64" ? this.int(1) : this.bool(1)}; }`);
        return;
      }
      case 10:
      case 11: {
        this.line(indent, `if ${this.bool(1)} {`);
        this.block(indent + 1, r.int(1, 3));
        if (r.chance(0.5)) {
          this.line(indent, `} else {`);
          this.block(indent + 1, r.int(1, 2));
        }
        this.line(indent, `}`);
        return;
      }
      case 12: {
        const i = this.fresh("i");
        const bound = r.int(0, 6);
        this.line(indent, `let mut ${i} = 0;`);
        this.line(indent, `while ${i} < ${bound} {`);
        this.inLoop++;
        this.block(indent + 1, r.int(1, 3));
        this.inLoop--;
        this.line(indent + 1, `${i} = ${i} + 1;`);
        this.line(indent, `}`);
        return;
      }
      case 13: {
        const i = this.fresh("k");
        const range = r.pick([`0..${r.int(0, 6)}`, `1..=${r.int(0, 4)}`, `(0..${r.int(1, 5)}).rev()`, `(0..${r.int(1, 9)}).step_by(${r.int(1, 3)})`]);
        this.line(indent, `for ${i} in ${range} {`);
        this.inLoop++;
        this.block(indent + 1, r.int(1, 3), () => this.declare({ name: i, ty: "i64", mut: false }));
        if (r.chance(0.2)) this.line(indent + 1, r.pick(["break;", "continue;"]));
        this.inLoop--;
        this.line(indent, `}`);
        return;
      }
      case 14: {
        const vs = this.vars("vec");
        if (!vs.length) return this.stmtPrint(indent);
        const e = this.fresh("e");
        this.line(indent, `for ${e} in ${r.pick(vs).name} {`);
        this.block(indent + 1, r.int(1, 2), () => this.declare({ name: e, ty: "i64", mut: false }));
        this.line(indent, `}`);
        return;
      }
      case 15:
      case 16: {
        // `par` branches bind fresh names that are visible after the block.
        const n = r.int(1, 3);
        const names = Array.from({ length: n }, () => this.fresh("p"));
        this.line(indent, `par {`);
        this.inPar++;
        for (const nm of names) this.line(indent + 1, `let ${nm} = ${this.int(1)};`);
        if (r.chance(0.3)) this.stmtPrint(indent + 1);
        this.inPar--;
        this.line(indent, `}`);
        for (const nm of names) this.declare({ name: nm, ty: "i64", mut: false });
        return;
      }
      case 17: {
        const tg = this.fresh("tg");
        const h = this.fresh("h");
        const res = this.fresh("r");
        this.line(indent, `let mut ${tg} = TaskGroup.new();`);
        const hs: string[] = [];
        for (let j = 0, n = r.int(1, 3); j < n; j++) {
          hs.push(`${h}_${j}`);
          this.line(indent, `let ${h}_${j} = ${tg}.spawn(|| ${this.int(1)});`);
        }
        this.line(indent, `let ${res} = ${hs.map((x) => `${x}.join()`).join(" + ")};`);
        this.declare({ name: res, ty: "i64", mut: false });
        return;
      }
      case 18: {
        const a = this.fresh("at");
        this.line(indent, `let ${a} = Atomic.new(${this.int(2)});`);
        this.declare({ name: a, ty: "atomic", mut: false });
        this.line(indent, `let _ = ${a}.${r.pick(["fetch_add", "fetch_sub", "swap", "fetch_or"])}(${this.int(2)}, MemoryOrdering.${r.pick(ORDERINGS)});`);
        return;
      }
      case 19: {
        const name = this.fresh("s");
        this.line(indent, `let mut ${name} = Rec { a: ${this.int(1)}, flag: ${this.bool(1)} };`);
        this.declare({ name, ty: "rec", mut: true });
        if (r.chance(0.5)) this.line(indent, `${name}.a = ${this.int(1)};`);
        return;
      }
      case 20: {
        const name = this.fresh("f");
        const p = this.fresh("q");
        this.scopes.push([{ name: p, ty: "i64", mut: false }]);
        const body = this.int(1);
        this.scopes.pop();
        this.line(indent, `let ${name} = |${p}: i64| ${body};`);
        this.declare({ name, ty: "closure", mut: false });
        return;
      }
      case 21: {
        const name = this.fresh("l");
        const c = this.fresh("c");
        this.line(indent, `let mut ${c} = 0;`);
        this.line(indent, `let ${name} = loop {`);
        this.line(indent + 1, `${c} = ${c} + 1;`);
        this.line(indent + 1, `if ${c} > ${r.int(0, 4)} { break ${this.int(2)}; }`);
        this.line(indent, `};`);
        this.declare({ name, ty: "i64", mut: false });
        return;
      }
      case 22: {
        this.line(indent, `match ${this.int(1)} {`);
        this.line(indent + 1, `0 => { println("zero"); }`);
        this.line(indent + 1, `n if n > 0 => { println(n); }`);
        this.line(indent + 1, `_ => {}`);
        this.line(indent, `}`);
        return;
      }
      default: {
        const lbl = this.fresh("outer");
        this.line(indent, `${lbl}: for ${lbl}_i in 0..${r.int(1, 4)} {`);
        this.inLoop++;
        this.block(indent + 1, r.int(1, 2), () => this.declare({ name: `${lbl}_i`, ty: "i64", mut: false }));
        this.line(indent + 1, `if ${this.bool(2)} { ${r.pick(["break", "continue"])} ${lbl}; }`);
        this.inLoop--;
        this.line(indent, `}`);
      }
    }
  }

  private stmtPrint(indent: number): void {
    const r = this.r;
    const pick = r.int(0, 3);
    if (pick === 0) this.line(indent, `println(${this.int(1)});`);
    else if (pick === 1) this.line(indent, `println(${this.bool(1)});`);
    else if (pick === 2) this.line(indent, `print(f"{${this.int(2)}} ");`);
    else {
      const vs = this.vars("vec");
      this.line(indent, vs.length ? `println(${r.pick(vs).name});` : `println("-");`);
    }
  }

  // ---- items ----

  program(): string {
    const r = this.r;
    this.line(0, `struct Rec { a: i64, flag: bool }`);
    this.line(0, ``);
    this.line(0, `impl Rec {`);
    this.line(1, `fn total(ref self) -> i64 { if self.flag { self.a + 1 } else { self.a } }`);
    this.line(0, `}`);
    this.line(0, ``);
    for (let h = 0, n = r.int(0, 3); h < n; h++) {
      const helper: Helper = { name: `helper${h}`, params: r.int(0, 3), ret: r.chance(0.75) ? "i64" : "bool" };
      const params = Array.from({ length: helper.params }, (_, i) => `a${i}: i64`);
      this.line(0, `fn ${helper.name}(${params.join(", ")}) -> ${helper.ret} {`);
      this.scopes = [Array.from({ length: helper.params }, (_, i) => ({ name: `a${i}`, ty: "i64" as Ty, mut: false }))];
      this.fnRet = helper.ret;
      for (let i = 0, m = r.int(0, 4); i < m; i++) this.stmt(1);
      this.line(1, helper.ret === "i64" ? this.int(1) : this.bool(1));
      this.line(0, `}`);
      this.line(0, ``);
      this.helpers.push(helper); // declared after its body: calls only go to earlier helpers
    }
    this.scopes = [[]];
    this.fnRet = "unit";
    this.line(0, `fn main() {`);
    for (let i = 0, m = r.int(2, 12); i < m; i++) this.stmt(1);
    this.line(0, `}`);
    return this.out.join("\n") + "\n";
  }
}

/** A random program from `rng`. About a third carry type noise; the rest are meant to compile. */
export function generateProgram(rng: Rng): string {
  const noise = rng.chance(0.3) ? 0.03 : 0;
  return new Gen(rng, noise, rng.int(2, 5)).program();
}
