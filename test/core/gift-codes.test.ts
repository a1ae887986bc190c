/**
 * Gift codes and link secrets as properties. A code read back in any case, with or without dashes and
 * spaces, with O, I and L for 0, 1 and 1, is itself; every single mistyped character and every swap of
 * two different neighbours (the check character included) is caught as a typo; a code carries 60
 * random bits in 12 characters of the unambiguous alphabet; secrets are 22 base64url characters and
 * read as secrets; anything else, and anything too long, is malformed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CODE_ALPHABET,
  CODE_DATA_LENGTH,
  CODE_LENGTH,
  checkCharacter,
  codeFromBytes,
  formatCode,
  GIFT_HANDLE_LENGTH_MAX,
  readGiftHandle,
  SECRET_BYTES,
  secretFromBytes,
} from "../../src/core/gift-codes.js";

const RUNS = 300;
const AMBIGUOUS = ["I", "L", "O", "U"];
const SECRET_PATTERN = /^[A-Za-z0-9_-]{22}$/;

const codeBytesArb = fc.uint8Array({ minLength: 8, maxLength: 8 });
const codeArb = codeBytesArb.map(codeFromBytes);
const secretArb = fc.uint8Array({ minLength: SECRET_BYTES, maxLength: SECRET_BYTES }).map(secretFromBytes);

/** The value of a code character, by the alphabet's position, written out here rather than imported. */
function codeValue(character: string): number {
  const value = CODE_ALPHABET.indexOf(character);
  if (value < 0) throw new Error(`not a code character: ${character}`);
  return value;
}

const characterAt = (text: string, index: number): string => text.charAt(index);

/** What a person might type for one code character: either case, or a look-alike of 0 and 1. */
function typedForms(character: string): string[] {
  const forms = [character, character.toLowerCase()];
  if (character === "0") forms.push("O", "o");
  if (character === "1") forms.push("I", "i", "L", "l");
  return forms;
}

/**
 * A code as a person might type it: each character in one of its typed forms, separators (dashes or
 * spaces) anywhere, at most the handle length in all.
 */
const typedCodeArb = codeArb.chain((code) =>
  fc
    .tuple(
      fc.array(fc.nat(), { minLength: CODE_LENGTH, maxLength: CODE_LENGTH }),
      fc.array(fc.array(fc.constantFrom("-", " ", "\t", "\n"), { maxLength: 3 }), {
        minLength: CODE_LENGTH + 1,
        maxLength: CODE_LENGTH + 1,
      }),
    )
    .map(([picks, separators]) => {
      let typed = separators[0]?.join("") ?? "";
      for (let index = 0; index < CODE_LENGTH; index += 1) {
        const forms = typedForms(characterAt(code, index));
        typed += forms[(picks[index] ?? 0) % forms.length] ?? "";
        typed += separators[index + 1]?.join("") ?? "";
      }
      return { code, typed };
    }),
);

