/**
 * Checks on what an operator typed, before it is sent: each returns the value in the API's terms
 * (minor units, ISO instants, lists) or a sentence that says what to fix in display terms. The limits
 * are the API's own (imported from the domain core where they live), so a form refuses exactly what
 * the API would, only sooner and in words about the field.
 */
import { formatCredits, parseCredits } from "../lib/format.js";

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const problem = (message: string): Checked<never> => ({ ok: false, message });

export const REQUIRED = "Required";

/** The duration form the API reads: 1 to 8 digits (no leading zero) and one of s, m, h, d. */
const DURATION_PATTERN = /^([1-9]\d{0,7})([smhd])$/;
const DURATION_UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

export function checkWhole(text: string, min: number, max: number): Checked<number> {
  const trimmed = text.trim().replaceAll(",", "");
  if (!/^\d+$/.test(trimmed)) return problem(`Enter a whole number from ${min} to ${max}`);
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value) || value < min || value > max)
    return problem(`Enter a whole number from ${min} to ${max}`);
  return ok(value);
}

/** An amount typed in display units, as minor units within [minMinor, maxMinor]. */
export function checkCredits(
  text: string,
  scale: number,
  minMinor: bigint,
  maxMinor: bigint,
): Checked<number> {
  const parsed = parseCredits(text, scale);
  if (!parsed.ok) return problem(parsed.message);
  const minor = BigInt(parsed.minor);
  if (minor < minMinor) return problem(`Enter at least ${formatCredits(minMinor, scale)}`);
  if (minor > maxMinor) return problem(`Enter at most ${formatCredits(maxMinor, scale)}`);
  return ok(parsed.minor);
}

/** A duration like `14d`; `0s` only where nothing is a meaningful answer (no hold at all). */
export function checkDuration(
  text: string,
  maxSeconds: number,
  zero: "zero allowed" | "positive" = "positive",
): Checked<string> {
  const trimmed = text.trim();
  if (zero === "zero allowed" && trimmed === "0s") return ok(trimmed);
  const match = DURATION_PATTERN.exec(trimmed);
  if (match === null) return problem('Enter a duration like "90s", "30m", "5h" or "14d"');
  const seconds = Number(match[1]) * (DURATION_UNIT_SECONDS[match[2] ?? "s"] ?? 1);
  if (seconds > maxSeconds) return problem(`At most ${Math.floor(maxSeconds / 86_400)}d`);
  return ok(trimmed);
}

/** A list typed with commas, spaces or line breaks between its names. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((item) => item !== "");
}

export function checkNames(text: string, pattern: RegExp, max: number, what: string): Checked<string[]> {
  const names = splitList(text);
  if (names.length > max) return problem(`At most ${max} ${what}`);
  const bad = names.find((name) => !pattern.test(name));
  if (bad !== undefined) return problem(`"${bad}" is not a valid ${what.replace(/s$/, "")}`);
  return ok(names);
}

export function checkTimeZone(text: string): Checked<string> {
  const zone = text.trim();
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone === "" ? problem(REQUIRED) : ok(zone);
  } catch {
    return problem("Enter an IANA time zone such as Europe/Paris");
  }
}

/** The value of a `datetime-local` input (the operator's own time zone) as an ISO-8601 instant. */
export function localToIso(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(local)) return null;
  const ms = new Date(local).getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** An ISO-8601 instant as a `datetime-local` input's value, in the operator's own time zone. */
export function isoToLocal(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (value: number) => String(value).padStart(2, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** The API's time bounds: anything outside 2000 to 2200 is a unit mistake, not a plan. */
const TIME_MS_MIN = Date.UTC(2000, 0, 1);
const TIME_MS_MAX = Date.UTC(2200, 0, 1);

export function checkInstant(local: string): Checked<string> {
  const iso = localToIso(local);
  if (iso === null) return problem("Enter a date and time");
  const ms = Date.parse(iso);
  if (ms < TIME_MS_MIN || ms > TIME_MS_MAX) return problem("Enter a time between 2000 and 2200");
  return ok(iso);
}
