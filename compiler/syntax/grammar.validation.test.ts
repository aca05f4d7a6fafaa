// The lexer and parser are built without Chevrotain's definition checks, which cost more than
// the rest of building them (see tokens.ts, grammar-base.ts). The checks run here, so a mistake
// in a token or a rule is still caught; and the parser's own LL(1) lookahead (lookahead.ts) is
// checked against Chevrotain's for every decision of the grammar.

import { afterEach, describe, expect, it } from "vitest";
import {
  Alternation,
  EmbeddedActionsParser,
  getLookaheadPaths,
  Lexer,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  Terminal,
  type IProduction,
  type Rule,
  type TokenType,
  type LookaheadProductionType,
} from "chevrotain";
import { allTokens, LEXER_CONFIG } from "./tokens.js";
import { KaraGrammar } from "./grammar.js";
import { LL1Lookahead } from "./lookahead.js";

// The grammar relies on ordered alternatives and GATEs (see grammar-base.ts), so Chevrotain's
// ambiguity findings are expected; any other finding is a mistake in the grammar.
const AMBIGUITY_FINDINGS = new Set(["AMBIGUOUS_ALTS", "AMBIGUOUS_PREFIX_ALTS", "NONE_LAST_EMPTY_ALT"]);

type ParserStatics = { DEFER_DEFINITION_ERRORS_HANDLING: boolean };
const parserStatics = Object.getPrototypeOf(EmbeddedActionsParser) as ParserStatics;

afterEach(() => {
  parserStatics.DEFER_DEFINITION_ERRORS_HANDLING = false;
});

describe("definition checks skipped at start-up", () => {
  it("the lexer passes Chevrotain's token pattern validations", () => {
    const lexer = new Lexer(allTokens, { ...LEXER_CONFIG, skipValidations: false, deferDefinitionErrorsHandling: true });
    expect(lexer.lexerDefinitionErrors.map((e) => e.message)).toEqual([]);
    expect(lexer.tokenize("fn main() { let x = 1; }").errors).toEqual([]);
  });

  it("the parser passes Chevrotain's grammar validations, apart from ordered-choice ambiguities", async () => {
    // Both are part of Chevrotain's API at run time but missing from its type declarations.
    const { ParserDefinitionErrorType } = (await import("chevrotain")) as unknown as { ParserDefinitionErrorType: Record<number, string> };
    parserStatics.DEFER_DEFINITION_ERRORS_HANDLING = true;
    for (const recovery of [false, true]) {
      const g = new KaraGrammar(recovery, true);
      const errors = (g as unknown as { definitionErrors: { type: number; message: string }[] }).definitionErrors;
      const unexpected = errors.filter((e) => !AMBIGUITY_FINDINGS.has(ParserDefinitionErrorType[e.type]));
      expect(unexpected.map((e) => e.message)).toEqual([]);
    }
  });

  it("a grammar mistake is caught by those validations", () => {
    class Broken extends EmbeddedActionsParser {
      constructor() {
        super(allTokens, { skipValidations: false });
        this.performSelfAnalysis();
      }
      top = this.RULE("top", () => {
        this.OR([{ ALT: () => this.CONSUME(allTokens[3]) }]);
        this.OR([{ ALT: () => this.CONSUME(allTokens[4]) }]); // the same OR index twice
      });
    }
    expect(() => new Broken()).toThrow(/Parser Definition Errors/);
  });
});

const DECISIONS: [new (...args: never[]) => IProduction, LookaheadProductionType][] = [
  [Alternation, "Alternation"],
  [Option, "Option"],
  [Repetition, "Repetition"],
  [RepetitionMandatory, "RepetitionMandatory"],
  [RepetitionMandatoryWithSeparator, "RepetitionMandatoryWithSeparator"],
  [RepetitionWithSeparator, "RepetitionWithSeparator"],
];

function decisionsOf(defs: IProduction[], out: { type: LookaheadProductionType; idx: number }[] = []): { type: LookaheadProductionType; idx: number }[] {
  for (const prod of defs) {
    const kind = DECISIONS.find(([cls]) => prod instanceof cls);
    if (kind) out.push({ type: kind[1], idx: (prod as IProduction & { idx: number }).idx });
    if (!(prod instanceof NonTerminal) && !(prod instanceof Terminal)) decisionsOf((prod as IProduction & { definition: IProduction[] }).definition, out);
  }
  return out;
}

const pathKeys = (paths: TokenType[][]): string[] => [...new Set(paths.map((p) => p.map((t) => t.name).join(" ")))].sort();

describe("LL(1) lookahead", () => {
  it("selects the same tokens as Chevrotain's lookahead for every decision of the grammar", () => {
    const rules = Object.values(new KaraGrammar(true).getGAstProductions()) as Rule[];
    const ll1 = new LL1Lookahead();
    let decisions = 0;
    for (const rule of rules) {
      for (const { type, idx } of decisionsOf(rule.definition)) {
        const reference = getLookaheadPaths({ occurrence: idx, rule, prodType: type, maxLookahead: 1 });
        const where = `${type}${idx} in ${rule.name}`;
        if (type === "Alternation") {
          const ours = ll1.alternationPaths(rule, idx);
          expect(ours.map(pathKeys), where).toEqual(reference.map(pathKeys));
        } else {
          expect(pathKeys(ll1.optionalPaths(rule, idx, type)), where).toEqual(pathKeys(reference[0]));
        }
        decisions++;
      }
    }
    expect(decisions).toBeGreaterThan(150);
  });
});
