/** Bundles and payments on the command line: the catalog, purchases and the review queue, revenue. */
import type { Command } from "commander";
import { pino } from "pino";
import { fail, type Outcome, ok } from "../core/errors.js";
import type { Engine } from "../engine/engine.js";
import {
  type BundleView,
  type PurchaseView,
  type RefundingProvider,
  type RevenueReport,
  refundingProviderOf,
} from "../engine/payments.js";
import { CliError, type GlobalOptions, parseTimeFlag, readJsonFile, toJson, withEngine } from "./context.js";
import { isDemoStore, paymentsFromEnv } from "./start.js";
import { keyOf, print } from "./usage-commands.js";

type Globals = () => GlobalOptions;

/** A catalog file holds at most this many bundles: far beyond any real price list. */
export const CATALOG_BUNDLES_MAX = 100;

const iso = (ms: number | null): string => (ms === null ? "-" : new Date(ms).toISOString());
const money = (amounts: Readonly<Record<string, bigint>>): string =>
  Object.keys(amounts).length === 0
    ? "0"
    : Object.entries(amounts)
        .map(([currency, amount]) => `${amount} ${currency}`)
        .join(", ");

export function formatBundle(bundle: BundleView): string {
  const bonus =
    bundle.bonusCreditsMinor > 0n
      ? ` + ${bundle.bonusCreditsMinor} bonus (${bundle.spec.bonusExpiresAfter})`
      : "";
  const gift = bundle.giftable ? ", giftable" : "";
  return `${bundle.id} v${bundle.version}  ${bundle.status.padEnd(7)} ${bundle.name}: ${bundle.creditsMinor} credits${bonus} for ${bundle.priceMinor} ${bundle.currency}${gift}`;
}

export function formatPurchase(purchase: PurchaseView): string {
  const review = purchase.reviewReason === null ? "" : `\n    review: ${purchase.reviewReason}`;
  const taken =
    purchase.refundedMinor > 0n || purchase.recoveredMinor > 0n
      ? `, refunded ${purchase.refundedMinor}, took back ${purchase.recoveredMinor} credits (${purchase.unrecoveredMinor} spent)`
      : "";
  return `${purchase.id}  ${purchase.state.padEnd(8)} ${purchase.customerId} ${purchase.bundleId} v${purchase.bundleVersion}${purchase.asGift ? " as a gift" : ""}: ${purchase.priceMinor} ${purchase.currency}, paid ${iso(purchase.paidAtMs)}${taken}${review}`;
}

export function formatRevenue(report: RevenueReport): string {
  const lines = [
    `revenue ${iso(report.fromMs)} to ${iso(report.toMs)} by ${report.bucket} (${report.timeZone})`,
  ];
  for (const bucket of report.buckets)
    if (
      bucket.purchases > 0 ||
      Object.keys(bucket.refunds).length > 0 ||
      Object.keys(bucket.disputes).length > 0
    )
      lines.push(
        `  ${iso(bucket.endMs)}  ${bucket.purchases} purchases, revenue ${money(bucket.revenue)}, refunds ${money(bucket.refunds)}, disputes ${money(bucket.disputes)}, won back ${money(bucket.reinstated)}`,
      );
  const { totals, deferred } = report;
  lines.push(
    `  total: ${totals.purchases} purchases, revenue ${money(totals.revenue)}, refunds ${money(totals.refunds)} (${totals.refundEvents}), disputes ${money(totals.disputes)} (${totals.disputeEvents}), won back ${money(totals.reinstated)}, net ${money(totals.net)}`,
    `  deferred at ${iso(deferred.atMs)}: ${money(deferred.revenue)} (${money(deferred.creditsMinor)} credits unconsumed), of which bought as gifts ${money(deferred.gifts.revenue)} (${money(deferred.gifts.creditsMinor)} credits)`,
  );
  return lines.join("\n");
}

/** A catalog file: `{"bundles": {"starter": {...}, "team": {...}}}`. */
function catalogOf(value: unknown, file: string): [string, unknown][] {
  const bundles = (value as { bundles?: unknown } | null)?.bundles;
  if (typeof bundles !== "object" || bundles === null || Array.isArray(bundles))
    throw new CliError(`${file}: must be {"bundles": {"<id>": {...}, ...}}`, 2);
  const entries = Object.entries(bundles);
  if (entries.length === 0 || entries.length > CATALOG_BUNDLES_MAX)
    throw new CliError(`${file}: must hold 1 to ${CATALOG_BUNDLES_MAX} bundles`, 2);
  return entries;
}

