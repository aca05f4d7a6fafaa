// Symbolic affine index forms for the disjoint-write proof: an index is a sum of loop variables
// times loop-invariant coefficients plus a loop-invariant constant. Coefficients are polynomials
// over invariant locals (`4 * w`, `w + 1`) with integer factors.

import type { LocalId } from "../tir/nodes.js";

/** Coefficients beyond this are treated as overflow of the model (the proof fails closed). */
const LIMIT = 1n << 62n;

export class OverflowError extends Error {}

/** A sum of monomials `c * a1 * a2 * …` over invariant locals. */
export class Poly {
  /** key: the sorted atom ids joined by ","; "" is the constant term. */
  private constructor(readonly terms: ReadonlyMap<string, bigint>) {}

  static constant(c: bigint): Poly {
    return new Poly(c === 0n ? new Map() : new Map([["", check(c)]]));
  }
  static atom(id: LocalId): Poly {
    return new Poly(new Map([[String(id), 1n]]));
  }

  add(o: Poly): Poly {
    const out = new Map(this.terms);
    for (const [k, c] of o.terms) {
      const s = check((out.get(k) ?? 0n) + c);
      if (s === 0n) out.delete(k);
      else out.set(k, s);
    }
    return new Poly(out);
  }
  neg(): Poly {
    return new Poly(new Map([...this.terms].map(([k, c]) => [k, -c])));
  }
  sub(o: Poly): Poly {
    return this.add(o.neg());
  }
  mul(o: Poly): Poly {
    let out = Poly.constant(0n);
    for (const [k1, c1] of this.terms) {
      for (const [k2, c2] of o.terms) {
        const atoms = [...atomsOf(k1), ...atomsOf(k2)].sort((a, b) => a - b);
        out = out.add(new Poly(new Map([[atoms.join(","), check(c1 * c2)]])));
      }
    }
    return out;
  }
  isZero(): boolean {
    return this.terms.size === 0;
  }
  /** The value when the polynomial has no atoms. */
  asConstant(): bigint | undefined {
    if (this.terms.size === 0) return 0n;
    if (this.terms.size === 1 && this.terms.has("")) return this.terms.get("")!;
    return undefined;
  }
  equals(o: Poly): boolean {
    return this.sub(o).isZero();
  }
  /** Positive for every admissible value of the atoms: positive factors over atoms known ≥ 1. */
  isPositive(positive: ReadonlySet<LocalId>): boolean {
    if (this.terms.size === 0) return false;
    for (const [k, c] of this.terms) {
      if (c <= 0n) return false;
      if (!atomsOf(k).every((a) => positive.has(a))) return false;
    }
    return true;
  }
  render(name: (id: LocalId) => string): string {
    if (this.terms.size === 0) return "0";
    const parts = [...this.terms].map(([k, c]) => {
      const atoms = atomsOf(k).map(name);
      if (atoms.length === 0) return c.toString();
      if (c === 1n) return atoms.join(" * ");
      return [c.toString(), ...atoms].join(" * ");
    });
    return parts.join(" + ");
  }
}

function atomsOf(key: string): LocalId[] {
  return key === "" ? [] : key.split(",").map(Number);
}

function check(c: bigint): bigint {
  if (c >= LIMIT || c <= -LIMIT) throw new OverflowError();
  return c;
}

/** `Σ coeff(var) * var + konst`, vars being loop induction variables. */
export class Affine {
  constructor(
    readonly vars: ReadonlyMap<LocalId, Poly>,
    readonly konst: Poly,
  ) {}

  static constant(p: Poly): Affine {
    return new Affine(new Map(), p);
  }
  static variable(id: LocalId): Affine {
    return new Affine(new Map([[id, Poly.constant(1n)]]), Poly.constant(0n));
  }
  add(o: Affine): Affine {
    const vars = new Map(this.vars);
    for (const [v, c] of o.vars) {
      const s = (vars.get(v) ?? Poly.constant(0n)).add(c);
      if (s.isZero()) vars.delete(v);
      else vars.set(v, s);
    }
    return new Affine(vars, this.konst.add(o.konst));
  }
  scale(p: Poly): Affine {
    const vars = new Map<LocalId, Poly>();
    for (const [v, c] of this.vars) {
      const s = c.mul(p);
      if (!s.isZero()) vars.set(v, s);
    }
    return new Affine(vars, this.konst.mul(p));
  }
  neg(): Affine {
    return this.scale(Poly.constant(-1n));
  }
  /** Invariant (no loop variable)? */
  invariant(): boolean {
    return this.vars.size === 0;
  }
}
