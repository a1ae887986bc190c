/** `POST /v1/programs`: store a gifting or referral program's terms as its next version (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Outcome } from "../../core/errors.js";
import { PROGRAM_ID_PATTERN } from "../../core/gift-program.js";
import type { Engine } from "../../engine/engine.js";
import type { ProgramView } from "../../engine/programs.js";
import type { App, AppEnv } from "../app.js";
import { clientKeyOf, ERROR_RESPONSES, fail, IdempotencyHeader, ok200, requireScope } from "./common.js";
import { PROGRAM_ID_LENGTH_MAX } from "./gifts-post.js";

/** Both kinds of program share these routes; each kind keeps its terms in its own engine module. */
export const PROGRAM_TYPES = ["gifting", "referral"] as const;
export type ProgramType = (typeof PROGRAM_TYPES)[number];

const GIFTING_TERMS_EXAMPLE = {
  status: "live",
  senders: { plans: ["pro"] },
  period: { unit: "month" },
  allowance: 500,
  giftMin: 50,
  giftMax: 500,
  caps: { sentPerPeriod: 5, receivedPerPeriod: 3, claimedEver: 10 },
  recipients: "new_or_lapsed",
  lapsedAfterDays: 62,
  claimWindow: "14d",
  credits: { expiresAfter: "90d", priority: 10 },
};

/** The reference pilot: Plus and Pro customers invite up to three lapsed friends in June. */
const REFERRAL_TERMS_EXAMPLE = {
  status: "live",
  window: { opensAt: "2026-06-11T00:00:00Z", closesAt: "2026-06-25T00:00:00Z" },
  audience: { plans: ["plus", "pro"] },
  invites: { perReferrer: 3 },
  invitees: { eligibility: "lapsed", lapsedAfterDays: 62 },
  qualifyingEvent: { firstUsage: { action: "message" } },
  rewards: {
    referrer: { type: "reset", expiresAfter: "30d" },
    invitee: { type: "reset", expiresAfter: "30d" },
  },
};

/**
 * The terms' written form. Only its outline is checked here: the engine reads the whole of it and
 * names the path of the value at fault (`caps.sentPerPeriod: ...`), which a schema here could only
 * say less precisely.
 */
export const ProgramTerms = z.record(z.string(), z.unknown()).openapi("ProgramTerms", {
  description:
    "A gifting program's terms: `status` (draft, hidden, live, ended), `visibleTo` (cohorts that see a " +
    "hidden program), `senders` (`plans`, `cohorts`), `period` (`unit` day, week or month, `timeZone`), " +
    "`allowance` per sender per period, `giftMin` and `giftMax`, `caps` (`sentPerPeriod`, " +
    "`receivedPerPeriod`, `claimedEver`), `recipients` (anyone, new, lapsed, new_or_lapsed), " +
    "`newWithinDays`, `lapsedAfterDays`, `claimWindow` (a duration such as 14d) and `credits` " +
    "(`expiresAfter`, `priority`) for the claimed lot.\n\n" +
    "A referral program's terms: `status` (draft, hidden, live, ended), `visibleTo`, `window` " +
    "(`opensAt`, `closesAt`: the program opens and closes by itself), `audience` (`plans`, `cohorts` " +
    "of referrers), `invites` (`perReferrer`, `perPeriod`, `period`), `invitees` (`eligibility` new, " +
    "lapsed, new_or_lapsed or anyone, `newWithinDays`, `lapsedAfterDays`), `attributionWindow`, " +
    "`qualifyingEvent` (`firstUsage` with an optional `action`, or `event`: a name posted to " +
    "`POST /v1/events`), `rewards` (`referrer`, `invitee`: a `reset` with `windows` and " +
    "`expiresAfter`, or `credits` with `amount`, `expiresAfter` and `priority`), `holdPeriod`, " +
    "`budget` (`credits`, `resets`) and `fraud` (`disposableDomains`, `velocity`).\n\n" +
    "Amounts are minor credit units; durations are written like 14d or 5h.",
  example: GIFTING_TERMS_EXAMPLE,
});

