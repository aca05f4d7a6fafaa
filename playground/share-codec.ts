// Share links carry the whole program in the URL fragment, so no server ever sees it:
// `#code=` + base64url (no padding) of the raw-DEFLATE of the UTF-8 source. This is the
// format of the official Kāra playground, so links move between the two.

const PREFIX = "code=";

async function pipeBytes(bytes: Uint8Array, stream: GenericTransformStream): Promise<Uint8Array> {
  const body = new Blob([bytes as BlobPart]).stream().pipeThrough(stream as unknown as TransformStream<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  // Chunked so large programs do not overflow the argument limit of fromCharCode.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error("not base64url");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The payload (without `#code=`) for a source text. */
export async function encodeSource(source: string): Promise<string> {
  const deflated = await pipeBytes(new TextEncoder().encode(source), new CompressionStream("deflate-raw"));
  return toBase64Url(deflated);
}

/** The source text for a payload; throws on anything that is not a valid link. */
export async function decodeSource(payload: string): Promise<string> {
  const inflated = await pipeBytes(fromBase64Url(payload), new DecompressionStream("deflate-raw"));
  return new TextDecoder("utf-8", { fatal: true }).decode(inflated);
}

/** `#code=<payload>` for a source text. */
export async function fragmentFor(source: string): Promise<string> {
  return `#${PREFIX}${await encodeSource(source)}`;
}

/** The raw `code=` payload of a location hash, or undefined when it carries none. */
export function linkPayload(hash: string): string | undefined {
  const field = hash.replace(/^#/, "").split("&").find((f) => f.startsWith(PREFIX));
  return field === undefined ? undefined : field.slice(PREFIX.length);
}

/**
 * The source carried by a location hash, or undefined when the hash carries none.
 * Other `&`-separated fields are ignored so later additions (options, version) stay compatible.
 */
export async function sourceFromHash(hash: string): Promise<string | undefined> {
  const payload = linkPayload(hash);
  if (payload === undefined) return undefined;
  return decodeSource(decodeURIComponent(payload));
}
