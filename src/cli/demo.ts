/**
 * Demo data for a first start: the demo plans, a few customers with lots of every grantable kind,
 * spending, a hold, usage in their windows and a banked reset.
 */
import { readFile } from "node:fs/promises";
import type { Engine } from "../engine/engine.js";

/** The plan file shipped with Boon, for the demo and as an example to copy. */
export const DEMO_PLANS_FILE = new URL("../../plans/demo.json", import.meta.url);

const DAY_MS = 86_400_000;

export const DEMO_CUSTOMERS = [
  { id: "demo-ada", plan: "pro", displayName: "Ada", email: "ada@example.com" },
  { id: "demo-grace", plan: "plus", displayName: "Grace", email: "grace@example.com" },
  { id: "demo-linus", plan: "free", displayName: "Linus", email: "linus@example.com" },
] as const;

/** Seeds once; returns false when the demo was already there. Every write is keyed, so a rerun is harmless. */
export async function seedDemo(engine: Engine): Promise<boolean> {
  const existing = await engine.getCustomer("demo-ada");
  if (existing.ok) return false;
  const nowMs = engine.clock.nowMs();
  const plans = await engine.loadPlanFile(await readFile(DEMO_PLANS_FILE, "utf8"), "plans/demo.json");
  if (!plans.ok) throw new Error(`the demo plan file is invalid: ${plans.error.message}`);
  for (const customer of DEMO_CUSTOMERS) await engine.upsertCustomer(customer);
  await engine.upsertCustomer({ id: "demo-ada", overflowAllowed: true });
  const grants = [
    { customerId: "demo-ada", amountMinor: 5000, kind: "purchased", reason: "Starter pack" },
    {
      customerId: "demo-ada",
      amountMinor: 1000,
      kind: "promotional",
      expiresAtMs: nowMs + 30 * DAY_MS,
      reason: "Welcome",
    },
    {
      customerId: "demo-ada",
      amountMinor: 200,
      kind: "compensation",
      expiresAtMs: nowMs + 60 * DAY_MS,
      reason: "Outage",
    },
    {
      customerId: "demo-grace",
      amountMinor: 2000,
      kind: "promotional",
      expiresAtMs: nowMs + 14 * DAY_MS,
      reason: "Pilot",
    },
    {
      customerId: "demo-linus",
      amountMinor: 100,
      kind: "promotional",
      expiresAtMs: nowMs + DAY_MS,
      reason: "Trial",
    },
  ];
  for (const [index, grant] of grants.entries()) {
    await engine.grant({ ...grant, idempotencyKey: `demo-grant-${index}` });
  }
  await engine.consume({
    customerId: "demo-ada",
    amountMinor: 750,
    reason: "cloud tasks",
    idempotencyKey: "demo-consume-0",
  });
  await engine.consume({
    customerId: "demo-grace",
    amountMinor: 120,
    reason: "local tasks",
    idempotencyKey: "demo-consume-1",
  });
  await engine.hold({
    customerId: "demo-ada",
    amountMinor: 300,
    ttlSeconds: 3600,
    idempotencyKey: "demo-hold-0",
  });
  await seedUsage(engine);
  return true;
}

async function seedUsage(engine: Engine): Promise<void> {
  const usage = [
    { customerId: "demo-ada", action: "message", quantity: 40 },
    { customerId: "demo-ada", action: "cloud_task", quantity: 3 },
    { customerId: "demo-grace", action: "message", quantity: 44 },
    { customerId: "demo-linus", action: "message", quantity: 10 },
  ];
  for (const [index, item] of usage.entries()) {
    await engine.authorize({ ...item, idempotencyKey: `demo-usage-${index}` });
  }
  await engine.grantReset({ customerId: "demo-grace", reason: "Welcome", idempotencyKey: "demo-reset-0" });
  await seedGifts(engine);
  await seedReferrals(engine);
  await seedBundles(engine);
}

/** The demo's catalog: a pack for oneself, and a larger one with a bonus that can be bought as a gift. */
export const DEMO_BUNDLES = {
  starter: { name: "Starter", credits: 1000, price: 1000, currency: "usd" },
  team: {
    name: "Team",
    credits: 5000,
    bonusCredits: 500,
    bonusExpiresAfter: "90d",
    bonusPriority: 10,
    price: 4000,
    currency: "usd",
    giftable: true,
  },
};

async function seedBundles(engine: Engine): Promise<void> {
  for (const [bundleId, spec] of Object.entries(DEMO_BUNDLES)) {
    const saved = await engine.payments.saveBundle(bundleId, spec);
    if (!saved.ok) throw new Error(`the demo bundle ${bundleId} is invalid: ${saved.error.message}`);
  }
}

/**
 * The demo's referral program, shaped like the reference pilot but open now: Plus and Pro customers
 * invite up to three friends who are new or lapsed; a first message earns both one banked reset.
 */
export const DEMO_REFERRAL_PROGRAM = {
  status: "live",
  audience: { plans: ["plus", "pro"] },
  invites: { perReferrer: 3 },
  invitees: { eligibility: "new_or_lapsed", lapsedAfterDays: 62 },
  qualifyingEvent: { firstUsage: { action: "message" } },
  rewards: {
    referrer: { type: "reset", expiresAfter: "30d" },
    invitee: { type: "reset", expiresAfter: "30d" },
  },
};

async function seedReferrals(engine: Engine): Promise<void> {
  const program = await engine.referrals.saveProgram("invite-a-friend", DEMO_REFERRAL_PROGRAM);
  if (!program.ok) throw new Error(`the demo referral program is invalid: ${program.error.message}`);
  await engine.referrals.invite({
    programId: "invite-a-friend",
    referrerId: "demo-grace",
    email: "friend@example.com",
    idempotencyKey: "demo-invite-0",
  });
}

/** The demo's gifting program: Plus and Pro customers may give 500 credits a month to anyone. */
export const DEMO_GIFT_PROGRAM = {
  status: "live",
  senders: { plans: ["plus", "pro"] },
  period: { unit: "month", timeZone: "UTC" },
  allowance: 500,
  giftMin: 50,
  giftMax: 500,
  caps: { sentPerPeriod: 5, receivedPerPeriod: 3, claimedEver: 10 },
  recipients: "anyone",
  claimWindow: "14d",
  credits: { expiresAfter: "90d", priority: 10 },
};

async function seedGifts(engine: Engine): Promise<void> {
  const program = await engine.gifts.saveProgram("demo-gifts", DEMO_GIFT_PROGRAM);
  if (!program.ok) throw new Error(`the demo gifting program is invalid: ${program.error.message}`);
  const claimed = await engine.gifts.send({
    senderId: "demo-ada",
    amountMinor: 150n,
    source: "allowance",
    message: "Build something great!",
    idempotencyKey: "demo-gift-0",
  });
  if (claimed.ok)
    await engine.gifts.claim({
      handle: claimed.value.code,
      customerId: "demo-linus",
      idempotencyKey: "demo-claim-0",
    });
  await engine.gifts.send({
    senderId: "demo-grace",
    amountMinor: 100n,
    source: "allowance",
    message: "For your side project",
    recipientEmail: "linus@example.com",
    idempotencyKey: "demo-gift-1",
  });
}
