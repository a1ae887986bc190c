/**
 * A gift's two handles. The link carries a 128-bit secret (22 base64url characters). The code is what
 * a person reads aloud or types: 12 characters from Crockford's base-32 alphabet (no I, L, O or U, so
 * nothing looks like anything else; 60 bits) and a check character: a weighted sum over the field
 * GF(32), which catches every single mistyped character and every swap of two different neighbours.
 * It is shown in groups, `7KQ2-M9XD-4HTB-R`; case, spaces and dashes don't matter, and the
 * look-alikes O, I and L are read as 0, 1 and 1.
 */

export const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CODE_DATA_LENGTH = 12;
export const CODE_LENGTH = CODE_DATA_LENGTH + 1;
export const SECRET_BYTES = 16;
/** Anything longer than this is neither a code nor a secret, whatever its separators. */
export const GIFT_HANDLE_LENGTH_MAX = 64;

const BITS_PER_CHARACTER = 5;
const VALUE_OF = new Map([...CODE_ALPHABET].map((character, index) => [character, index]));
const LOOK_ALIKES: Readonly<Record<string, string>> = { O: "0", I: "1", L: "1" };

/** Multiplication by x in GF(32) = GF(2)[x] / (x^5 + x^2 + 1); the values are the field's elements. */
const timesX = (value: number): number => (value < 16 ? value << 1 : (value << 1) ^ 0b100101);

/**
 * The check character for a string of code characters. A valid code's characters d0 ... d12 satisfy
 * x^12 d0 + x^11 d1 + ... + x d11 + d12 = 0 in GF(32). Changing one character by e != 0 changes the
 * sum by x^k e, and swapping neighbours a != b changes it by x^k (x + 1)(a + b): both are products of
 * non-zero field elements, never zero, so every such mistake is caught. (Luhn mod 32 would miss every
 * swap of 0 and Z: in base 32, 31 doubled has the digit sum 31, as 0 doubled has 0.)
 */
export function checkCharacter(data: string): string {
  let sum = 0;
  for (const character of data) {
    const value = VALUE_OF.get(character);
    if (value === undefined) throw new RangeError(`not a code character: ${character}`);
    sum = timesX(sum) ^ value;
  }
  return CODE_ALPHABET[timesX(sum)] ?? "";
}

/** A fresh code from random bytes (at least 8: 60 bits are used). */
export function codeFromBytes(bytes: Uint8Array): string {
  if (bytes.length * 8 < CODE_DATA_LENGTH * BITS_PER_CHARACTER) throw new RangeError("too few random bytes");
  let bits = 0n;
  for (const byte of bytes.subarray(0, 8)) bits = (bits << 8n) | BigInt(byte);
  let data = "";
  for (let index = 0; index < CODE_DATA_LENGTH; index += 1) {
    data += CODE_ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return data + checkCharacter(data);
}

/** The link's secret from 16 random bytes. */
export function secretFromBytes(bytes: Uint8Array): string {
  if (bytes.length < SECRET_BYTES) throw new RangeError("too few random bytes");
  return Buffer.from(bytes.subarray(0, SECRET_BYTES)).toString("base64url");
}

/** A code as people see it: groups of four, the check character last. */
export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12)}`;
}

export type GiftHandle =
  | { readonly kind: "code"; readonly code: string }
  | { readonly kind: "secret"; readonly secret: string }
  | { readonly kind: "mistyped" }
  | { readonly kind: "malformed" };

const SECRET_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * What a client sent in place of `{code}`: a link secret, a code (normalized), a code whose check
 * character does not match (a typo, told apart so the page can say so), or neither. Thirteen code
 * characters and nine dashes have a secret's shape too; they are read as the code a person typed,
 * since a random secret holds nine dashes and only code characters besides about once in 10^11.
 */
export function readGiftHandle(text: string): GiftHandle {
  if (text.length > GIFT_HANDLE_LENGTH_MAX) return { kind: "malformed" };
  const normalized = [...text.toUpperCase().replace(/[\s-]/g, "")]
    .map((character) => LOOK_ALIKES[character] ?? character)
    .join("");
  if (normalized.length !== CODE_LENGTH || [...normalized].some((character) => !VALUE_OF.has(character)))
    return SECRET_PATTERN.test(text) ? { kind: "secret", secret: text } : { kind: "malformed" };
  const data = normalized.slice(0, CODE_DATA_LENGTH);
  return checkCharacter(data) === normalized.slice(CODE_DATA_LENGTH)
    ? { kind: "code", code: normalized }
    : { kind: "mistyped" };
}
