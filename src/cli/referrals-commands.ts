/** Referral programs on the command line: terms, invites, acceptance, events, review, stats, reversal. */
import type { Command } from "commander";
import type { ReferralStats } from "../engine/referrals.js";
import type { ReferralRecord, RewardRecord } from "../store/referrals-repo.js";
import { CliError, type GlobalOptions, toJson, withEngine } from "./context.js";
import { addProgramPutCommand } from "./program-commands.js";
import { keyOf, print } from "./usage-commands.js";

type Globals = () => GlobalOptions;

const iso = (ms: number | null): string => (ms === null ? "-" : new Date(ms).toISOString());
const share = (value: number | null): string => (value === null ? "-" : value.toFixed(2));

const formatReferral = (referral: ReferralRecord): string =>
  `${referral.id}  ${referral.state.padEnd(9)} ${referral.referrerId} -> ${referral.inviteeId} (${referral.segment}) accepted ${iso(referral.acceptedAtMs)}${referral.reviewReason === null ? "" : `\n  review: ${referral.reviewReason}`}`;

const formatReward = (reward: RewardRecord): string =>
  `${reward.id}  ${reward.state.padEnd(15)} ${reward.side.padEnd(8)} ${reward.kind}${reward.amountMinor === null ? "" : ` ${reward.amountMinor}`} due ${iso(reward.dueAtMs)}${reward.reason === null ? "" : `  (${reward.reason})`}`;

export function formatReferralStats(stats: ReferralStats): string {
  const f = stats.funnel;
  const lines = [
    `program ${stats.programId} (${stats.phase})`,
    `  funnel: ${f.invitesCreated} invites, ${f.invitesOpened} opened, ${f.accepted} accepted (${f.inReview} in review, ${f.rejected} rejected), ${f.qualified} qualified, ${f.rewarded} rewarded`,
    `  rewards: ${f.rewardsGranted} granted, ${f.rewardsPending} pending, ${f.rewardsCanceled} canceled, ${f.rewardsReversed} reversed`,
    `  budget: credits ${stats.budget.givenCreditsMinor} of ${stats.budget.creditsMinor ?? "no limit"}, resets ${stats.budget.givenResets} of ${stats.budget.resets ?? "no limit"}${stats.budget.exhausted ? " (spent)" : ""}`,
    `  cost per acquired customer: ${share(stats.costPerAcquired.creditsMinor)} credits, ${share(stats.costPerAcquired.resets)} resets; viral coefficient ${share(stats.viralCoefficient)}`,
  ];
  for (const week of stats.weeks)
    lines.push(
      `    week of ${iso(week.weekStartAtMs).slice(0, 10)}: ${week.invites} invites by ${week.referrers}, ${week.accepted} accepted, ${week.qualified} qualified, K ${share(week.viralCoefficient)}`,
    );
  return lines.join("\n");
}

export function registerReferralsCommands(program: Command, globals: Globals): void {
  const programs = program.command("referral-programs").description("referral programs (versioned terms)");
  addProgramPutCommand(programs, globals, "referral", (engine, programId, spec) =>
    engine.referrals.saveProgram(programId, spec),
  );
  programs
    .command("list")
    .description("the current version of every referral program")
    .action(async () => {
      await withEngine(globals(), async (engine) => {
        process.stdout.write(`${toJson(await engine.referrals.listPrograms())}\n`);
      });
    });
  programs
    .command("stats")
    .description("a program's funnel, budget, cost per acquired customer and viral coefficient")
    .argument("<programId>")
    .option("--json", "print JSON")
    .action(async (programId: string, options: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        print(await engine.referrals.stats(programId), options.json === true, formatReferralStats, null);
      });
    });
  registerReferralActions(program, globals);
}

function registerReferralActions(program: Command, globals: Globals): void {
  const referrals = program
    .command("referrals")
    .description("invites, acceptance, events, review and rewards");
  referrals
    .command("invite")
    .argument("<programId>")
    .argument("<referrerId>")
    .option("--email <address>")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(
      async (
        programId: string,
        referrerId: string,
        options: { email?: string; key?: string; json?: boolean },
      ) => {
        const key = keyOf(options);
        await withEngine(globals(), async (engine) => {
          const outcome = await engine.referrals.invite({
            programId,
            referrerId,
            email: options.email,
            idempotencyKey: key,
          });
          print(
            outcome,
            options.json === true,
            (invite) => `invite ${invite.id}  code ${invite.code}  link secret ${invite.secret}`,
            key,
          );
        });
      },
    );
  referrals
    .command("accept")
    .argument("<code>")
    .argument("<customerId>")
    .option("--key <idempotencyKey>")
    .option("--json", "print JSON")
    .action(async (code: string, customerId: string, options: { key?: string; json?: boolean }) => {
      const key = keyOf(options);
      await withEngine(globals(), async (engine) => {
        print(
          await engine.referrals.accept({ handle: code, inviteeId: customerId, idempotencyKey: key }),
          options.json === true,
          formatReferral,
          key,
        );
      });
    });
  referrals
    .command("event")
    .description("record a product event (first_message, ...) that may qualify referrals")
    .argument("<customerId>")
    .argument("<name>")
    .action(async (customerId: string, name: string) => {
      await withEngine(globals(), async (engine) => {
        print(
          await engine.referrals.recordEvent({ customerId, name }),
          false,
          (result) => `${result.qualified} referrals qualified`,
          null,
        );
      });
    });
  referrals
    .command("review")
    .description("list acceptances held for review, or settle one: review REFERRAL_ID approve|reject")
    .argument("[referralId]")
    .argument("[decision]")
    .action(async (referralId: string | undefined, decision: string | undefined) => {
      await withEngine(globals(), async (engine) => {
        if (referralId === undefined) {
          const queue = await engine.referrals.inReview();
          process.stdout.write(`${queue.map(formatReferral).join("\n") || "no referrals in review"}\n`);
          return;
        }
        if (decision !== "approve" && decision !== "reject")
          throw new CliError("decision must be approve or reject", 2);
        print(await engine.referrals.review({ referralId, decision }), false, formatReferral, null);
      });
    });
  referrals
    .command("rewards")
    .description("a customer's referral rewards")
    .argument("<customerId>")
    .action(async (customerId: string) => {
      await withEngine(globals(), async (engine) => {
        const rewards = await engine.referrals.rewardsOf(customerId);
        process.stdout.write(`${rewards.map(formatReward).join("\n") || "no rewards"}\n`);
      });
    });
  referrals
    .command("reward-review")
    .description("hold a pending reward for review, or approve or reject a held one")
    .argument("<rewardId>")
    .argument("<action>", "hold, approve or reject")
    .option("--reason <text>")
    .action(async (rewardId: string, action: string, options: { reason?: string }) => {
      if (action !== "hold" && action !== "approve" && action !== "reject")
        throw new CliError("action must be hold, approve or reject", 2);
      await withEngine(globals(), async (engine) => {
        print(
          await engine.referrals.reviewReward({ rewardId, action, reason: options.reason }),
          false,
          formatReward,
          null,
        );
      });
    });
  referrals
    .command("reverse")
    .description("reverse a granted reward: take back what is unspent, record the rest")
    .argument("<rewardId>")
    .requiredOption("--reason <text>")
    .option("--key <idempotencyKey>")
    .action(async (rewardId: string, options: { reason: string; key?: string }) => {
      const key = keyOf(options);
      await withEngine(globals(), async (engine) => {
        print(
          await engine.referrals.reverseReward({ rewardId, reason: options.reason, idempotencyKey: key }),
          false,
          formatReward,
          key,
        );
      });
    });
}
