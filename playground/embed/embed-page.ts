// embed.html: one snippet filling an iframe, its program taken from `#code=` (the share-link
// format), so a docs site can embed `<iframe src=".../embed.html#code=…">`.

import { sourceFromHash } from "../share-codec.js";
import "./kara-snippet.js";

const FALLBACK = 'fn main() {\n    println("Hello from Kāra!");\n}\n';

async function load(): Promise<void> {
  let source: string | undefined;
  try {
    source = await sourceFromHash(location.hash);
  } catch {
    source = undefined;
  }
  const snippet = document.createElement("kara-snippet");
  snippet.setAttribute("playground", new URL("./", location.href).href);
  snippet.textContent = source ?? FALLBACK;
  document.getElementById("snippet")!.replaceChildren(snippet);
}

await load();
window.addEventListener("hashchange", () => void load());
