/**
 * How numbers and times read on the pages. Credits are integers in minor units everywhere; the display
 * scale (decimal places, configured on the server) only changes how they are written, so every
 * conversion here goes through bigint and never through a float.
 */

/** The most decimal places a display scale may have. */
export const DISPLAY_SCALE_MAX = 6;

type MinorAmount = number | bigint | string;

function toBigInt(minor: MinorAmount): bigint {
  if (typeof minor === "bigint") return minor;
  if (typeof minor === "number") return BigInt(Math.trunc(minor));
  return BigInt(minor);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `123456` at scale 2 reads `1,234.56`; at scale 0, `123,456`. */
export function formatCredits(minor: MinorAmount, scale: number): string {
  const value = toBigInt(minor);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const whole = groupThousands(digits.slice(0, digits.length - scale));
  const fraction = scale === 0 ? "" : `.${digits.slice(digits.length - scale)}`;
  return `${negative ? "−" : ""}${whole}${fraction}`;
}

export type ParsedCredits = { ok: true; minor: number } | { ok: false; message: string };

/** What a person typed, in display units, as minor units: `12.5` at scale 2 is 1250. */
export function parseCredits(text: string, scale: number): ParsedCredits {
  const trimmed = text.trim().replaceAll(",", "");
  if (trimmed === "") return { ok: false, message: "Enter an amount" };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(trimmed);
  if (match === null) return { ok: false, message: "Enter a number, like 50" };
  const fraction = match[2] ?? "";
  if (fraction.length > scale)
    return {
      ok: false,
      message: scale === 0 ? "Whole credits only" : `At most ${scale} decimal places`,
    };
  const minor = BigInt(`${match[1] ?? "0"}${fraction.padEnd(scale, "0")}`);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, message: "That amount is too large" };
  return { ok: true, minor: Number(minor) };
}

/** A countdown: `2d 4h`, `4h 12m`, `12m 05s`, `45s`; `now` at or below zero. */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return "now";
  const totalSeconds = Math.ceil(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, "0")}s`;
  return `${seconds}s`;
}

const dateFormat = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "short", day: "numeric" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});

/** `Dec 24, 2026`; an em dash for none. */
export function formatDate(iso: string | null | undefined): string {
  return iso === null || iso === undefined ? "—" : dateFormat.format(new Date(iso));
}

/** `Dec 24, 2026, 3:05 PM`; an em dash for none. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso === null || iso === undefined ? "—" : dateTimeFormat.format(new Date(iso));
}

/** A share as a percentage with one decimal at most: `0.4567` reads `45.7%`. */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "—";
  return `${Math.round(share * 1000) / 10}%`;
}

/** A count: `12,345`. */
export function formatCount(count: number): string {
  return groupThousands(String(Math.trunc(count)));
}

/** "1 credit", "1.00 credit", "12 credits": singular only for exactly one whole credit. */
export function creditsWord(minor: MinorAmount, scale: number): string {
  return toBigInt(minor) === 10n ** BigInt(scale) ? "credit" : "credits";
}
