/** Plan limits on the command line: plans, authorization, the usage page, banked and bulk resets. */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { Outcome } from "../core/errors.js";
import type { WindowLine } from "../core/usage-commands.js";
import type { ResultOf } from "../engine/engine.js";
import type { UsageView } from "../engine/usage.js";
import { CliError, type GlobalOptions, parseTimeFlag, reportFailure, toJson, withEngine } from "./context.js";

type Globals = () => GlobalOptions;

export const keyOf = (options: { key?: string }): string => options.key ?? `cli-${randomUUID()}`;
const isoOrDash = (ms: number | null): string => (ms === null ? "-" : new Date(ms).toISOString());
const list = (value: string | undefined): string[] | undefined =>
  value
    ?.split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");

export function print<T>(
  outcome: Outcome<T>,
  json: boolean,
  human: (value: T) => string,
  key: string | null,
): void {
  if (!outcome.ok) {
    reportFailure(outcome.error);
    return;
  }
  process.stdout.write(
    json
      ? `${toJson(key === null ? outcome.value : { ...outcome.value, idempotencyKey: key })}\n`
      : `${human(outcome.value)}\n`,
  );
  if (!json && key !== null) process.stderr.write(`idempotency key: ${key}\n`);
}

export function formatWindows(windows: readonly WindowLine[]): string[] {
  return windows.map(
    (w) =>
      `    ${w.windowId.padEnd(24)} ${String(w.usedUnits).padStart(8)} / ${String(w.limitUnits).padEnd(8)}` +
      ` ${w.kind.padEnd(8)} resets ${isoOrDash(w.resetsAtMs)}`,
  );
}

export function formatAuthorize(answer: ResultOf<"authorize">): string {
  const head = answer.allowed
    ? `allowed, paid by ${answer.paidBy}` +
      (answer.paidBy === "credits" ? ` (${answer.charged.creditsMinor} credits)` : "") +
      ` under plan ${answer.planId} v${answer.planVersion}`
    : `refused: ${answer.code}: ${answer.message}`;
  return [
    head,
    "  windows:",
    ...formatWindows(answer.windows),
    `  credits available ${answer.credits.availableMinor}`,
  ].join("\n");
}

export function formatUsage(view: UsageView): string {
  const lines = [
    `customer ${view.customerId}: plan ${view.planId ?? "(none)"}${view.planVersion === null ? "" : ` v${view.planVersion}`}, overflow to credits ${view.overflowAllowed ? "on" : "off"}`,
    "  windows:",
    ...formatWindows(view.windows),
    `  banked resets: ${view.resets.available}${view.resets.nextExpiresAtMs === null ? "" : `, next expires ${isoOrDash(view.resets.nextExpiresAtMs)}`}`,
  ];
  if (view.charges.length > 0) lines.push("  recent charges:");
  for (const charge of view.charges) {
    const paid =
      charge.paidBy === "credits"
        ? `${charge.creditsMinor} credits`
        : Object.entries(charge.windowUnits)
            .map(([id, units]) => `${id} ${units}`)
            .join(", ");
    lines.push(
      `    ${isoOrDash(charge.createdAtMs)}  ${charge.action} x${charge.quantity}  ${paid}  (v${charge.planVersion})`,
    );
  }
  return lines.join("\n");
}

export function registerUsageCommands(program: Command, globals: Globals): void {
  registerPlanCommands(program, globals);
  registerAuthorizeCommand(program, globals);
  registerResetCommands(program, globals);
}

function registerPlanCommands(program: Command, globals: Globals): void {
  const plans = program.command("plans").description("plans and rate cards (versioned configuration)");
  plans
    .command("load")
    .description("store every plan of a plan file as a new version (unchanged plans keep theirs)")
    .argument("<file>")
    .option("--json", "print JSON")
    .action(async (file: string, options: { json?: boolean }) => {
      const text = await readFile(file, "utf8").catch((error: Error) => {
        throw new CliError(`cannot read ${file}: ${error.message}`, 2);
      });
      await withEngine(globals(), async (engine) => {
        const outcome = await engine.loadPlanFile(text, file);
        print(
          outcome,
          options.json === true,
          (result) =>
            result.plans
              .map((p) => `plan ${p.id} v${p.version}${p.created ? " stored" : " unchanged"}`)
              .join("\n"),
          null,
        );
      });
    });
  registerPlanHistoryCommand(plans, globals);
  plans
    .command("list")
    .description("the newest version of every plan")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const all = await engine.listPlans();
        process.stdout.write(
          options.json === true
            ? `${toJson(all)}\n`
            : `${all.map((p) => `${p.id} v${p.version} (${isoOrDash(p.createdAtMs)})\n${JSON.stringify(p.spec, null, 2)}`).join("\n")}\n`,
        );
      });
    });
}

function registerPlanHistoryCommand(plans: Command, globals: Globals): void {
  plans
    .command("history")
    .description("every version of a plan, newest first")
    .argument("<planId>")
    .option("--json", "print JSON")
    .action(async (planId: string, options: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        print(
          await engine.planVersions(planId),
          options.json === true,
          (versions) =>
            versions
              .map(
                (p) =>
                  `${p.id} v${p.version} (${isoOrDash(p.createdAtMs)})\n${JSON.stringify(p.spec, null, 2)}`,
              )
              .join("\n"),
          null,
        );
      });
    });
}