describe("gift codes", () => {
  it("are 12 data characters of the unambiguous alphabet and a check character", () => {
    expect(CODE_DATA_LENGTH).toBeGreaterThanOrEqual(12);
    expect(CODE_LENGTH).toBe(CODE_DATA_LENGTH + 1);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    for (const ambiguous of AMBIGUOUS) expect(CODE_ALPHABET).not.toContain(ambiguous);
    expect(CODE_ALPHABET).toMatch(/^[0-9A-Z]+$/);
    fc.assert(
      fc.property(codeArb, (code) => {
        expect(code).toHaveLength(CODE_LENGTH);
        for (const character of code) expect(CODE_ALPHABET).toContain(character);
        expect(characterAt(code, CODE_DATA_LENGTH)).toBe(checkCharacter(code.slice(0, CODE_DATA_LENGTH)));
      }),
      { numRuns: RUNS },
    );
  });

  it("carry the low 60 bits of their 8 random bytes, five per character", () => {
    fc.assert(
      fc.property(codeBytesArb, (bytes) => {
        const code = codeFromBytes(bytes);
        let bits = 0n;
        for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
        let carried = 0n;
        for (let index = CODE_DATA_LENGTH - 1; index >= 0; index -= 1)
          carried = (carried << 5n) | BigInt(codeValue(characterAt(code, index)));
        expect(carried).toBe(bits & ((1n << 60n) - 1n));
      }),
      { numRuns: RUNS },
    );
  });

  it("refuse too few random bytes", () => {
    expect(() => codeFromBytes(new Uint8Array(7))).toThrow(RangeError);
    expect(() => secretFromBytes(new Uint8Array(SECRET_BYTES - 1))).toThrow(RangeError);
    expect(() => checkCharacter("0U")).toThrow(RangeError);
  });

  it("read back as themselves, as stored and as shown", () => {
    fc.assert(
      fc.property(codeArb, (code) => {
        expect(readGiftHandle(code)).toEqual({ kind: "code", code });
        const shown = formatCode(code);
        expect(shown).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
        expect(readGiftHandle(shown)).toEqual({ kind: "code", code });
        expect(readGiftHandle(shown.toLowerCase())).toEqual({ kind: "code", code });
        expect(readGiftHandle(shown.replaceAll("-", " "))).toEqual({ kind: "code", code });
      }),
      { numRuns: RUNS },
    );
  });

  it("read back as themselves in any case, with any separators, with look-alikes for 0 and 1", () => {
    fc.assert(
      fc.property(typedCodeArb, ({ code, typed }) => {
        fc.pre(typed.length <= GIFT_HANDLE_LENGTH_MAX);
        expect(readGiftHandle(typed)).toEqual({ kind: "code", code });
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it("read as codes even when dashes bring them to a link secret's length", () => {
    // 13 code characters and 9 dashes make 22 base64url characters, the shape of a secret.
    fc.assert(
      fc.property(
        codeArb,
        fc.uniqueArray(fc.integer({ min: 1, max: CODE_LENGTH - 1 }), { minLength: 9, maxLength: 9 }),
        (code, cuts) => {
          let typed = "";
          for (let index = 0; index < CODE_LENGTH; index += 1)
            typed += `${cuts.includes(index) ? "-" : ""}${characterAt(code, index)}`;
          expect(typed).toMatch(SECRET_PATTERN);
          expect(readGiftHandle(typed)).toEqual({ kind: "code", code });
          expect(readGiftHandle(typed.toLowerCase())).toEqual({ kind: "code", code });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("catch every single mistyped character, the check character included", () => {
    fc.assert(
      fc.property(codeArb, (code) => {
        for (let index = 0; index < CODE_LENGTH; index += 1) {
          for (const replacement of CODE_ALPHABET) {
            if (replacement === characterAt(code, index)) continue;
            const typo = code.slice(0, index) + replacement + code.slice(index + 1);
            expect({ typo, read: readGiftHandle(typo) }).toEqual({ typo, read: { kind: "mistyped" } });
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("catch every swap of two different neighbours, the check character included", () => {
    fc.assert(
      fc.property(codeArb, (code) => {
        for (let index = 0; index + 1 < CODE_LENGTH; index += 1) {
          const [a, b] = [characterAt(code, index), characterAt(code, index + 1)];
          if (a === b) continue;
          const swapped = code.slice(0, index) + b + a + code.slice(index + 2);
          expect({ swapped, read: readGiftHandle(swapped) }).toEqual({ swapped, read: { kind: "mistyped" } });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("catch the swap of every pair of different characters at every position", () => {
    // Exhaustive over the pairs, so a pair that slips past the check is found whatever the codes drawn.
    const missed: string[] = [];
    for (let index = 0; index + 1 < CODE_LENGTH; index += 1) {
      for (const a of CODE_ALPHABET) {
        for (const b of CODE_ALPHABET) {
          if (a === b) continue;
          const valid = validCodeWith(index, a, b);
          const swapped = valid.slice(0, index) + b + a + valid.slice(index + 2);
          if (readGiftHandle(swapped).kind !== "mistyped") missed.push(`${valid} -> ${swapped}`);
        }
      }
    }
    expect(missed).toEqual([]);
  });
});

/**
 * A valid code holding `a` then `b` at `index` and `index + 1`. When the pair ends on the check
 * character, the data is searched for one whose check character is `b`.
 */
function validCodeWith(index: number, a: string, b: string): string {
  if (index + 1 < CODE_DATA_LENGTH) {
    const data = `${"7".repeat(index)}${a}${b}`.padEnd(CODE_DATA_LENGTH, "K");
    return data + checkCharacter(data);
  }
  const data = `${"K".repeat(CODE_DATA_LENGTH - 1)}${a}`;
  for (const first of CODE_ALPHABET) {
    const candidate = first + data.slice(1);
    if (checkCharacter(candidate) === b) return candidate + b;
  }
  throw new Error(`no code ends in ${a}${b}`);
}

describe("link secrets", () => {
  it("are 22 base64url characters and read as themselves, case kept", () => {
    fc.assert(
      fc.property(secretArb, (secret) => {
        expect(secret).toMatch(SECRET_PATTERN);
        expect(readGiftHandle(secret)).toEqual({ kind: "secret", secret });
      }),
      { numRuns: RUNS },
    );
  });

  it("differ for different bytes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: SECRET_BYTES, maxLength: SECRET_BYTES }),
        fc.uint8Array({ minLength: SECRET_BYTES, maxLength: SECRET_BYTES }),
        (a, b) => {
          fc.pre(Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0);
          expect(secretFromBytes(a)).not.toBe(secretFromBytes(b));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("anything else", () => {
  /** Characters that are neither code characters (in any typed form), separators, nor base64url. */
  const junkCharacterArb = fc.constantFrom(
    "U",
    "u",
    "!",
    "@",
    "#",
    ".",
    ",",
    "+",
    "/",
    "=",
    "_",
    "é",
    "Ø",
    "\u0000",
    "😀",
    "？",
  );

  it("is malformed when it holds a character no code has", () => {
    fc.assert(
      fc.property(codeArb, fc.nat({ max: CODE_LENGTH - 1 }), junkCharacterArb, (code, index, junk) => {
        const replaced = code.slice(0, index) + junk + code.slice(index + 1);
        fc.pre(!SECRET_PATTERN.test(replaced));
        expect(readGiftHandle(replaced)).toEqual({ kind: "malformed" });
        const added = code.slice(0, index) + junk + code.slice(index);
        expect(readGiftHandle(added)).toEqual({ kind: "malformed" });
      }),
      { numRuns: RUNS },
    );
  });

  it("is malformed when it has too few or too many code characters", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...CODE_ALPHABET), maxLength: GIFT_HANDLE_LENGTH_MAX }),
        (text) => {
          fc.pre(text.length !== CODE_LENGTH && text.length !== 22);
          expect(readGiftHandle(text)).toEqual({ kind: "malformed" });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("is malformed when longer than the handle limit, even a valid code padded with spaces", () => {
    fc.assert(
      fc.property(codeArb, fc.integer({ min: 1, max: 200 }), (code, extra) => {
        const padding = " ".repeat(GIFT_HANDLE_LENGTH_MAX - CODE_LENGTH);
        expect(readGiftHandle(`${code}${padding}`)).toEqual({ kind: "code", code });
        expect(readGiftHandle(`${code}${padding}${" ".repeat(extra)}`)).toEqual({ kind: "malformed" });
      }),
      { numRuns: RUNS },
    );
    expect(readGiftHandle("A".repeat(GIFT_HANDLE_LENGTH_MAX + 1))).toEqual({ kind: "malformed" });
    expect(readGiftHandle("x".repeat(100_000))).toEqual({ kind: "malformed" });
  });

  it("is never an error, whatever the text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 100 }), (text) => {
        const read = readGiftHandle(text);
        if (read.kind === "secret") expect(read.secret).toBe(text);
        if (read.kind === "code") {
          expect(read.code).toHaveLength(CODE_LENGTH);
          expect(checkCharacter(read.code.slice(0, CODE_DATA_LENGTH))).toBe(
            characterAt(read.code, CODE_DATA_LENGTH),
          );
        }
        if (text.length > GIFT_HANDLE_LENGTH_MAX) expect(read.kind).toBe("malformed");
      }),
      { numRuns: RUNS * 3 },
    );
    for (const text of ["", " ", "-", "----", "0000-0000-0000", "AAAA-AAAA-AAAA-AA"])
      expect(readGiftHandle(text)).toEqual({ kind: "malformed" });
  });
});
