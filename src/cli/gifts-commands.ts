/** Gifting on the command line: programs, sending, claiming, revoking, the review queue and the report. */
import type { Command } from "commander";
import type { CustomerGifts, GiftingReport, GiftView } from "../engine/gifts.js";
import { CliError, type GlobalOptions, toJson, withEngine } from "./context.js";
import { addProgramPutCommand } from "./program-commands.js";
import { keyOf, print } from "./usage-commands.js";

type Globals = () => GlobalOptions;

const iso = (ms: number | null): string => (ms === null ? "-" : new Date(ms).toISOString());
const percent = (share: number | null): string => (share === null ? "-" : `${Math.round(share * 100)}%`);

function amountOf(text: string): bigint {
  if (!/^[1-9]\d{0,17}$/.test(text))
    throw new CliError(`amount must be a whole number above 0, got ${text}`, 2);
  return BigInt(text);
}

export function formatGift(gift: GiftView): string {
  const code = gift.code === "" ? "" : `  code ${gift.code}`;
  return `${gift.id}  ${gift.status.padEnd(8)} ${String(gift.amountMinor).padStart(8)}  from ${gift.senderId}${gift.recipientId === null ? "" : ` to ${gift.recipientId}`}  expires ${iso(gift.expiresAtMs)}${code}`;
}

function formatCustomerGifts(view: CustomerGifts): string {
  const lines = [`gifts of ${view.customerId} (gift balance ${view.giftBalanceMinor})`];
  for (const line of view.allowances)
    lines.push(
      `  allowance ${line.programId}: ${line.leftMinor} of ${line.allowanceMinor} left, ${line.sentCount}${line.sentPerPeriod === null ? "" : ` of ${line.sentPerPeriod}`} sent, renews ${iso(line.periodEndsAtMs)}`,
    );
  lines.push("  sent:", ...view.sent.map((gift) => `    ${formatGift(gift)}`));
  lines.push("  received:", ...view.received.map((gift) => `    ${formatGift(gift)}`));
  return lines.join("\n");
}

export function formatGiftingReport(report: GiftingReport): string {
  const lines = [`gifting report, gifts sent ${iso(report.fromMs)} to ${iso(report.toMs)}`];
  for (const row of report.programs)
    lines.push(
      `  ${row.programId}: ${row.sent} sent (${row.sentMinor}), ${row.claimed} claimed (${row.claimedMinor}), ${row.expired} expired (${row.expiredMinor}), ${row.revoked} revoked (${row.revokedMinor}), ${row.pending} pending, ${row.review} in review`,
      `    claim rate ${percent(row.claimRate)}, median time to claim ${row.claimSecondsMedian ?? "-"} s, new or lapsed recipients ${percent(row.newOrLapsedShare)}, used ${row.usedMinor} (${percent(row.usedShare)}) of the claimed value`,
    );
  return lines.join("\n");
}

export function registerGiftsCommands(program: Command, globals: Globals): void {
  registerProgramCommands(program, globals);
  const gifts = program.command("gifts").description("gifts: send, claim, revoke, review, report");
  gifts
    .command("send")
    .description("send a gift; prints its code and link secret")
    .argument("<senderId>")
    .argument("<amount>")
    .option("--program <id>", "the gifting program (default: the one open to the sender)")
    .option("--source <source>", "allowance or gift_balance", "allowance")
    .option("--message <text>")
    .option("--email <address>", "the designated recipient, a hint for the sender")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(
      async (
        senderId: string,
        amount: string,
        options: {
          program?: string;
          source: string;
          message?: string;
          email?: string;
          key?: string;
          json?: boolean;
        },
      ) => {
        const key = keyOf(options);
        await withEngine(globals(), async (engine) => {
          const outcome = await engine.gifts.send({
            senderId,
            amountMinor: amountOf(amount),
            source: options.source,
            programId: options.program,
            message: options.message,
            recipientEmail: options.email,
            idempotencyKey: key,
          });
          print(
            outcome,
            options.json === true,
            (gift) => `${formatGift(gift)}\n  link secret ${gift.secret}`,
            key,
          );
        });
      },
    );
  gifts
    .command("claim")
    .description("claim a gift by its code or link secret into a customer's wallet")
    .argument("<code>")
    .argument("<customerId>")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(async (code: string, customerId: string, options: { key?: string; json?: boolean }) => {
      const key = keyOf(options);
      await withEngine(globals(), async (engine) => {
        print(
          await engine.gifts.claim({ handle: code, customerId, idempotencyKey: key }),
          options.json === true,
          formatGift,
          key,
        );
      });
    });
  gifts
    .command("revoke")
    .description("revoke an unclaimed gift; its value returns to its source")
    .argument("<giftId>")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(async (giftId: string, options: { key?: string; json?: boolean }) => {
      const key = keyOf(options);
      await withEngine(globals(), async (engine) => {
        print(
          await engine.gifts.revoke({ giftId, senderId: null, idempotencyKey: key }),
          options.json === true,
          formatGift,
          key,
        );
      });
    });
  registerGiftViewCommands(gifts, globals);
}

function registerGiftViewCommands(gifts: Command, globals: Globals): void {
  gifts
    .command("list")
    .description("a customer's sent and received gifts, and their allowance left")
    .argument("<customerId>")
    .option("--json", "print JSON")
    .action(async (customerId: string, options: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        print(await engine.gifts.ofCustomer(customerId), options.json === true, formatCustomerGifts, null);
      });
    });
  gifts
    .command("review")
    .description("list claims held for review, or settle one: review GIFT_ID approve|reject")
    .argument("[giftId]")
    .argument("[decision]")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(
      async (
        giftId: string | undefined,
        decision: string | undefined,
        options: { key?: string; json?: boolean },
      ) => {
        await withEngine(globals(), async (engine) => {
          if (giftId === undefined) {
            const queue = await engine.gifts.inReview();
            process.stdout.write(
              options.json === true
                ? `${toJson(queue)}\n`
                : `${queue.map((gift) => `${formatGift(gift)}\n  ${gift.reviewReason}`).join("\n") || "no claims in review"}\n`,
            );
            return;
          }
          if (decision !== "approve" && decision !== "reject")
            throw new CliError("decision must be approve or reject", 2);
          const key = keyOf(options);
          print(
            await engine.gifts.review({ giftId, decision, idempotencyKey: key }),
            options.json === true,
            formatGift,
            key,
          );
        });
      },
    );
  gifts
    .command("report")
    .description("the gifting report per program")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        print(await engine.gifts.report(), options.json === true, formatGiftingReport, null);
      });
    });
}

function registerProgramCommands(program: Command, globals: Globals): void {
  const programs = program.command("gift-programs").description("gifting programs (versioned terms)");
  addProgramPutCommand(programs, globals, "gifting", (engine, programId, spec) =>
    engine.gifts.saveProgram(programId, spec),
  );
  programs
    .command("list")
    .description("the current version of every gifting program")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const all = await engine.gifts.listPrograms();
        process.stdout.write(
          options.json === true
            ? `${toJson(all)}\n`
            : `${all.map((p) => `${p.id} v${p.version} (${iso(p.createdAtMs)})\n${JSON.stringify(p.spec, null, 2)}`).join("\n")}\n`,
        );
      });
    });
}