function registerAuthorizeCommand(program: Command, globals: Globals): void {
  program
    .command("usage")
    .description("authorize and charge a piece of work: the plan's windows, or credits past them")
    .argument("<customerId>")
    .argument("<action>", "an action of the customer's plan, e.g. message or cloud_task")
    .option("--quantity <n>", "whole units of the action", "1")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(
      async (
        customerId: string,
        action: string,
        options: { quantity: string; key?: string; json?: boolean },
      ) => {
        const key = keyOf(options);
        await withEngine(globals(), async (engine) => {
          const outcome = await engine.authorize({
            customerId,
            action,
            quantity: Number(options.quantity),
            idempotencyKey: key,
          });
          print(outcome, options.json === true, formatAuthorize, key);
          if (outcome.ok && !outcome.value.allowed) process.exitCode = 3;
        });
      },
    );
  program
    .command("usage-history")
    .description("a customer's windows (used, limit, resets at), banked resets and recent charges")
    .argument("<customerId>")
    .option("--limit <n>", "charges per page", "25")
    .option("--cursor <chargeId>")
    .option("--json", "print JSON")
    .action(async (customerId: string, options: { limit: string; cursor?: string; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const outcome = await engine.usage(customerId, {
          limit: Number(options.limit),
          cursor: options.cursor,
        });
        print(outcome, options.json === true, formatUsage, null);
      });
    });
}

function registerResetCommands(program: Command, globals: Globals): void {
  const resets = program.command("resets").description("banked rate-limit resets and operator bulk resets");
  resets
    .command("grant")
    .description("bank a reset token for a customer")
    .argument("<customerId>")
    .option("--windows <ids>", "comma-separated window ids (meter/window); all windows when left out")
    .option("--expires-at <time>", "ISO-8601 or +30d (default: 30 days)")
    .option("--source <source>", "operator, program or purchase", "operator")
    .option("--reason <text>")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(async (customerId: string, options: Record<string, string | boolean | undefined>) => {
      const key = keyOf(options as { key?: string });
      await withEngine(globals(), async (engine) => {
        const expires = options.expiresAt as string | undefined;
        const outcome = await engine.grantReset({
          customerId,
          windows: list(options.windows as string | undefined),
          expiresAtMs: expires === undefined ? undefined : parseTimeFlag(expires, "--expires-at", Date.now()),
          source: options.source as string,
          reason: (options.reason as string | undefined) ?? null,
          idempotencyKey: key,
        });
        print(
          outcome,
          options.json === true,
          (r) => `reset ${r.tokenId} banked, expires ${isoOrDash(r.expiresAtMs)}; ${r.resets.available} held`,
          key,
        );
      });
    });
  resets
    .command("redeem")
    .description("spend a banked reset: restart the windows it covers")
    .argument("<customerId>")
    .option("--reset-id <id>", "a particular token (default: the one expiring soonest)")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(async (customerId: string, options: { resetId?: string; key?: string; json?: boolean }) => {
      const key = keyOf(options);
      await withEngine(globals(), async (engine) => {
        const outcome = await engine.redeemReset({
          customerId,
          resetId: options.resetId,
          idempotencyKey: key,
        });
        print(
          outcome,
          options.json === true,
          (r) =>
            [
              `reset ${r.tokenId} redeemed: ${r.windowIds.join(", ")} restarted`,
              ...formatWindows(r.windows),
            ].join("\n"),
          key,
        );
      });
    });
  resets
    .command("audit")
    .description("the bulk resets done so far: who, why, scope and how many, newest first")
    .option("--limit <n>", "how many", "20")
    .option("--json", "print JSON")
    .action(async (options: { limit: string; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        print(
          await engine.bulkResets(Number(options.limit)),
          options.json === true,
          (records) =>
            records
              .map(
                (r) =>
                  `${isoOrDash(r.createdAtMs)}  ${r.id}  by ${r.actor}: ${r.reason}  ` +
                  `(${r.planId === null ? `${r.customerIds?.length ?? 0} listed customers` : `plan ${r.planId}`}` +
                  `${r.windowIds === null ? "" : `, windows ${r.windowIds.join(", ")}`}; ${r.customers} customers, ${r.windows} windows)`,
              )
              .join("\n"),
          null,
        );
      });
    });
  resets
    .command("bulk")
    .description(
      "reset windows for every customer on a plan, or for a list of customers, with an audit record",
    )
    .option("--plan <planId>")
    .option("--customers <ids>", "comma-separated customer ids")
    .option("--customers-file <file>", "one customer id per line")
    .option("--windows <ids>", "comma-separated window ids; all windows when left out")
    .requiredOption("--reason <text>", "why (kept in the audit record)")
    .requiredOption("--by <actor>", "who (kept in the audit record)")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const key = keyOf(options as { key?: string });
      const file = options.customersFile as string | undefined;
      const fromFile =
        file === undefined
          ? undefined
          : (await readFile(file, "utf8")).split(/\r?\n/).filter((line) => line.trim() !== "");
      const customerIds = fromFile ?? list(options.customers as string | undefined);
      await withEngine(globals(), async (engine) => {
        const started = performance.now();
        const outcome = await engine.bulkReset({
          ...(options.plan === undefined ? {} : { plan: options.plan as string }),
          ...(customerIds === undefined ? {} : { customerIds }),
          windows: list(options.windows as string | undefined),
          actor: options.by as string,
          reason: options.reason as string,
          idempotencyKey: key,
        });
        const seconds = ((performance.now() - started) / 1000).toFixed(2);
        print(
          outcome,
          options.json === true,
          (r) =>
            `bulk reset ${r.id}: ${r.customers} customers in scope, ${r.windows} windows restarted in ${seconds}s`,
          key,
        );
      });
    });
}
