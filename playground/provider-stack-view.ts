// The "Provider scopes" part of the Effects tab: for every `with_provider` / `providers { } in { }`
// scope, the provider stack that calls inside it see, as far as its function builds it. Frames are
// listed top first (the one a call reaches first); a frame hidden by a later binding of the same
// resource is marked shadowed. Choosing a scope selects its line in the editor.

import { inFileText, type FunctionEffects, type PickLine, type ProviderScopeView } from "./reports.js";

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The section, or nothing when no function opens a provider scope. */
export function providerScopesSection(doc: Document, effects: FunctionEffects[], onPickLine: PickLine): HTMLElement[] {
  const scopes = effects.flatMap((f) => f.providerScopes.map((s) => ({ fn: f.name, scope: s })));
  if (scopes.length === 0) return [];
  const list = el(doc, "ul", "provider-scopes");
  list.setAttribute("aria-label", "Provider scopes");
  for (const { fn, scope } of scopes) {
    const li = el(doc, "li");
    const button = el(doc, "button", "provider-scope", `${fn}: ${inFileText(scope.file, `line ${scope.line}`)}`);
    button.type = "button";
    button.addEventListener("click", () => onPickLine(scope.line, scope.file));
    li.append(button, stackList(doc, scope));
    list.append(li);
  }
  const note = el(doc, "p", "analysis-empty", "Top of each stack first; a caller's providers sit below these.");
  return [el(doc, "h3", "analysis-heading", "Provider scopes"), list, note];
}

function stackList(doc: Document, scope: ProviderScopeView): HTMLElement {
  const frames = el(doc, "ol", "provider-stack");
  frames.setAttribute("aria-label", `Provider stack at ${inFileText(scope.file, `line ${scope.line}`)}`);
  for (const f of [...scope.stack].reverse()) {
    const item = el(doc, "li", f.shadowed ? "provider-frame provider-shadowed" : "provider-frame");
    item.append(
      el(doc, "span", "provider-binding", `${f.resource} → ${f.provider}`),
      el(doc, "span", "provider-origin", f.shadowed ? ` bound at line ${f.line}, shadowed` : ` bound at line ${f.line}`),
    );
    frames.append(item);
  }
  return frames;
}
