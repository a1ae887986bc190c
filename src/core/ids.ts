/**
 * Prefixed, time-sortable ids: `txn_` + a UUIDv7 (RFC 9562) in lowercase hex without dashes. The
 * 48-bit millisecond prefix sorts ids by creation time; a 12-bit counter in `rand_a` keeps ids from
 * one generator strictly increasing within a millisecond.
 */
export const ID_PREFIXES = [
  "acc",
  "txn",
  "ent",
  "lot",
  "hld",
  "cus",
  "evt",
  "chg",
  "rst",
  "brs",
  "key",
  "req",
  "whe",
  "whd",
  "gft",
  "gba",
  "inv",
  "ref",
  "rwd",
  "pur",
] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

export interface IdGenerator {
  next(prefix: IdPrefix): string;
}

export type RandomBytes = (size: number) => Uint8Array;

export function createIdGenerator(randomBytes: RandomBytes, nowMs: () => number = Date.now): IdGenerator {
  let lastMs = 0;
  let counter = 0;
  return {
    next(prefix) {
      let ms = nowMs();
      if (ms <= lastMs) {
        ms = lastMs;
        counter += 1;
        // The counter has 12 bits; past that, borrow the next millisecond to stay monotonic.
        if (counter > 0xfff) {
          ms += 1;
          counter = 0;
        }
      } else {
        counter = 0;
      }
      lastMs = ms;
      return `${prefix}_${uuidv7Hex(ms, counter, randomBytes(8))}`;
    },
  };
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

function uuidv7Hex(ms: number, counter: number, random: Uint8Array): string {
  const time = ms.toString(16).padStart(12, "0");
  const randA = (0x7000 | counter).toString(16).padStart(4, "0");
  // The variant bits (10) lead the random tail, as RFC 9562 requires.
  let tail = HEX_BYTES[((random[0] ?? 0) & 0x3f) | 0x80] ?? "80";
  for (let index = 1; index < 8; index += 1) tail += HEX_BYTES[random[index] ?? 0] ?? "00";
  return `${time}${randA}${tail}`;
}

const ID_PATTERN = /^([a-z]{3})_[0-9a-f]{32}$/;

export function isId(value: string, prefix: IdPrefix): boolean {
  const match = ID_PATTERN.exec(value);
  return match !== null && match[1] === prefix;
}
