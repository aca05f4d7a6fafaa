// LL(1) lookahead for the grammar, computed with FIRST sets memoised per rule.
//
// Chevrotain's own strategy (LLkLookaheadStrategy) finds the tokens that start each alternative
// by walking the grammar anew for every decision, so rules used everywhere (`expr` and what it
// reaches) are expanded again for each OR / OPTION / MANY that can start with them; that made up
// most of building the parser. This strategy computes the same token sets — the same ones, quirks
// included, which lookahead.test.ts checks against Chevrotain for every decision of the grammar —
// once per rule, and builds lookahead functions that behave as Chevrotain's do.

import {
  Alternation,
  Alternative,
  LLkLookaheadStrategy,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  Terminal,
  type ILookaheadStrategy,
  type ILookaheadValidationError,
  type IOrAlt,
  type IProduction,
  type IToken,
  type OptionalProductionType,
  type Rule,
  type TokenType,
} from "chevrotain";

/** The tokens that can start a production, and whether it can also match nothing. */
interface First {
  tokens: TokenType[];
  nullable: boolean;
}

/** A lookahead path as Chevrotain represents it: a one-token path, or [] for "matches anything". */
export type LookaheadPaths = TokenType[][];

// `this` of a lookahead function is the parser.
interface Lookahead {
  LA_FAST(n: number): IToken;
}

const OPTIONAL_CLASSES: Record<OptionalProductionType, new (...args: never[]) => IProduction> = {
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
};

export class LL1Lookahead implements ILookaheadStrategy {
  private readonly ruleFirst = new Map<Rule, First>();
  // Validations, and decisions written with more than one token of lookahead, go to Chevrotain's
  // own strategy.
  private readonly general = new LLkLookaheadStrategy({ maxLookahead: 1 });

  validate(options: { rules: Rule[]; tokenTypes: TokenType[]; grammarName: string }): ILookaheadValidationError[] {
    return this.general.validate(options);
  }

  /** Per alternative of the `occurrence`-th OR of `rule`, its lookahead paths. */
  alternationPaths(rule: Rule, occurrence: number): LookaheadPaths[] {
    const or = findProduction(rule.definition, Alternation, occurrence) as Alternation;
    return (or.definition as Alternative[]).map((alt) => pathsOf(this.sequence(alt.definition)));
  }

  /** The lookahead paths that enter the `occurrence`-th OPTION / MANY / … of `rule`. */
  optionalPaths(rule: Rule, occurrence: number, prodType: OptionalProductionType): LookaheadPaths {
    const prod = findProduction(rule.definition, OPTIONAL_CLASSES[prodType], occurrence) as IProduction & { definition: IProduction[] };
    return pathsOf(this.sequence(prod.definition));
  }

  buildLookaheadForAlternation(options: {
    prodOccurrence: number;
    rule: Rule;
    maxLookahead: number;
    hasPredicates: boolean;
    dynamicTokensEnabled: boolean;
  }): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
    if (options.maxLookahead !== 1 || options.dynamicTokensEnabled) return this.general.buildLookaheadForAlternation(options);
    return alternativesLookahead(this.alternationPaths(options.rule, options.prodOccurrence), options.hasPredicates);
  }

  buildLookaheadForOptional(options: {
    prodOccurrence: number;
    prodType: OptionalProductionType;
    rule: Rule;
    maxLookahead: number;
    dynamicTokensEnabled: boolean;
  }): () => boolean {
    if (options.maxLookahead !== 1 || options.dynamicTokensEnabled) return this.general.buildLookaheadForOptional(options);
    return singleLookahead(this.optionalPaths(options.rule, options.prodOccurrence, options.prodType));
  }

  private firstOfRule(rule: Rule): First {
    let f = this.ruleFirst.get(rule);
    if (f === undefined) {
      f = this.sequence(rule.definition);
      this.ruleFirst.set(rule, f);
    }
    return f;
  }

  // FIRST of a sequence, as Chevrotain's path search finds it: an alternative whose definition is
  // empty contributes nothing (not even what follows the OR), and an OR whose alternatives are all
  // empty matches nothing.
  private sequence(defs: IProduction[]): First {
    const tokens = new Set<TokenType>();
    const add = (f: First) => f.tokens.forEach((t) => tokens.add(t));
    for (const prod of defs) {
      if (prod instanceof Terminal) {
        tokens.add(prod.terminalType);
        return { tokens: [...tokens], nullable: false };
      }
      if (prod instanceof NonTerminal || prod instanceof Alternative || prod instanceof RepetitionMandatory) {
        const f = prod instanceof NonTerminal ? this.firstOfRule(prod.referencedRule) : this.sequence(prod.definition);
        add(f);
        if (!f.nullable) return { tokens: [...tokens], nullable: false };
      } else if (prod instanceof RepetitionMandatoryWithSeparator) {
        const f = this.sequence(prod.definition);
        add(f);
        if (!f.nullable) return { tokens: [...tokens], nullable: false };
        tokens.add(prod.separator);
      } else if (prod instanceof Option || prod instanceof Repetition) {
        add(this.sequence(prod.definition));
      } else if (prod instanceof RepetitionWithSeparator) {
        const f = this.sequence(prod.definition);
        add(f);
        if (f.nullable) tokens.add(prod.separator);
      } else if (prod instanceof Alternation) {
        let nullable = false;
        for (const alt of prod.definition as Alternative[]) {
          if (alt.definition.length === 0) continue;
          const f = this.sequence(alt.definition);
          add(f);
          nullable ||= f.nullable;
        }
        if (!nullable) return { tokens: [...tokens], nullable: false };
      } else {
        throw new Error(`unknown grammar production ${prod.constructor.name}`);
      }
    }
    return { tokens: [...tokens], nullable: true };
  }
}

