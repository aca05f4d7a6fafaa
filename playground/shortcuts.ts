// The keyboard shortcuts the help dialog lists, and the language reference it links to. One list,
// so the dialog and the editor hint cannot drift apart from what is documented here.

export interface Shortcut {
  keys: string;
  action: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: "Ctrl/Cmd+Enter", action: "Run the program" },
  { keys: "Ctrl/Cmd+S", action: "Share: put the program in the URL and copy the link" },
  { keys: "Shift+Alt+F", action: "Format the program (kara fmt's layout; also the Format button)" },
  { keys: "Ctrl+Space", action: "Complete a name (also offered as you type, and after a dot)" },
  { keys: "F12, Ctrl/Cmd+click", action: "Go to the definition of the name at the cursor" },
  { keys: "Hover a name", action: "Its type; for a function, its signature and inferred effects" },
  { keys: "Tab / Shift+Tab", action: "Indent / outdent in the editor" },
  { keys: "Esc, then Tab", action: "Leave the editor" },
  { keys: "Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z", action: "Undo, redo (loading an example or a link is one undo)" },
  { keys: "← → (on the pane separator)", action: "Resize the editor and the output; Home/End for the limits" },
  { keys: "↑ ↓ Home End, Enter (Examples menu)", action: "Move in the menu, load the example" },
  { keys: "← → (Timeline, tabs)", action: "Move between bars or tabs" },
  { keys: "+ − 0 (on a timeline bar), Ctrl/Cmd+wheel, pinch", action: "Zoom the timeline in, out, to fit" },
  { keys: "?", action: "This help (when the focus is not in the editor)" },
];

const BOOK = "https://github.com/karalang/kara/blob/HEAD/docs/book/src";

export const REFERENCE_LINKS: readonly { title: string; href: string }[] = [
  { title: "The Kāra book: contents", href: `${BOOK}/SUMMARY.md` },
  { title: "Functions", href: `${BOOK}/ch03-functions.md` },
  { title: "Structs and enums", href: `${BOOK}/ch05-structs-and-enums.md` },
  { title: "Collections", href: `${BOOK}/ch09-collections.md` },
  { title: "Effects", href: `${BOOK}/ch11-effects.md` },
  { title: "Concurrency", href: `${BOOK}/ch14-concurrency.md` },
  { title: "Keywords", href: `${BOOK}/appendix-a-keywords.md` },
  { title: "Standard library", href: "https://github.com/karalang/kara/blob/HEAD/docs/library/README.md" },
];