export function registerBundlesCommands(program: Command, globals: Globals): void {
  registerCatalogCommands(program, globals);
  program
    .command("purchases")
    .description("a customer's purchases, or without one the purchases waiting for review")
    .argument("[customerId]")
    .option("--json", "print JSON")
    .action(async (customerId: string | undefined, options: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const listed: Outcome<PurchaseView[]> =
          customerId === undefined
            ? ok(await engine.payments.purchasesInReview())
            : await engine.payments.purchasesOf(customerId);
        print(
          listed,
          options.json === true,
          (all) => all.map(formatPurchase).join("\n") || "no purchases",
          null,
        );
      });
    });
  program
    .command("purchase-review")
    .description(
      "settle a purchase in review: grant (a payment that did not match, once checked), refund (what is left of its payment, through Stripe or the demo's page) or close",
    )
    .argument("<purchaseId>")
    .argument("<decision>", "grant, refund or close")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(async (purchaseId: string, decision: string, options: { key?: string; json?: boolean }) => {
      const key = keyOf(options);
      await withEngine(globals(), async (engine) => {
        const outcome =
          decision === "grant" || decision === "close" || decision === "refund"
            ? await engine.payments.resolveReview(
                { purchaseId, decision, idempotencyKey: key },
                decision === "refund" ? refundingProvider(engine) : undefined,
              )
            : fail<PurchaseView>("invalid_request", "decision must be grant, refund or close");
        print(outcome, options.json === true, formatPurchase, key);
      });
    });
  registerReportCommands(program, globals);
}

/**
 * The provider a refund goes through: the one `boon start` would use (Stripe with its keys set; the
 * demo's page on the demo's store), so the CLI never pretends to refund a real payment.
 */
function refundingProvider(engine: Engine): RefundingProvider | undefined {
  const quiet = pino({ level: "silent" });
  const payments = paymentsFromEnv(isDemoStore(engine.store.kind), "http://localhost", quiet);
  return payments === undefined ? undefined : refundingProviderOf(payments);
}

function registerCatalogCommands(program: Command, globals: Globals): void {
  const bundles = program.command("bundles").description("credit bundles for sale (versioned)");
  bundles
    .command("put")
    .description('store every bundle of a catalog file ({"bundles": {"<id>": {...}}}) as its next version')
    .argument("<file>")
    .option("--json", "print JSON")
    .action(async (file: string, options: { json?: boolean }) => {
      const entries = catalogOf(await readJsonFile(file), file);
      await withEngine(globals(), async (engine) => {
        for (const [bundleId, spec] of entries) {
          const saved = await engine.payments.saveBundle(bundleId, spec);
          print(
            saved,
            options.json === true,
            (value) => `${formatBundle(value.bundle)}${value.created ? "  stored" : "  unchanged"}`,
            null,
          );
        }
      });
    });
  bundles
    .command("list")
    .description("the current version of every active bundle")
    .option("--all", "retired bundles too")
    .option("--json", "print JSON")
    .action(async (options: { all?: boolean; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const all = await engine.payments.listBundles({ includeRetired: options.all === true });
        process.stdout.write(
          options.json === true
            ? `${toJson(all)}\n`
            : `${all.map(formatBundle).join("\n") || "no bundles"}\n`,
        );
      });
    });
  bundles
    .command("retire")
    .description("retire a bundle: no new checkouts; past purchases keep their version")
    .argument("<bundleId>")
    .option("--json", "print JSON")
    .action(async (bundleId: string, options: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const saved = await engine.payments.retireBundle(bundleId);
        print(saved, options.json === true, (value) => formatBundle(value.bundle), null);
      });
    });
}

function registerReportCommands(program: Command, globals: Globals): void {
  const reports = program.command("reports").description("the operator's reports");
  reports
    .command("revenue")
    .description("revenue, refunds and disputes by bucket and currency, and deferred revenue at the end")
    .option("--from <time>", "ISO-8601 or +N(s|m|h|d) (default: 30 days before --to)")
    .option("--to <time>", "ISO-8601 (default: now)")
    .option("--bucket <unit>", "day or week", "day")
    .option("--time-zone <zone>", "IANA time zone of the buckets", "UTC")
    .option("--json", "print JSON")
    .action(
      async (options: { from?: string; to?: string; bucket: string; timeZone: string; json?: boolean }) => {
        const nowMs = Date.now();
        await withEngine(globals(), async (engine) => {
          const report = await engine.payments.revenue({
            fromMs: options.from === undefined ? undefined : parseTimeFlag(options.from, "--from", nowMs),
            toMs: options.to === undefined ? undefined : parseTimeFlag(options.to, "--to", nowMs),
            bucket: options.bucket,
            timeZone: options.timeZone,
          });
          print(report, options.json === true, formatRevenue, null);
        });
      },
    );
}