function pathsOf(f: First): LookaheadPaths {
  const paths = f.tokens.map((t) => [t]);
  if (f.nullable) paths.push([]);
  return paths;
}

// The production of class `cls` numbered `occurrence` in a rule's own definition (references to
// other rules are not entered).
function findProduction(defs: IProduction[], cls: new (...args: never[]) => IProduction, occurrence: number): IProduction {
  const found = search(defs, cls, occurrence);
  if (found === undefined) throw new Error(`grammar production ${cls.name}${occurrence} not found`);
  return found;
}

function search(defs: IProduction[], cls: new (...args: never[]) => IProduction, occurrence: number): IProduction | undefined {
  for (const prod of defs) {
    if (prod instanceof cls && (prod as IProduction & { idx: number }).idx === occurrence) return prod;
    if (prod instanceof NonTerminal || prod instanceof Terminal) continue;
    const found = search((prod as IProduction & { definition: IProduction[] }).definition, cls, occurrence);
    if (found !== undefined) return found;
  }
  return undefined;
}

// Token type index → what it selects, category members included (the first entry that lists a
// token wins, as in Chevrotain). An array, since token type indexes are small integers.
function indexTable<V>(entries: [TokenType[], V][]): (V | undefined)[] {
  const table: (V | undefined)[] = [];
  const set = (idx: number, value: V) => {
    if (table[idx] === undefined) table[idx] = value;
  };
  for (const [tokens, value] of entries) {
    for (const t of tokens) {
      set(t.tokenTypeIdx!, value);
      for (const member of t.categoryMatches ?? []) set(member, value);
    }
  }
  return table;
}

function alternativesLookahead(alts: LookaheadPaths[], hasPredicates: boolean): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
  const anyEmpty = alts.some((paths) => paths.some((p) => p.length === 0));
  if (!hasPredicates && !anyEmpty) {
    const table = indexTable(alts.map((paths, i) => [paths.flat(), i]));
    return function (this: Lookahead) {
      return table[this.LA_FAST(1).tokenTypeIdx];
    };
  }
  // Per alternative, a table of the token type indexes that start it (one array read per
  // alternative tried, instead of matching the token against each of its start tokens).
  const starts = alts.map((paths) => indexTable([[paths.flat(), true]]));
  const empty = alts.map((paths) => paths.some((p) => p.length === 0));
  return function (this: Lookahead, orAlts?: IOrAlt<unknown>[]) {
    const next = this.LA_FAST(1).tokenTypeIdx;
    for (let i = 0; i < starts.length; i++) {
      const gate = hasPredicates ? (orAlts?.[i] as { GATE?: () => boolean } | undefined)?.GATE : undefined;
      if (gate !== undefined && gate.call(this) === false) continue;
      if (empty[i] || starts[i][next] === true) return i;
    }
    return undefined;
  };
}

function singleLookahead(paths: LookaheadPaths): () => boolean {
  if (paths.some((p) => p.length === 0)) return () => true;
  const table = indexTable([[paths.flat(), true]]);
  return function (this: Lookahead) {
    return table[this.LA_FAST(1).tokenTypeIdx] === true;
  };
}
