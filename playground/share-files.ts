// Share links for programs of several files. One file keeps the official playground's format,
// `#code=` (share-codec.ts), so such links still open there. Several files use `#files=`: the
// same encoding (base64url, no padding, of the raw DEFLATE of UTF-8) applied to the JSON array
// `[[name, text], ...]`, the root `main.kara` first. The official playground ignores `files=`.

import type { ProgramFile } from "../compiler/api.js";
import { decodeSource, encodeSource, linkPayload } from "./share-codec.js";

const FILES_PREFIX = "files=";

/** The fragment (`#code=…` or `#files=…`) carrying `files`, and the payload alone. */
export async function shareFragment(files: readonly ProgramFile[]): Promise<{ fragment: string; payload: string }> {
  if (files.length === 1) {
    const payload = await encodeSource(files[0].text);
    return { fragment: `#code=${payload}`, payload };
  }
  const payload = await encodeSource(JSON.stringify(files.map((f) => [f.name, f.text])));
  return { fragment: `#${FILES_PREFIX}${payload}`, payload };
}

/** The raw payload of a hash's `files=` or `code=` field, whichever it carries (`files=` first). */
export function programPayload(hash: string): string | undefined {
  const field = hash.replace(/^#/, "").split("&").find((f) => f.startsWith(FILES_PREFIX));
  return field !== undefined ? field.slice(FILES_PREFIX.length) : linkPayload(hash);
}

/**
 * The program a location hash carries: the files of `#files=`, or one `main.kara` for `#code=`;
 * undefined when it carries neither. Throws on a payload that does not decode.
 */
export async function filesFromHash(hash: string): Promise<ProgramFile[] | undefined> {
  const field = hash.replace(/^#/, "").split("&").find((f) => f.startsWith(FILES_PREFIX));
  if (field === undefined) {
    const code = linkPayload(hash);
    return code === undefined ? undefined : [{ name: "main.kara", text: await decodeSource(decodeURIComponent(code)) }];
  }
  const parsed: unknown = JSON.parse(await decodeSource(decodeURIComponent(field.slice(FILES_PREFIX.length))));
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error("not a list of files");
  return parsed.map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || typeof entry[1] !== "string") throw new Error("not a [name, text] pair");
    return { name: entry[0], text: entry[1] };
  });
}
