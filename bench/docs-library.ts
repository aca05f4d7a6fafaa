// `npm run docs:library`: writes docs/library.md from the builtin registry (compiler/tir/builtins.ts).

import { writeFileSync } from "node:fs";
import { renderLibraryDoc } from "../compiler/tir/library-doc.js";

const target = new URL("../docs/library.md", import.meta.url);
writeFileSync(target, renderLibraryDoc());
console.log(`wrote ${target.pathname}`);
