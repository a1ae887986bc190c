/** The ledger's commands: customers, grants, spending, holds, reversals, balances and the ledger. */
import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import type { Outcome } from "../core/errors.js";
import type { BalanceView } from "../engine/reads.js";
import { CliError, type GlobalOptions, parseTimeFlag, reportFailure, toJson, withEngine } from "./context.js";

type Globals = () => GlobalOptions;

/** A write without `--key` gets a fresh one, printed so the operator can retry it safely. */
function keyOf(options: { key?: string }): string {
  return options.key ?? `cli-${randomUUID()}`;
}

/** Print an outcome; `key` is the write's idempotency key, or null for a write that needs none. */
function printOutcome<T>(
  outcome: Outcome<T>,
  key: string | null,
  human: (value: T) => string,
  json: boolean,
): void {
  if (!outcome.ok) {
    reportFailure(outcome.error);
    return;
  }
  const value = key === null ? outcome.value : { ...outcome.value, idempotencyKey: key };
  process.stdout.write(json ? `${toJson(value)}\n` : `${human(outcome.value)}\n`);
  if (!json && key !== null) process.stderr.write(`idempotency key: ${key}\n`);
}

function wholeNumber(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new CliError(`${flag} must be a whole number, got ${value}`, 2);
  return Number(value);
}

const isoOrNever = (ms: number | null): string => (ms === null ? "never" : new Date(ms).toISOString());

export function formatBalance(view: BalanceView): string {
  const lines = [
    `customer ${view.customerId} at ${new Date(view.atMs).toISOString()}`,
    `  available ${view.availableMinor}   held ${view.heldMinor}   posted ${view.postedMinor}`,
  ];
  const kinds = Object.entries(view.availableByKind).filter(([, amount]) => amount > 0n);
  if (kinds.length > 0)
    lines.push(`  by kind: ${kinds.map(([kind, amount]) => `${kind} ${amount}`).join(", ")}`);
  if (view.lots.length > 0) lines.push("  lots, in the order they are spent:");
  for (const lot of view.lots) {
    lines.push(
      `    ${lot.id}  ${lot.kind.padEnd(12)} ${String(lot.remainingMinor).padStart(12)} of ${lot.amountMinor}` +
        `  held ${lot.heldMinor}  priority ${lot.priority}  expires ${isoOrNever(lot.expiresAtMs)}  ${lot.status}`,
    );
  }
  return lines.join("\n");
}

export function registerLedgerCommands(program: Command, globals: Globals): void {
  registerCustomerCommand(program, globals);
  registerGrantCommand(program, globals);
  registerConsumeCommand(program, globals);
  registerHoldCommands(program, globals);
  registerReadCommands(program, globals);
}

function registerCustomerCommand(program: Command, globals: Globals): void {
  program
    .command("customer")
    .description("create or update a customer (and its wallet)")
    .argument("<customerId>")
    .option("--plan <plan>")
    .option("--email <email>")
    .option("--name <displayName>")
    .option("--overflow <on|off>", "pay usage past the plan's windows with credits")
    .option("--json", "print JSON")
    .action(
      async (
        customerId: string,
        options: { plan?: string; email?: string; name?: string; overflow?: string; json?: boolean },
      ) => {
        if (options.overflow !== undefined && options.overflow !== "on" && options.overflow !== "off")
          throw new CliError(`--overflow must be on or off, got ${options.overflow}`, 2);
        await withEngine(globals(), async (engine) => {
          const outcome = await engine.upsertCustomer({
            id: customerId,
            plan: options.plan,
            email: options.email,
            displayName: options.name,
            overflowAllowed: options.overflow === undefined ? undefined : options.overflow === "on",
          });
          printOutcome(
            outcome,
            null,
            (c) => `customer ${c.id} (wallet ${c.accountId}) saved`,
            options.json === true,
          );
        });
      },
    );
}

function registerGrantCommand(program: Command, globals: Globals): void {
  program
    .command("grant")
    .description("grant a lot of credits to a customer")
    .argument("<customerId>")
    .argument("<amount>", "whole minor units")
    .option("--kind <kind>", "purchased, promotional or compensation", "promotional")
    .option("--priority <n>", "lower spends first (default by kind)")
    .option("--expires-at <time>", "ISO-8601 or +30d")
    .option("--effective-at <time>", "ISO-8601 or +1h")
    .option("--reason <text>")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(
      async (customerId: string, amount: string, options: Record<string, string | boolean | undefined>) => {
        await withEngine(globals(), async (engine) => {
          const nowMs = engine.clock.nowMs();
          const key = keyOf(options as { key?: string });
          const expires = options.expiresAt;
          const effective = options.effectiveAt;
          const outcome = await engine.grant({
            customerId,
            amountMinor: amount,
            kind: String(options.kind),
            priority:
              typeof options.priority === "string" ? wholeNumber(options.priority, "--priority") : undefined,
            expiresAtMs: typeof expires === "string" ? parseTimeFlag(expires, "--expires-at", nowMs) : null,
            effectiveAtMs:
              typeof effective === "string" ? parseTimeFlag(effective, "--effective-at", nowMs) : null,
            reason: typeof options.reason === "string" ? options.reason : null,
            idempotencyKey: key,
          });
          printOutcome(
            outcome,
            key,
            (g) => `granted lot ${g.lotId} (${g.transferId}); available ${g.availableMinor}`,
            options.json === true,
          );
        });
      },
    );
}

