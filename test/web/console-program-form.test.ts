/**
 * The program form's model against the API's own reader of program terms: what the form builds the
 * API accepts, what it refuses the API refuses too (at the same bounds), amounts typed at the display
 * scale become minor units, and a stored program read into the form and saved back is unchanged.
 */
import { describe, expect, it } from "vitest";
import { readGiftProgram, writeGiftProgram } from "../../src/core/gift-program.js";
import type { JsonValue } from "../../src/core/json-lines.js";
import { readReferralProgram, writeReferralProgram } from "../../src/core/referral-program.js";
import {
  buildProgramRequest,
  defaultValues,
  fieldOfApiMessage,
  type ProgramType,
  statusActions,
  summarizeProgram,
  type Values,
  valuesFromTerms,
} from "../../src/web/console/program-form-model.js";

const SCALE = 2;

function gifting(changes: Values = {}): Values {
  return { ...defaultValues("gifting"), id: "pro-gifts", giftMax: "5", ...changes };
}

function referral(changes: Values = {}): Values {
  return { ...defaultValues("referral"), id: "june-pilot", ...changes };
}

function built(type: ProgramType, values: Values) {
  const result = buildProgramRequest(type, values, SCALE);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result.request;
}

function errorsOf(type: ProgramType, values: Values) {
  const result = buildProgramRequest(type, values, SCALE);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.request.terms)}`);
  return result.errors;
}

function apiAccepts(type: ProgramType, terms: JsonValue): boolean {
  try {
    if (type === "gifting") readGiftProgram("p", 1, terms);
    else readReferralProgram("p", 1, terms);
    return true;
  } catch {
    return false;
  }
}

describe("a gifting program's form", () => {
  it("builds terms the API reads, with amounts in minor units at the display scale", () => {
    const request = built("gifting", gifting({ allowance: "12.50", giftMin: "0.50", giftMax: "5" }));
    expect(request).toMatchObject({ id: "pro-gifts", type: "gifting" });
    expect(request.terms).toMatchObject({ allowance: 1250, giftMin: 50, giftMax: 500, claimWindow: "14d" });
    const program = readGiftProgram(request.id, 1, request.terms);
    expect(program.giftMaxMinor).toBe(500n);
    expect(program.status).toBe("draft");
  });

  it("leaves empty optional fields out so the API's defaults apply", () => {
    const request = built(
      "gifting",
      gifting({ "caps.sentPerPeriod": "", "credits.expiresAfter": "", giftMin: "" }),
    );
    expect(request.terms).not.toHaveProperty("caps");
    expect(request.terms).not.toHaveProperty("giftMin");
    expect(request.terms.credits).toEqual({ priority: 10 });
  });

  it("requires an id of the API's form and the largest gift", () => {
    expect(errorsOf("gifting", gifting({ id: "", giftMax: "" }))).toEqual({
      id: "Required",
      giftMax: "Required",
    });
    expect(errorsOf("gifting", gifting({ id: "Pro Gifts" })).id).toMatch(/a-z, 0-9/);
    expect(errorsOf("gifting", gifting({ id: "x".repeat(65) })).id).toMatch(/1 to 64/);
  });

  it("refuses a largest gift below the smallest, as the API does", () => {
    const values = gifting({ giftMin: "5", giftMax: "4.99" });
    expect(errorsOf("gifting", values).giftMax).toMatch(/at least the smallest/);
    expect(apiAccepts("gifting", { giftMin: 500, giftMax: 499 })).toBe(false);
  });

  it("reads amounts at the display scale and says what is wrong in display terms", () => {
    expect(errorsOf("gifting", gifting({ giftMax: "1.005" })).giftMax).toBe("At most 2 decimal places");
    expect(errorsOf("gifting", gifting({ giftMax: "0" })).giftMax).toBe("Enter at least 0.01");
    expect(errorsOf("gifting", gifting({ giftMax: "ten" })).giftMax).toMatch(/Enter a number/);
    expect(errorsOf("gifting", gifting({ giftMax: "10,000,000,000.01" })).giftMax).toBe(
      "Enter at most 10,000,000,000.00",
    );
    expect(built("gifting", gifting({ giftMax: "10,000,000,000" })).terms.giftMax).toBe(1_000_000_000_000);
  });

  it.each([
    ["caps.sentPerPeriod", "0", false, { caps: { sentPerPeriod: 0 } }],
    ["caps.sentPerPeriod", "1000000", true, { caps: { sentPerPeriod: 1_000_000 } }],
    ["caps.sentPerPeriod", "1000001", false, { caps: { sentPerPeriod: 1_000_001 } }],
    ["newWithinDays", "3650", true, { newWithinDays: 3650 }],
    ["newWithinDays", "3651", false, { newWithinDays: 3651 }],
    ["claimWindow", "366d", true, { claimWindow: "366d" }],
    ["claimWindow", "367d", false, { claimWindow: "367d" }],
    ["claimWindow", "014d", false, { claimWindow: "014d" }],
    ["credits.priority", "1000", true, { credits: { priority: 1000 } }],
    ["credits.priority", "1001", false, { credits: { priority: 1001 } }],
    ["period.timeZone", "Europe/Paris", true, { period: { timeZone: "Europe/Paris" } }],
    ["period.timeZone", "Mars/Olympus", false, { period: { timeZone: "Mars/Olympus" } }],
    ["senders.plans", "pro, plus", true, { senders: { plans: ["pro", "plus"] } }],
    ["senders.plans", "pro, Plus", false, { senders: { plans: ["pro", "Plus"] } }],
  ])("agrees with the API on %s = %s", (field, text, accepted, raw) => {
    const result = buildProgramRequest("gifting", gifting({ [field]: text }), SCALE);
    expect(result.ok).toBe(accepted);
    if (!result.ok) expect(Object.keys(result.errors)).toEqual([field]);
    expect(apiAccepts("gifting", { giftMax: 500, ...raw })).toBe(accepted);
  });

  it("keeps the cohorts of a hidden pilot, whatever the status, so a pilot can be hidden again", () => {
    expect(built("gifting", gifting({ status: "live", visibleTo: "beta" })).terms.visibleTo).toEqual([
      "beta",
    ]);
    expect(built("gifting", gifting({ status: "hidden", visibleTo: "beta, staff" })).terms.visibleTo).toEqual(
      ["beta", "staff"],
    );
    expect(built("gifting", gifting({ visibleTo: "" })).terms).not.toHaveProperty("visibleTo");
  });

  it("reads a stored program back into the form and saves it unchanged", () => {
    const stored = writeGiftProgram(
      readGiftProgram("pro-gifts", 3, {
        status: "hidden",
        visibleTo: ["beta"],
        senders: { plans: ["pro"], cohorts: ["early"] },
        period: { unit: "week", timeZone: "America/New_York" },
        allowance: 12_345,
        giftMin: 50,
        giftMax: 5000,
        caps: { sentPerPeriod: 5, claimedEver: 10 },
        recipients: "new_or_lapsed",
        lapsedAfterDays: 90,
        claimWindow: "36h",
        credits: { expiresAfter: "90d", priority: 7 },
      }),
    );
    const values = valuesFromTerms("gifting", "pro-gifts", stored, SCALE);
    expect(values.allowance).toBe("123.45");
    expect(values["senders.plans"]).toBe("pro");
    const again = built("gifting", values);
    expect(writeGiftProgram(readGiftProgram("pro-gifts", 3, again.terms))).toEqual(stored);
  });
});

describe("a referral program's form", () => {
  it("builds the reference pilot's shape from the defaults", () => {
    const request = built("referral", referral({ "audience.plans": "plus pro", "invites.perReferrer": "3" }));
    expect(request.terms).toMatchObject({
      audience: { plans: ["plus", "pro"] },
      invites: { perReferrer: 3 },
      qualifyingEvent: { firstUsage: {} },
      rewards: {
        referrer: { type: "reset", expiresAfter: "30d" },
        invitee: { type: "reset", expiresAfter: "30d" },
      },
      holdPeriod: "0s",
    });
    expect(readReferralProgram(request.id, 1, request.terms).rewards.invitee?.type).toBe("reset");
  });

  it("schedules a window in the operator's time and refuses one that ends before it starts", () => {
    const opens = "2026-06-11T09:00";
    const request = built(
      "referral",
      referral({ "window.opensAt": opens, "window.closesAt": "2026-06-25T09:00" }),
    );
    expect(request.terms.window).toEqual({
      opensAt: new Date(opens).toISOString(),
      closesAt: new Date("2026-06-25T09:00").toISOString(),
    });
    const errors = errorsOf("referral", referral({ "window.opensAt": opens, "window.closesAt": opens }));
    expect(errors).toEqual({ "window.closesAt": "Must be later than the opening time" });
    expect(errorsOf("referral", referral({ "window.opensAt": "soon" }))["window.opensAt"]).toBe(
      "Enter a date and time",
    );
  });

  it("rewards at least one side, as the API requires", () => {
    const none = referral({ "rewards.referrer.type": "none", "rewards.invitee.type": "none" });
    expect(errorsOf("referral", none)).toEqual({ "rewards.referrer.type": "Reward at least one side" });
    const one = built("referral", referral({ "rewards.referrer.type": "none" }));
    expect(one.terms.rewards).toEqual({ referrer: null, invitee: { type: "reset", expiresAfter: "30d" } });
  });

  it("asks a credits reward for its amount, at the display scale, and checks only what applies", () => {
    const credits = referral({ "rewards.invitee.type": "credits", "rewards.invitee.expiresAfter": "" });
    expect(errorsOf("referral", credits)).toEqual({ "rewards.invitee.amount": "Required" });
    const request = built("referral", {
      ...credits,
      "rewards.invitee.amount": "2.5",
      "rewards.referrer.amount": "x",
    });
    expect(request.terms.rewards).toMatchObject({ invitee: { type: "credits", amount: 250 } });
    expect(readReferralProgram("p", 1, request.terms).rewards.invitee).toMatchObject({ amountMinor: 250n });
  });

  it("checks a reset reward's windows and expiry against the API's bounds", () => {
    const windows = built(
      "referral",
      referral({ "rewards.referrer.windows": "messages/5h, messages/weekly" }),
    );
    expect(windows.terms.rewards).toMatchObject({
      referrer: { windows: ["messages/5h", "messages/weekly"] },
    });
    expect(errorsOf("referral", referral({ "rewards.referrer.windows": "messages" }))).toHaveProperty(
      "rewards.referrer.windows",
    );
    expect(errorsOf("referral", referral({ "rewards.invitee.expiresAfter": "367d" }))).toEqual({
      "rewards.invitee.expiresAfter": "At most 366d",
    });
    expect(apiAccepts("referral", { rewards: { invitee: { type: "reset", expiresAfter: "367d" } } })).toBe(
      false,
    );
  });

  it("qualifies on a product event by name, or on first usage", () => {
    const event = referral({ "qualifyingEvent.kind": "event" });
    expect(errorsOf("referral", event)).toEqual({ "qualifyingEvent.event": "Required" });
    const named = built("referral", { ...event, "qualifyingEvent.event": "first_message" });
    expect(named.terms.qualifyingEvent).toEqual({ event: "first_message" });
    const usage = built("referral", referral({ "qualifyingEvent.firstUsage.action": "message" }));
    expect(usage.terms.qualifyingEvent).toEqual({ firstUsage: { action: "message" } });
  });

  it("takes 0s for no hold, where the API allows nothing", () => {
    expect(built("referral", referral({ holdPeriod: "0s" })).terms.holdPeriod).toBe("0s");
    expect(errorsOf("referral", referral({ attributionWindow: "0s" }))).toHaveProperty("attributionWindow");
  });

  it("reads a stored program back into the form and saves it unchanged", () => {
    const stored = writeReferralProgram(
      readReferralProgram("june-pilot", 2, {
        status: "live",
        window: { opensAt: "2026-06-11T00:00:00Z", closesAt: "2026-06-25T00:00:00Z" },
        audience: { plans: ["plus", "pro"] },
        invites: { perReferrer: 3, perPeriod: 2, period: { unit: "week" } },
        invitees: { eligibility: "lapsed", lapsedAfterDays: 62 },
        qualifyingEvent: { event: "first_message" },
        rewards: {
          referrer: { type: "credits", amount: 1250, expiresAfter: "90d", priority: 5 },
          invitee: { type: "reset", windows: ["messages/5h"], expiresAfter: "30d" },
        },
        holdPeriod: "7d",
        budget: { credits: 100_000, resets: 500 },
        fraud: { disposableDomains: ["mailinator.com"], velocity: { acceptances: 5, within: "1h" } },
      }),
    );
    const values = valuesFromTerms("referral", "june-pilot", stored, SCALE);
    expect(values).toMatchObject({
      "qualifyingEvent.kind": "event",
      "rewards.referrer.type": "credits",
      "rewards.referrer.amount": "12.50",
      "budget.credits": "1,000.00",
    });
    const again = built("referral", values);
    expect(writeReferralProgram(readReferralProgram("june-pilot", 2, again.terms))).toEqual(stored);
  });
});

describe("the API's refusals, placed on the form", () => {
  it("puts a problem the reader names by path on that field", () => {
    expect(
      fieldOfApiMessage(
        "gifting",
        "program pro-gifts: caps.sentPerPeriod: must be a whole number from 1 to 1000000",
      ),
    ).toEqual({ field: "caps.sentPerPeriod", problem: "must be a whole number from 1 to 1000000" });
    expect(fieldOfApiMessage("gifting", "program p: senders.plans[2]: is not a valid name").field).toBe(
      "senders.plans",
    );
    expect(
      fieldOfApiMessage("referral", "program p: rewards.invitee.amount: must be a whole number").field,
    ).toBe("rewards.invitee.amount");
    expect(fieldOfApiMessage("referral", "program p: rewards: must reward at least one side").field).toBe(
      "rewards.referrer.type",
    );
  });

  it("keeps anything else for the form as a whole", () => {
    const message = "program id invite-a-friend is taken by another kind of program";
    expect(fieldOfApiMessage("gifting", message)).toEqual({ field: "form", problem: message });
  });
});

describe("a program's place in time", () => {
  const nowMs = Date.parse("2026-06-15T00:00:00Z");
  const windowed = (status: string, opensAt: string | null, closesAt: string | null) => ({
    status,
    window: { opensAt, closesAt },
  });

  it("is its status, or for a live referral program, what its window says", () => {
    expect(summarizeProgram("referral", windowed("live", "2026-06-20T00:00:00Z", null), nowMs).phase).toBe(
      "scheduled",
    );
    expect(summarizeProgram("referral", windowed("live", null, "2026-06-14T00:00:00Z"), nowMs).phase).toBe(
      "ended",
    );
    expect(summarizeProgram("referral", windowed("draft", "2026-06-20T00:00:00Z", null), nowMs).phase).toBe(
      "draft",
    );
    expect(
      summarizeProgram("gifting", { status: "live", window: { opensAt: "2027-01-01T00:00:00Z" } }, nowMs),
    ).toEqual({
      status: "live",
      phase: "live",
      opensAt: null,
      closesAt: null,
    });
  });

  it("offers the status changes that make sense", () => {
    expect(statusActions("live").map((action) => action.label)).toEqual(["Pause", "End"]);
    expect(statusActions("draft").map((action) => action.status)).toEqual(["live", "ended"]);
    expect(statusActions("hidden").map((action) => action.label)).toEqual(["Go live", "Pause", "End"]);
    expect(statusActions("ended")).toEqual([{ label: "Reopen", status: "live" }]);
  });
});
