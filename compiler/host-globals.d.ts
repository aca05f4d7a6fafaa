// The few host globals the compiler uses. Every environment it runs in (a Web Worker, a page,
// Node) provides them, but they are not part of the ECMAScript library, so compiler/tsconfig.json
// (ES2022 only: no DOM, no Node types) declares just these. Anything beyond this list would tie
// the compiler to one host. The root tsconfig.json excludes this file: there DOM and Node types
// already declare the same names.

/** WHATWG Encoding (Web Workers, pages, Node): the output module's string data is UTF-8. */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

/** WHATWG Encoding: source files arrive as bytes and invalid UTF-8 is reported where it stands. */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}

/** HTML structured clone (Web Workers, pages, Node ≥ 17): copies a typed program before rewriting it. */
declare function structuredClone<T>(value: T): T;

/** High Resolution Time (Web Workers, pages, Node): compile-phase timings. */
declare const performance: { now(): number };