function registerConsumeCommand(program: Command, globals: Globals): void {
  program
    .command("consume")
    .description("spend credits now, in burn-down order")
    .argument("<customerId>")
    .argument("<amount>", "whole minor units")
    .option("--reason <text>")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(
      async (
        customerId: string,
        amount: string,
        options: { reason?: string; key?: string; json?: boolean },
      ) => {
        await withEngine(globals(), async (engine) => {
          const key = keyOf(options);
          const outcome = await engine.consume({
            customerId,
            amountMinor: amount,
            reason: options.reason,
            idempotencyKey: key,
          });
          printOutcome(
            outcome,
            key,
            (c) =>
              `consumed ${c.amountMinor} (${c.transferId}) from ${c.draws.map((d) => `${d.lotId} ${d.kind} ${d.amountMinor}`).join(", ")}; available ${c.availableMinor}`,
            options.json === true,
          );
        });
      },
    );
}

function registerHoldCommands(program: Command, globals: Globals): void {
  registerHoldCommand(program, globals);
  registerCaptureCommand(program, globals);
  registerVoidCommand(program, globals);
  registerReverseCommand(program, globals);
}

function registerHoldCommand(program: Command, globals: Globals): void {
  program
    .command("hold")
    .description("reserve credits for long work")
    .argument("<customerId>")
    .argument("<amount>", "whole minor units")
    .option("--ttl <seconds>", "released automatically after this long", "900")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(
      async (customerId: string, amount: string, options: { ttl: string; key?: string; json?: boolean }) => {
        await withEngine(globals(), async (engine) => {
          const key = keyOf(options);
          const ttlSeconds = wholeNumber(options.ttl, "--ttl");
          const outcome = await engine.hold({
            customerId,
            amountMinor: amount,
            ttlSeconds,
            idempotencyKey: key,
          });
          printOutcome(
            outcome,
            key,
            (h) =>
              `hold ${h.hold.id} reserves ${h.hold.amountMinor} until ${isoOrNever(h.hold.expiresAtMs)}; available ${h.availableMinor}`,
            options.json === true,
          );
        });
      },
    );
}

function registerCaptureCommand(program: Command, globals: Globals): void {
  program
    .command("capture")
    .description("capture a hold, fully or partly; the rest is released")
    .argument("<holdId>")
    .argument("[amount]", "whole minor units (default: the whole hold)")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(async (holdId: string, amount: string | undefined, options: { key?: string; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const key = keyOf(options);
        const outcome = await engine.capture({ holdId, amountMinor: amount, idempotencyKey: key });
        printOutcome(
          outcome,
          key,
          (c) => `captured ${c.hold.capturedMinor} of hold ${c.hold.id} (${c.transferId})`,
          options.json === true,
        );
      });
    });
}

function registerVoidCommand(program: Command, globals: Globals): void {
  program
    .command("void")
    .description("release a whole hold")
    .argument("<holdId>")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(async (holdId: string, options: { key?: string; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const key = keyOf(options);
        const outcome = await engine.voidHold({ holdId, idempotencyKey: key });
        printOutcome(
          outcome,
          key,
          (v) => `hold ${v.hold.id} voided; available ${v.availableMinor}`,
          options.json === true,
        );
      });
    });
}

function registerReverseCommand(program: Command, globals: Globals): void {
  program
    .command("reverse")
    .description("book the opposite of a transfer (once)")
    .argument("<transferId>")
    .option("--reason <text>")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(async (transferId: string, options: { reason?: string; key?: string; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const key = keyOf(options);
        const outcome = await engine.reverse({ transferId, reason: options.reason, idempotencyKey: key });
        printOutcome(
          outcome,
          key,
          (r) => `reversed ${r.reversesTransferId} with ${r.transferId}`,
          options.json === true,
        );
      });
    });
}

function registerReadCommands(program: Command, globals: Globals): void {
  registerBalanceCommand(program, globals);
  registerLedgerCommand(program, globals);
}

function registerBalanceCommand(program: Command, globals: Globals): void {
  program
    .command("balance")
    .description("a customer's balance and lots, now or at a past instant")
    .argument("<customerId>")
    .option("--at <time>", "ISO-8601 instant")
    .option("--json", "print JSON")
    .action(async (customerId: string, options: { at?: string; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const atMs =
          options.at === undefined ? undefined : parseTimeFlag(options.at, "--at", engine.clock.nowMs());
        const outcome = await engine.balance(customerId, { atMs });
        if (!outcome.ok) return reportFailure(outcome.error);
        process.stdout.write(
          `${options.json === true ? toJson(outcome.value) : formatBalance(outcome.value)}\n`,
        );
      });
    });
}

function registerLedgerCommand(program: Command, globals: Globals): void {
  program
    .command("ledger")
    .description("a customer's entries, newest first")
    .argument("<customerId>")
    .option("--limit <n>", "entries per page", "25")
    .option("--cursor <entryId>", "continue after this entry")
    .option("--json", "print JSON")
    .action(async (customerId: string, options: { limit: string; cursor?: string; json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const outcome = await engine.ledger(customerId, {
          limit: wholeNumber(options.limit, "--limit"),
          cursor: options.cursor,
        });
        if (!outcome.ok) return reportFailure(outcome.error);
        if (options.json === true) return void process.stdout.write(`${toJson(outcome.value)}\n`);
        for (const line of outcome.value.data) {
          process.stdout.write(
            `${new Date(line.createdAtMs).toISOString()}  ${line.kind.padEnd(8)} ${String(line.amountMinor).padStart(12)}  ` +
              `${line.lotId ?? "-"} ${line.lotKind ?? ""}  ${line.transferId}${line.reason === null ? "" : `  ${line.reason}`}\n`,
          );
        }
        if (outcome.value.nextCursor !== null)
          process.stdout.write(`more: --cursor ${outcome.value.nextCursor}\n`);
      });
    });
}
