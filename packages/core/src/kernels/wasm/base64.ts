const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP: Uint8Array = (() => {
  const t = new Uint8Array(128).fill(255);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/**
 * Decodes standard base64 (with or without `=` padding) into bytes, without relying on `Buffer` or `atob`,
 * so the embedded WebAssembly module loads the same way in Node, browsers and workers. Characters
 * outside the alphabet (other than trailing `=`) raise an error.
 *
 * @example
 * ```ts
 * decodeBase64('AGFzbQ=='); // Uint8Array [0, 97, 115, 109]
 * ```
 */
export function decodeBase64(text: string): Uint8Array {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  const out = new Uint8Array((end * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? (LOOKUP[code] as number) : 255;
    if (v === 255) throw new SyntaxError(`decodeBase64: invalid character at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