export const ProgramRequest = z
  .object({
    // The engine checks the id too; checking its form here as well keeps a malformed id a 400 even
    // where a program kind's reader leaves the id to the database's constraint.
    id: z
      .string()
      .max(PROGRAM_ID_LENGTH_MAX)
      .regex(PROGRAM_ID_PATTERN, "must be 1 to 64 of a-z, 0-9, _ and -, starting with a letter or digit")
      .openapi({ description: "1 to 64 of a-z, 0-9, _ and -", example: "pro-gifts" }),
    type: z.enum(PROGRAM_TYPES).openapi({
      description: "The kind of program; a program keeps its kind, and ids are unique across kinds",
    }),
    terms: ProgramTerms,
  })
  .strict()
  .openapi("ProgramRequest", {
    example: { id: "june-pilot", type: "referral", terms: REFERRAL_TERMS_EXAMPLE },
  });

export const Program = z
  .object({
    id: z.string(),
    type: z.enum(PROGRAM_TYPES),
    version: z
      .number()
      .int()
      .openapi({ description: "1 for the first version; gifts and referrals keep theirs" }),
    createdAt: z.string(),
    terms: ProgramTerms.openapi({ description: "The terms with every default spelled out" }),
  })
  .openapi("Program");

export const ProgramSaved = Program.extend({
  created: z.boolean().openapi({ description: "False when the terms equal the current version's" }),
}).openapi("ProgramSaved");

export const ProgramIdParam = z.object({
  programId: z
    .string()
    .min(1)
    .max(PROGRAM_ID_LENGTH_MAX)
    .openapi({ param: { name: "programId", in: "path" }, example: "pro-gifts" }),
});

/**
 * A program on the wire. The terms are written back exactly in their written form, so they bypass
 * the naming rule for engine values and can be sent again as they are.
 */
export function programWire(type: ProgramType, program: ProgramView): Record<string, unknown> {
  return {
    id: program.id,
    type,
    version: program.version,
    createdAt: new Date(program.createdAtMs).toISOString(),
    terms: program.spec,
  };
}

export function answerProgram(
  c: Context<AppEnv>,
  type: ProgramType,
  outcome: Outcome<{ program: ProgramView; created: boolean }>,
): Response {
  if (!outcome.ok) return fail(c, outcome.error);
  return c.json({ ...programWire(type, outcome.value.program), created: outcome.value.created }, 200);
}

/** The engine module that keeps programs of a kind: both offer the same program operations. */
export function programsOf(engine: Engine, type: ProgramType): Engine["gifts"] | Engine["referrals"] {
  return type === "gifting" ? engine.gifts : engine.referrals;
}

const route = createRoute({
  method: "post",
  path: "/v1/programs",
  tags: ["programs"],
  summary: "Create or replace a program",
  description:
    "Stores the terms as the program's next version, for a `gifting` or a `referral` program; gifts " +
    "and referrals keep the version they were made under. " +
    "Terms equal to the current version's store nothing and answer it with `created: false`, so the " +
    "call is safe to repeat; with an `Idempotency-Key`, a retry replays the first answer. Program ids " +
    "are one space across kinds: an id another kind of program has is refused with `invalid_request`. " +
    "Change some terms with `PATCH /v1/programs/{programId}`.",
  security: [{ bearer: [] }],
  // Admin only, checked before the body is read, so a server key learns nothing of the input rules.
  middleware: [requireScope("admin")] as const,
  request: {
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: ProgramRequest } }, required: true },
  },
  responses: { ...ok200(ProgramSaved, "The program's current version"), ...ERROR_RESPONSES },
});

export function registerProgramsPost(app: App): void {
  app.openapi(route, async (c) => {
    const { id, type, terms } = c.req.valid("json");
    const key = clientKeyOf(c, c.req.valid("header"));
    const outcome = await programsOf(c.get("deps").engine, type).saveProgram(id, terms, key);
    return answerProgram(c, type, outcome) as never;
  });
}
