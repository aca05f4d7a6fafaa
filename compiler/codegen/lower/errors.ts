// The error codegen raises for input it cannot lower; compile() reports it as an E9999 internal
// error with the span of the construct, when known.

import type { Span } from "../../tir/nodes.js";

export class CodegenError extends Error {
  constructor(
    message: string,
    readonly span?: Span,
  ) {
    super(message);
  }
}
