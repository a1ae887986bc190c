// @vitest-environment happy-dom
/**
 * The decisions the widgets make without a server: the gift form's checks against the API's limits,
 * where an invite stands, the words for each refusal, the page configuration the server writes in,
 * path matching, and the small print under a chat reply.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  BoonError,
  type Invite,
  type Referral,
  type UsageAnswer,
  type WindowLine,
} from "../../sdk/client.js";
import { ERROR_CODES } from "../../src/core/errors.js";
import { EMAIL_LENGTH_MAX, GIFT_MESSAGE_LENGTH_MAX } from "../../src/core/gifts.js";
import { toneOfState } from "../../src/web/components/ui.js";
import { chargeNote } from "../../src/web/host/chat.js";
import { CONFIG_DEFAULT, readConfig } from "../../src/web/lib/config.js";
import { DISPLAY_SCALE_MAX, formatCredits } from "../../src/web/lib/format.js";
import { messageOf } from "../../src/web/lib/resource.js";
import { matchPath } from "../../src/web/lib/router.js";
import { claimFailureMessage, GIFT_UNAVAILABLE_MESSAGE } from "../../src/web/widgets/gift-claim.js";
import { checkGiftDraft } from "../../src/web/widgets/gifts.js";
import { acceptFailureMessage, inviteState } from "../../src/web/widgets/invite.js";
import { usedShare } from "../../src/web/widgets/usage-panel.js";

const scales = fc.integer({ min: 0, max: DISPLAY_SCALE_MAX });
const apiError = (code: string, message = "the API's own words", status = 400) =>
  new BoonError(status, code, message, "req_test");

describe("checkGiftDraft", () => {
  const draft = (amount: string, message = "", email = "") => ({ amount, message, email });

  it("accepts any amount from one minor unit up to the allowance left, at every scale", () => {
    const cases = scales.chain((scale) =>
      fc.record({
        scale: fc.constant(scale),
        left: fc.integer({ min: 0, max: 1_000_000_000 }),
        amount: fc.integer({ min: 0, max: 2_000_000_000 }),
      }),
    );
    fc.assert(
      fc.property(cases, ({ scale, left, amount }) => {
        const checked = checkGiftDraft(draft(formatCredits(amount, scale)), { left: left }, scale);
        if (amount === 0)
          expect(checked).toEqual({ ok: false, errors: { amount: "Enter an amount above zero" } });
        else if (amount > left)
          expect(checked).toEqual({
            ok: false,
            errors: { amount: "That is more than you have left to give" },
          });
        else expect(checked).toEqual({ ok: true, amount, message: null, email: null });
      }),
    );
  });

  it("is exact at the allowance's edge", () => {
    expect(checkGiftDraft(draft("12.50"), { left: 1250 }, 2)).toEqual({
      ok: true,
      amount: 1250,
      message: null,
      email: null,
    });
    expect(checkGiftDraft(draft("12.51"), { left: 1250 }, 2)).toEqual({
      ok: false,
      errors: { amount: "That is more than you have left to give" },
    });
    expect(checkGiftDraft(draft("0.01"), { left: 0 }, 2)).toEqual({
      ok: false,
      errors: { amount: "That is more than you have left to give" },
    });
  });

  it("holds an amount within the program's smallest and largest gift", () => {
    const bounds = { left: 500, min: 50, max: 300 };
    expect(checkGiftDraft(draft("49"), bounds, 0)).toEqual({
      ok: false,
      errors: { amount: "The smallest gift is 50 credits" },
    });
    expect(checkGiftDraft(draft("301"), bounds, 0)).toEqual({
      ok: false,
      errors: { amount: "The largest gift is 300 credits" },
    });
    expect(checkGiftDraft(draft("50"), bounds, 0).ok).toBe(true);
    expect(checkGiftDraft(draft("300"), bounds, 0).ok).toBe(true);
    expect(checkGiftDraft(draft("0.01"), { left: 500, min: 1, max: 100 }, 2)).toEqual({
      ok: true,
      amount: 1,
      message: null,
      email: null,
    });
  });

  it("passes on the amount reader's own words", () => {
    expect(checkGiftDraft(draft(""), { left: 100 }, 0)).toEqual({
      ok: false,
      errors: { amount: "Enter an amount" },
    });
    expect(checkGiftDraft(draft("ten"), { left: 100 }, 0)).toEqual({
      ok: false,
      errors: { amount: "Enter a number, like 50" },
    });
    expect(checkGiftDraft(draft("1.5"), { left: 100 }, 0)).toEqual({
      ok: false,
      errors: { amount: "Whole credits only" },
    });
    expect(checkGiftDraft(draft("1.555"), { left: 1000 }, 2)).toEqual({
      ok: false,
      errors: { amount: "At most 2 decimal places" },
    });
    expect(checkGiftDraft(draft("-5"), { left: 100 }, 0).ok).toBe(false);
  });

  it("holds the message to the API's length limit, after trimming", () => {
    const at = "m".repeat(GIFT_MESSAGE_LENGTH_MAX);
    expect(checkGiftDraft(draft("5", at), { left: 10 }, 0)).toEqual({
      ok: true,
      amount: 5,
      message: at,
      email: null,
    });
    expect(checkGiftDraft(draft("5", `  ${at}\n`), { left: 10 }, 0)).toEqual({
      ok: true,
      amount: 5,
      message: at,
      email: null,
    });
    expect(checkGiftDraft(draft("5", `${at}m`), { left: 10 }, 0)).toEqual({
      ok: false,
      errors: {
        message: `At most ${GIFT_MESSAGE_LENGTH_MAX} characters (${GIFT_MESSAGE_LENGTH_MAX + 1} now)`,
      },
    });
    expect(checkGiftDraft(draft("5", "   "), { left: 10 }, 0)).toEqual({
      ok: true,
      amount: 5,
      message: null,
      email: null,
    });
  });

  it("counts message length as the API does, in UTF-16 units", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (message) => {
        const trimmed = message.trim();
        const checked = checkGiftDraft(draft("5", message), { left: 10 }, 0);
        expect(checked.ok).toBe(trimmed.length <= GIFT_MESSAGE_LENGTH_MAX);
        if (checked.ok) expect(checked.message).toBe(trimmed === "" ? null : trimmed);
      }),
    );
  });

  it("takes an empty email or an address, and refuses anything else", () => {
    expect(checkGiftDraft(draft("5", "", " friend@example.com "), { left: 10 }, 0)).toEqual({
      ok: true,
      amount: 5,
      message: null,
      email: "friend@example.com",
    });
    const emailError = "Enter an email address like friend@example.com, or leave it empty";
    for (const email of [
      "friend",
      "friend@",
      "@example.com",
      "friend@example",
      "a b@example.com",
      "a@b@c.com",
    ]) {
      expect(checkGiftDraft(draft("5", "", email), { left: 10 }, 0), email).toEqual({
        ok: false,
        errors: { email: emailError },
      });
    }
    const longest = `${"a".repeat(EMAIL_LENGTH_MAX - "@example.com".length)}@example.com`;
    expect(checkGiftDraft(draft("5", "", longest), { left: 10 }, 0).ok).toBe(true);
    expect(checkGiftDraft(draft("5", "", `a${longest}`), { left: 10 }, 0)).toEqual({
      ok: false,
      errors: { email: emailError },
    });
  });

  it("names every field that is wrong at once", () => {
    const checked = checkGiftDraft(
      draft("999", "x".repeat(GIFT_MESSAGE_LENGTH_MAX + 5), "nope"),
      { left: 10 },
      0,
    );
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(Object.keys(checked.errors).sort()).toEqual(["amount", "email", "message"]);
  });
});

describe("inviteState", () => {
  const invite: Invite = {
    id: "inv_1",
    programId: "invite-a-friend",
    referrerId: "cus_a",
    code: "ABCD-EFGH",
    url: "https://boon.example/invite/ABCD-EFGH",
    email: null,
    createdAt: "2026-06-11T09:00:00.000Z",
  };
  const referral = (inviteId: string, state: Referral["state"]): Referral => ({
    id: `ref_${inviteId}_${state}`,
    programId: "invite-a-friend",
    programVersion: 1,
    inviteId,
    referrerId: "cus_a",
    inviteeId: "cus_b",
    state,
    segment: "new",
    acceptedAt: "2026-06-12T09:00:00.000Z",
    qualifiedAt: state === "qualified" ? "2026-06-13T09:00:00.000Z" : null,
    reviewReason: null,
  });
  const states = fc.constantFrom<Referral["state"]>("accepted", "review", "qualified", "rejected");
  const words: Record<Referral["state"], string> = {
    accepted: "accepted",
    review: "review_required",
    qualified: "qualified",
    rejected: "rejected",
  };

  it("reads 'sent' until someone accepts, then the referral's state in the badge's words", () => {
    expect(inviteState(invite, [])).toBe("sent");
    expect(inviteState(invite, [referral("inv_other", "qualified")])).toBe("sent");
    for (const [state, word] of Object.entries(words)) {
      expect(inviteState(invite, [referral("inv_1", state as Referral["state"])])).toBe(word);
    }
  });

  it("follows the referral of this invite among any others", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ inviteId: fc.constantFrom("inv_1", "inv_2", "inv_3"), state: states })),
        (list) => {
          const referrals = list.map((item) => referral(item.inviteId, item.state));
          const mine = list.find((item) => item.inviteId === "inv_1");
          expect(inviteState(invite, referrals)).toBe(mine === undefined ? "sent" : words[mine.state]);
        },
      ),
    );
  });

  it("gives each state a tone that reads right", () => {
    expect(toneOfState("sent")).toBe("neutral");
    expect(toneOfState("accepted")).toBe("good");
    expect(toneOfState("qualified")).toBe("good");
    expect(toneOfState("review_required")).toBe("warn");
    expect(toneOfState("rejected")).toBe("bad");
  });
});

describe("what a refusal tells the person", () => {
  const anyMessage = fc.string();
  const anyStatus = fc.constantFrom(400, 403, 404, 409, 410, 422);

  it("reads one same sentence for every way a gift code can be unavailable", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("gift_unavailable", "not_found", "invalid_request"),
        anyMessage,
        anyStatus,
        (code, m, s) => {
          expect(claimFailureMessage(new BoonError(s, code, m, null))).toBe(GIFT_UNAVAILABLE_MESSAGE);
        },
      ),
    );
  });

  it("explains the claimant's own refusals, and otherwise the API's words", () => {
    expect(claimFailureMessage(apiError("gift_self_claim"))).toBe(
      "This is your own gift: send the link to a friend instead.",
    );
    expect(claimFailureMessage(apiError("cap_exceeded"))).toBe(
      "You've claimed as many gifts as this program allows for now.",
    );
    expect(claimFailureMessage(apiError("not_eligible"))).toBe(
      "This gift is meant for new or returning customers.",
    );
    const own = new Set([
      "gift_unavailable",
      "not_found",
      "invalid_request",
      "gift_self_claim",
      "cap_exceeded",
      "not_eligible",
    ]);
    for (const code of ERROR_CODES.filter((candidate) => !own.has(candidate))) {
      const error = apiError(code, "3 available, 5 requested");
      expect(claimFailureMessage(error), code).toBe(messageOf(error));
      expect(claimFailureMessage(error)).not.toBe(GIFT_UNAVAILABLE_MESSAGE);
    }
  });

  it("tells an invited friend why acceptance failed, in their words", () => {
    expect(acceptFailureMessage(apiError("program_closed"))).toBe("This invite offer has ended.");
    expect(acceptFailureMessage(apiError("not_eligible"))).toBe(
      "This offer is for new or returning customers.",
    );
    expect(acceptFailureMessage(apiError("referral_self_invite"))).toBe(
      "That's your own invite: share it with a friend instead.",
    );
    expect(acceptFailureMessage(apiError("not_found"))).toBe(
      "This invite link isn't valid. Check that it was copied whole.",
    );
    const own = new Set(["program_closed", "not_eligible", "referral_self_invite", "not_found"]);
    for (const code of ERROR_CODES.filter((candidate) => !own.has(candidate))) {
      const error = apiError(code, "3 invites used of 3");
      expect(acceptFailureMessage(error), code).toBe(messageOf(error));
    }
  });

  it("reads the API's message without its code, and plain words for the general failures", () => {
    expect(messageOf(apiError("cap_exceeded", "3 invites used of 3"))).toBe("3 invites used of 3");
    expect(messageOf(apiError("unavailable"))).toBe("Boon is unavailable right now. Try again in a moment.");
    expect(messageOf(apiError("rate_limited"))).toBe("Too many requests. Wait a moment and try again.");
    expect(messageOf(apiError("unauthorized"))).toBe("Your session has ended. Sign in again.");
    expect(messageOf(new TypeError("fetch failed"))).toBe(
      "Could not reach Boon. Check your connection and try again.",
    );
    expect(acceptFailureMessage(new Error("offline"))).toBe("offline");
    expect(claimFailureMessage("a string")).toBe("a string");
  });
});

describe("readConfig", () => {
  afterEach(() => {
    document.head.innerHTML = "";
  });
  const withTag = (text: string) => {
    document.head.innerHTML = "";
    const tag = document.createElement("script");
    tag.id = "boon-config";
    tag.type = "application/json";
    tag.textContent = text;
    document.head.append(tag);
    return readConfig(document);
  };

  it("reads the scale and the demo switch the server wrote", () => {
    expect(withTag('{"displayScale":2,"demo":true}')).toEqual({ displayScale: 2, demo: true });
    expect(withTag('{"displayScale":0,"demo":false}')).toEqual({ displayScale: 0, demo: false });
    expect(withTag(`{"displayScale":${DISPLAY_SCALE_MAX}}`)).toEqual({
      displayScale: DISPLAY_SCALE_MAX,
      demo: false,
    });
  });

  it("falls back to the defaults for a missing tag, an empty one or bad JSON", () => {
    document.head.innerHTML = "";
    expect(readConfig(document)).toEqual(CONFIG_DEFAULT);
    for (const text of ["", "{", "{displayScale: 2}", "null", "undefined", "<x>"]) {
      expect(withTag(text), text).toEqual(CONFIG_DEFAULT);
    }
  });

  it("refuses a scale out of range or not a whole number, and keeps the rest", () => {
    for (const scale of ["-1", String(DISPLAY_SCALE_MAX + 1), "1.5", '"2"', "null", "1e9"]) {
      expect(withTag(`{"displayScale":${scale},"demo":true}`), scale).toEqual({
        displayScale: 0,
        demo: true,
      });
    }
    expect(withTag('{"displayScale":2,"demo":"yes"}')).toEqual({ displayScale: 2, demo: false });
  });

  it("always gives a usable configuration, whatever JSON the tag holds", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const config = withTag(JSON.stringify(value));
        expect(Number.isInteger(config.displayScale)).toBe(true);
        expect(config.displayScale).toBeGreaterThanOrEqual(0);
        expect(config.displayScale).toBeLessThanOrEqual(DISPLAY_SCALE_MAX);
        expect(typeof config.demo).toBe("boolean");
      }),
      { numRuns: 200 },
    );
  });
});

describe("matchPath", () => {
  it("matches the pages' patterns and gives the decoded parameters", () => {
    expect(matchPath("/gift/:code", "/gift/ABCD")).toEqual({ code: "ABCD" });
    expect(matchPath("/gift/:code", "/gift/ABCD/")).toEqual({ code: "ABCD" });
    expect(matchPath("/gift/:code", "/gift/AB%20CD")).toEqual({ code: "AB CD" });
    expect(matchPath("/invite/:code", "/invite/x")).toEqual({ code: "x" });
    expect(matchPath("/usage", "/usage")).toEqual({});
    expect(matchPath("/", "/")).toEqual({});
  });

  it("refuses other paths", () => {
    expect(matchPath("/gift/:code", "/gift")).toBeNull();
    expect(matchPath("/gift/:code", "/gift/A/B")).toBeNull();
    expect(matchPath("/gift/:code", "/gifts/A")).toBeNull();
    expect(matchPath("/gift/:code", "/invite/A")).toBeNull();
    expect(matchPath("/usage", "/usage/more")).toBeNull();
  });

  it("treats a parameter that is not valid percent-encoding as no match instead of throwing", () => {
    expect(matchPath("/gift/:code", "/gift/%E0%A4%A")).toBeNull();
    expect(matchPath("/gift/:code", "/gift/100%")).toBeNull();
  });

  it("gives back any parameter values a path was built from", () => {
    const segment = fc.stringMatching(/^[a-z]{1,8}$/);
    const parts = fc.array(
      fc.oneof(
        segment.map((name) => ({ name, param: false })),
        segment.map((name) => ({ name, param: true })),
      ),
      {
        minLength: 1,
        maxLength: 5,
      },
    );
    fc.assert(
      fc.property(
        parts,
        fc.array(fc.string({ minLength: 1 }), { minLength: 5, maxLength: 5 }),
        (pattern, values) => {
          const names = pattern.map((part) => part.name);
          fc.pre(new Set(names).size === names.length);
          const template = `/${pattern.map((part) => (part.param ? `:${part.name}` : part.name)).join("/")}`;
          const path = `/${pattern.map((part, index) => (part.param ? encodeURIComponent(values[index] ?? "") : part.name)).join("/")}`;
          const expected = Object.fromEntries(
            pattern.flatMap((part, index) => (part.param ? [[part.name, values[index] ?? ""]] : [])),
          );
          expect(matchPath(template, path)).toEqual(expected);
        },
      ),
    );
  });
});

describe("chargeNote", () => {
  const line = (window: string, used: number, limit: number): WindowLine => ({
    windowId: `win_${window}`,
    meter: "messages",
    window,
    kind: "fixed",
    used,
    limit,
    remaining: Math.max(0, limit - used),
    resetsAt: "2026-06-11T14:00:00.000Z",
  });
  const answer = (
    paidBy: UsageAnswer["paidBy"],
    windows: readonly WindowLine[],
    credits = 0,
  ): UsageAnswer => ({
    type: "authorize",
    allowed: true,
    code: null,
    message: null,
    chargeId: "chg_1",
    planId: "free",
    planVersion: 1,
    paidBy,
    charged: { windows: windows.map((window) => ({ windowId: window.windowId, units: 1 })), credits },
    transferId: null,
    draws: [],
    blockedWindowId: null,
    resetsAt: null,
    windows,
    credits: { available: 0 },
  });

  it("names the credits paid, at the display scale", () => {
    expect(chargeNote(answer("credits", [line("5h", 10, 10)], 10), 0)).toBe("Paid with 10 credits");
    expect(chargeNote(answer("credits", [], 1250), 2)).toBe("Paid with 12.50 credits");
  });

  it("names the window with the smallest share left", () => {
    const windows = [line("weekly", 10, 40), line("5h", 3, 10)];
    expect(chargeNote(answer("windows", windows), 0)).toBe("7 of 10 left in your 5h messages window");
    expect(chargeNote(answer("windows", [line("5h", 9, 10), line("weekly", 12, 40)]), 0)).toBe(
      "1 of 10 left in your 5h messages window",
    );
    expect(chargeNote(answer("windows", []), 0)).toBe("Included in your plan");
  });

  it("picks a window whose share left is the least, for any windows, and leaves the answer as it was", () => {
    const windows = fc.array(
      fc.record({ used: fc.nat(1000), limit: fc.integer({ min: 1, max: 1000 }) }).map(({ used, limit }) => ({
        used: Math.min(used, limit),
        limit,
      })),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(windows, (list) => {
        const lines = list.map((item, index) => line(`w${index}`, item.used, item.limit));
        const usage = answer("windows", lines);
        const before = JSON.stringify(usage);
        const match = /^(\d+) of (\d+) left in your (w\d+) messages window$/.exec(chargeNote(usage, 0));
        expect(match).not.toBeNull();
        const chosen = lines.find((candidate) => candidate.window === match?.[3]);
        const least = Math.min(...lines.map((candidate) => candidate.remaining / candidate.limit));
        expect(chosen === undefined ? null : chosen.remaining / chosen.limit).toBe(least);
        expect(JSON.stringify(usage)).toBe(before);
      }),
    );
  });
});

describe("usedShare", () => {
  it("is the share used, kept between 0 and 1, and full for a window with no allowance", () => {
    expect(usedShare({ used: 3, limit: 10 })).toBeCloseTo(0.3);
    expect(usedShare({ used: 15, limit: 10 })).toBe(1);
    expect(usedShare({ used: -1, limit: 10 })).toBe(0);
    expect(usedShare({ used: 0, limit: 0 })).toBe(1);
  });
});
