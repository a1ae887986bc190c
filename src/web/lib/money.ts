/**
 * Prices: integers in the currency's minor units (cents for usd, none for jpy), written with the
 * currency's own symbol and decimals. The amount goes to Intl as a decimal string, never as a float,
 * so no price is ever rounded on its way to the page.
 */
const formats = new Map<string, Intl.NumberFormat>();

function formatFor(currency: string): Intl.NumberFormat {
  const code = currency.toUpperCase();
  let format = formats.get(code);
  if (format === undefined) {
    format = new Intl.NumberFormat("en-US", { style: "currency", currency: code });
    formats.set(code, format);
  }
  return format;
}

/** How many decimals the currency's minor unit has: 2 for usd, 0 for jpy, 3 for kwd. */
export function currencyDigits(currency: string): number {
  return formatFor(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** `1000` usd reads `$10.00`; `500` jpy reads `¥500`. */
export function formatMoney(minor: number | bigint | string, currency: string): string {
  const digits = currencyDigits(currency);
  const value = BigInt(minor);
  const negative = value < 0n;
  const text = (negative ? -value : value).toString().padStart(digits + 1, "0");
  const decimal =
    digits === 0 ? text : `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
  // Intl reads a decimal string exactly (no float on the way); its type still names only numbers.
  return formatFor(currency).format((negative ? `-${decimal}` : decimal) as unknown as number);
}
