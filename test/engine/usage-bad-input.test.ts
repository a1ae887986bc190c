/**
 * Bad input to the usage side of the engine, on every backend. A plan file with a mistake is refused
 * with the file's line and the path at fault, and stores none of its plans. Every bad authorize,
 * reset grant, reset redemption and bulk reset is refused with its typed code and leaves everything as
 * it was: the ledger, each customer's windows, charges, banked resets and balance, and the usage
 * tables' rows.
 */
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { ErrorCode, Outcome } from "../../src/core/errors.js";
import { USAGE_QUANTITY_MAX } from "../../src/core/usage.js";
import { RESET_TOKENS_HELD_MAX, RESET_TTL_MS_MAX } from "../../src/core/usage-commands.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { PLAN_FILE_BYTES_MAX } from "../../src/engine/usage.js";
import {
  ACTOR_LENGTH_MAX,
  BULK_RESET_CUSTOMERS_MAX,
  SCOPE_WINDOWS_MAX,
} from "../../src/engine/usage-inputs.js";
import { IDEMPOTENCY_KEY_LENGTH_MAX, REASON_LENGTH_MAX } from "../../src/engine/validate.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";

const START_MS = Date.UTC(2026, 5, 11, 9); // a Thursday
const HOUR_MS = 3_600_000;
const FILE = "plans.json";

/** Types a deliberately ill-typed value as what the API declares, to reach the runtime checks. */
const illTyped = <T>(value: unknown): T => value as T;

// ---------------------------------------------------------------------------------------------------
// Plan files

/** A valid plan file; each bad file below changes one of its lines, so the line at fault is known. */
const VALID_LINES: readonly string[] = [
  "{", // 1
  '  "plans": {', // 2
  '    "free": {', // 3
  '      "meters": {', // 4
  '        "messages": [', // 5
  '          { "window": "5h", "kind": "fixed", "duration": "5h", "allowance": 10 }', // 6
  "        ]", // 7
  "      },", // 8
  '      "actions": { "message": { "costs": { "messages": 1 }, "creditPriceMinor": 10 } }', // 9
  "    },", // 10
  '    "team": {', // 11
  '      "lowCreditsMinor": 100,', // 12
  '      "meters": {', // 13
  '        "messages": [', // 14
  '          { "window": "5h", "kind": "fixed", "duration": "5h", "allowance": 200 },', // 15
  '          { "window": "hourly", "kind": "rolling", "duration": "1h", "bucket": "5m", "allowance": 60 },', // 16
  '          { "window": "weekly", "kind": "calendar", "unit": "week", "timeZone": "Europe/Paris", "allowance": 2000 }', // 17
  "        ]", // 18
  "      },", // 19
  '      "actions": {', // 20
  '        "message": { "costs": { "messages": 1 }, "creditPriceMinor": 10 }', // 21
  "      }", // 22
  "    }", // 23
  "  }", // 24
  "}", // 25
];
const VALID_FILE = VALID_LINES.join("\n");

/** The valid file with line `line` (1-based) changed by `change`. */
function changeLine(line: number, change: (text: string) => string): string {
  return VALID_LINES.map((text, index) => (index + 1 === line ? change(text) : text)).join("\n");
}

interface BadFile {
  readonly name: string;
  readonly text: string;
  /** The line the message must name. */
  readonly line: number;
  /** What follows `plans.json:<line>: `. */
  readonly rest: RegExp;
}

const BAD_FILES: readonly BadFile[] = [
  {
    name: "a comma before a closing brace",
    text: changeLine(15, (t) => t.replace('"allowance": 200 }', '"allowance": 200, }')),
    line: 15,
    rest: /^expected a quoted key$/,
  },
  {
    // The parser notices a trailing comma at the token that cannot follow it, on the next line.
    name: "a comma after the last window",
    text: changeLine(17, (t) => `${t},`),
    line: 18,
    rest: /^unexpected character$/,
  },
  {
    name: "a plan id given twice",
    text: changeLine(11, (t) => t.replace('"team"', '"free"')),
    line: 11,
    rest: /^key "free" appears twice$/,
  },
  {
    name: "a comment",
    text: changeLine(12, (t) => `${t} // alerts below one dollar`),
    line: 12,
    rest: /^expected a quoted key$/,
  },
  {
    name: "single quotes",
    text: changeLine(9, (t) => t.replace('"message"', "'message'")),
    line: 9,
    rest: /^expected a quoted key$/,
  },
  {
    name: "a string left open",
    text: changeLine(17, (t) => t.replace('"Europe/Paris"', '"Europe/Paris')),
    line: 17,
    rest: /^expected , or }$/,
  },
  {
    name: "a file cut short",
    text: VALID_LINES.slice(0, 20).join("\n"),
    line: 20,
    rest: /^expected a quoted key$/,
  },
  {
    name: "an empty file",
    text: "",
    line: 1,
    rest: /^unexpected end of file$/,
  },
  {
    name: "a bad duration in the second plan",
    text: changeLine(15, (t) => t.replace('"duration": "5h"', '"duration": "5x"')),
    line: 15,
    rest: /^plans\.team\.meters\.messages\[0\]\.duration: must be a duration like "90s", "30m", "5h" or "7d"$/,
  },
  {
    name: "a bad allowance in the first plan",
    text: changeLine(6, (t) => t.replace('"allowance": 10', '"allowance": 0')),
    line: 6,
    rest: /^plans\.free\.meters\.messages\[0\]\.allowance: must be a whole number from 1 to 1000000000000$/,
  },
  {
    name: "an unknown window field",
    text: changeLine(16, (t) => t.replace('"allowance": 60', '"allowance": 60, "size": 3')),
    line: 16,
    rest: /^plans\.team\.meters\.messages\[1\]\.size: is not a known field/,
  },
  {
    name: "a bad weekday",
    text: changeLine(17, (t) =>
      t.replace('"allowance": 2000', '"weekStartsOn": "funday", "allowance": 2000'),
    ),
    line: 17,
    rest: /^plans\.team\.meters\.messages\[2\]\.weekStartsOn: must be a weekday/,
  },
  {
    name: "an action costing a meter with no window",
    text: changeLine(21, (t) => t.replace('"messages": 1', '"messages": 1, "tokens": 5')),
    line: 21,
    rest: /^plans\.team\.actions\.message\.costs\.tokens: meter tokens has no window in this plan$/,
  },
  {
    name: "a plan id in upper case",
    text: changeLine(11, (t) => t.replace('"team"', '"Team"')),
    line: 11,
    rest: /^plans\.Team: plan id "Team" must be 1 to 64 of a-z/,
  },
  {
    name: "a zero low-credit threshold",
    text: changeLine(12, (t) => t.replace("100", "0")),
    line: 12,
    rest: /^plans\.team\.lowCreditsMinor: must be a whole number from 1 to/,
  },
  {
    name: "an unknown top-level field",
    text: changeLine(1, () => '{ "version": 2,'),
    line: 1,
    rest: /^version: is not a known field \(known: plans\)$/,
  },
];

// ---------------------------------------------------------------------------------------------------
// The scene the usage cases run against

const PRO_SPEC = {
  lowCreditsMinor: 50,
  meters: {
    messages: [
      { window: "5h", kind: "fixed", duration: "5h", allowance: 3 },
      { window: "weekly", kind: "calendar", unit: "week", timeZone: "UTC", allowance: 5 },
    ],
  },
  actions: {
    message: { costs: { messages: 1 }, creditPriceMinor: 10 },
    big_task: { costs: { messages: 2 }, creditPriceMinor: 25 },
  },
};

/** Every customer of the scene: whatever a bad request does, none of them may change. */
const CUSTOMERS = {
  /** On plan pro, allowing overflow, with credits, two messages used and one live banked reset. */
  alice: "alice",
  /** On plan pro, with a live banked reset of his own. */
  bob: "bob",
  /** On no plan. */
  carol: "carol",
  /** On plan pro, with nothing banked; the target of an earlier bulk reset. */
  dana: "dana",
  /** On plan pro, holding only a reset that has expired. */
  erin: "erin",
  /** On plan gold, which is not defined. */
  gina: "gina",
  /** On plan pro, holding as many banked resets as a customer may. */
  hank: "hank",
} as const;
const UNKNOWN_RESET_ID = `rst_${"0".repeat(32)}`;
const DONE_BULK_KEY = "bulk-done";

interface Scene {
  readonly engine: Engine;
  readonly store: Store;
  readonly nowMs: number;
  readonly aliceTokenId: string;
  readonly aliceRedeemedId: string;
  readonly bobTokenId: string;
  readonly erinTokenId: string;
}

async function buildScene(engine: Engine, store: Store, clock: ManualClock): Promise<Scene> {
  const key = counter("scene");
  expectOk(await engine.savePlan("pro", PRO_SPEC));
  const plans: Record<string, string | null> = { carol: null, gina: "gold" };
  for (const id of Object.values(CUSTOMERS)) {
    expectOk(
      await engine.upsertCustomer({
        id,
        plan: plans[id] === undefined ? "pro" : plans[id],
        overflowAllowed: id === "alice",
      }),
    );
  }
  // Erin's reset expires an hour in; every case runs an hour after that. No lot expires, so no case
  // can change a wallet by bringing it up to date.
  const erin = expectOk(
    await engine.grantReset({ customerId: "erin", expiresAtMs: START_MS + HOUR_MS, idempotencyKey: key() }),
  );
  clock.advanceMs(2 * HOUR_MS);
  expectOk(
    await engine.grant({ customerId: "alice", amountMinor: 100, kind: "purchased", idempotencyKey: key() }),
  );
  // The reset is redeemed before Alice's two messages, so her windows are part used during the cases.
  const redeemed = expectOk(await engine.grantReset({ customerId: "alice", idempotencyKey: key() }));
  expectOk(
    await engine.redeemReset({ customerId: "alice", resetId: redeemed.tokenId, idempotencyKey: key() }),
  );
  for (let i = 0; i < 2; i += 1)
    expectOk(await engine.authorize({ customerId: "alice", action: "message", idempotencyKey: key() }));
  const alice = expectOk(
    await engine.grantReset({ customerId: "alice", windows: ["messages/5h"], idempotencyKey: key() }),
  );
  const bob = expectOk(await engine.grantReset({ customerId: "bob", idempotencyKey: key() }));
  const hoard = await Promise.all(
    Array.from({ length: RESET_TOKENS_HELD_MAX }, () =>
      engine.grantReset({ customerId: "hank", idempotencyKey: key() }),
    ),
  );
  for (const outcome of hoard) expectOk(outcome);
  expectOk(
    await engine.bulkReset({
      customerIds: ["dana"],
      actor: "ops@example.com",
      reason: "drill",
      idempotencyKey: DONE_BULK_KEY,
    }),
  );
  return {
    engine,
    store,
    nowMs: clock.nowMs(),
    aliceTokenId: alice.tokenId,
    aliceRedeemedId: redeemed.tokenId,
    bobTokenId: bob.tokenId,
    erinTokenId: erin.tokenId,
  };
}

const TABLES = ["usage_windows", "usage_charges", "reset_tokens", "bulk_resets", "events", "plans"] as const;

/**
 * What any usage request could change anywhere: the ledger's counts (with `verify` clean), the usage
 * tables' row counts, and every row of the two tables a reset or a charge rewrites in place.
 */
async function globalState(scene: Scene) {
  const { engine, store } = scene;
  const report = await engine.verify();
  expect(report.firstViolation).toBeNull();
  const rows: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await store.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`);
    rows[table] = row?.count ?? -1;
  }
  return {
    counts: report.counts,
    rows,
    // Redeemed and expired tokens are not on the usage page; the table shows them all.
    tokens: await store.query("SELECT * FROM reset_tokens ORDER BY id"),
    windows: await store.query("SELECT * FROM usage_windows ORDER BY customer_id, window_id"),
  };
}

/** What a customer sees: the usage page (windows, banked resets, charges) and the balance. */
async function customerView(scene: Scene, customerId: string) {
  return {
    usage: await scene.engine.usage(customerId, { limit: 100 }),
    balance: await scene.engine.balance(customerId),
  };
}

/**
 * The scene customers the current case names, noted by the request helpers below, so that each case
 * compares the views of exactly the customers it could have touched. Reading every customer's views
 * after every case would take most of the file's time budget, and the global state already covers
 * the rows behind the others' views.
 */
const named = new Set<string>();
function note(customerIds: unknown): void {
  const ids = Array.isArray(customerIds) ? customerIds : [customerIds];
  for (const id of ids) if (typeof id === "string" && Object.hasOwn(CUSTOMERS, id)) named.add(id);
}

interface BadCase {
  readonly name: string;
  readonly call: (s: Scene) => Promise<Outcome<unknown>>;
  readonly code: ErrorCode;
  /** What the message must say for a caller to fix the request. */
  readonly message: RegExp;
}

const key = counter("bad");

const authorize = (
  s: Scene,
  fields: { customerId?: string; action?: unknown; quantity?: unknown; idempotencyKey?: unknown },
) => {
  note(fields.customerId ?? "alice");
  return s.engine.authorize({
    customerId: fields.customerId ?? "alice",
    action: illTyped<string>("action" in fields ? fields.action : "message"),
    quantity: illTyped<number>(fields.quantity),
    idempotencyKey: illTyped<string>("idempotencyKey" in fields ? fields.idempotencyKey : key()),
  });
};

const QUANTITY_MESSAGE = new RegExp(`^quantity must be a whole number from 1 to ${USAGE_QUANTITY_MAX}$`);
const BAD_QUANTITIES: readonly { label: string; value: unknown }[] = [
  { label: "0", value: 0 },
  { label: "-1", value: -1 },
  { label: "1.5", value: 1.5 },
  { label: "one over the maximum", value: USAGE_QUANTITY_MAX + 1 },
  { label: "huge", value: 1e15 },
  { label: "beyond safe integers", value: 2 ** 53 },
  { label: "NaN", value: Number.NaN },
  { label: "infinite", value: Number.POSITIVE_INFINITY },
  { label: "text", value: "2" },
  { label: "a bigint", value: 2n },
];

const KEY_REQUIRED = /^an idempotency key is required$/;
const KEY_FORMAT = new RegExp(
  `^the idempotency key must be 1 to ${IDEMPOTENCY_KEY_LENGTH_MAX} printable ASCII characters$`,
);
const BAD_KEYS: readonly { label: string; value: unknown; message: RegExp }[] = [
  { label: "a missing", value: undefined, message: KEY_REQUIRED },
  { label: "an empty", value: "", message: KEY_REQUIRED },
  { label: "an overlong", value: "k".repeat(IDEMPOTENCY_KEY_LENGTH_MAX + 1), message: KEY_FORMAT },
  { label: "a spaced", value: "my key", message: KEY_FORMAT },
];

const AUTHORIZE_CASES: readonly BadCase[] = [
  {
    name: "an authorize of an unknown action",
    call: (s) => authorize(s, { action: "teleport" }),
    code: "unknown_action",
    message: /^plan pro has no action teleport \(it has: big_task, message\)$/,
  },
  {
    // The name pattern allows it, and plain objects inherit a member of that name.
    name: "an authorize of an action named like an Object.prototype member",
    call: (s) => authorize(s, { action: "constructor" }),
    code: "unknown_action",
    message: /^plan pro has no action constructor/,
  },
  ...["Message", "", "big task", 5].map(
    (action): BadCase => ({
      name: `an authorize of malformed action ${JSON.stringify(action)}`,
      call: (s) => authorize(s, { action }),
      code: "invalid_request",
      message: /^action must be 1 to 64 of a-z, 0-9, _ \. - \(lower case\)$/,
    }),
  ),
  ...BAD_QUANTITIES.map(
    ({ label, value }): BadCase => ({
      name: `an authorize of quantity ${label}`,
      call: (s) => authorize(s, { quantity: value }),
      code: "invalid_request",
      message: QUANTITY_MESSAGE,
    }),
  ),
  ...BAD_KEYS.map(
    ({ label, value, message }): BadCase => ({
      name: `an authorize with ${label} idempotency key`,
      call: (s) => authorize(s, { idempotencyKey: value }),
      code: "invalid_request",
      message,
    }),
  ),
  ...["", "c".repeat(129)].map(
    (customerId): BadCase => ({
      name: `an authorize for malformed customer id of length ${customerId.length}`,
      call: (s) => authorize(s, { customerId }),
      code: "invalid_request",
      message: /^customerId must be 1 to 128 printable ASCII characters$/,
    }),
  ),
  {
    name: "an authorize for a customer on no plan",
    call: (s) => authorize(s, { customerId: "carol" }),
    code: "no_plan",
    message: /^customer carol has no plan$/,
  },
  {
    name: "an authorize for a customer whose plan is not defined",
    call: (s) => authorize(s, { customerId: "gina" }),
    code: "no_plan",
    message: /^customer gina is on plan gold, which is not defined$/,
  },
  {
    name: "an authorize for an unknown customer",
    call: (s) => authorize(s, { customerId: "nobody" }),
    code: "not_found",
    message: /^no customer nobody$/,
  },
];

type GrantResetFields = Partial<
  Record<"customerId" | "windows" | "expiresAtMs" | "source" | "reason" | "idempotencyKey", unknown>
>;
const grantReset = (s: Scene, fields: GrantResetFields) => {
  note(fields.customerId ?? "bob");
  return s.engine.grantReset({
    customerId: illTyped<string>(fields.customerId ?? "bob"),
    windows: illTyped<string[] | undefined>(fields.windows),
    expiresAtMs: illTyped<number | undefined>(fields.expiresAtMs),
    source: illTyped<string | undefined>(fields.source),
    reason: illTyped<string | undefined>(fields.reason),
    idempotencyKey: illTyped<string>("idempotencyKey" in fields ? fields.idempotencyKey : key()),
  });
};

const WINDOW_ID_MESSAGE = /is not a window id like messages\/5h$/;
const WINDOWS_MESSAGE = new RegExp(
  `^windows must list 1 to ${SCOPE_WINDOWS_MAX} window ids, or be left out for all$`,
);

const GRANT_RESET_CASES: readonly BadCase[] = [
  {
    name: "a reset grant for a window the plan lacks",
    call: (s) => grantReset(s, { windows: ["messages/5h", "messages/daily"] }),
    code: "invalid_request",
    message: /^plan pro has no window messages\/daily \(it has: messages\/5h, messages\/weekly\)$/,
  },
  ...["messages", "Messages/5h", "messages/5h/extra", "/5h", "messages/", "", 5, null].map(
    (windowId): BadCase => ({
      name: `a reset grant for malformed window id ${JSON.stringify(windowId)}`,
      call: (s) => grantReset(s, { windows: [windowId] }),
      code: "invalid_request",
      message: WINDOW_ID_MESSAGE,
    }),
  ),
  {
    name: "a reset grant for an empty list of windows",
    call: (s) => grantReset(s, { windows: [] }),
    code: "invalid_request",
    message: WINDOWS_MESSAGE,
  },
  {
    name: `a reset grant for more than ${SCOPE_WINDOWS_MAX} windows`,
    call: (s) =>
      grantReset(s, { windows: Array.from({ length: SCOPE_WINDOWS_MAX + 1 }, (_, i) => `messages/w${i}`) }),
    code: "invalid_request",
    message: WINDOWS_MESSAGE,
  },
  {
    name: "a reset grant whose windows are one string",
    call: (s) => grantReset(s, { windows: "messages/5h" }),
    code: "invalid_request",
    message: WINDOWS_MESSAGE,
  },
  {
    name: "a reset grant expiring in the past",
    call: (s) => grantReset(s, { expiresAtMs: s.nowMs - 1 }),
    code: "invalid_request",
    message: /^expiresAt must be later than now$/,
  },
  {
    name: "a reset grant expiring exactly now",
    call: (s) => grantReset(s, { expiresAtMs: s.nowMs }),
    code: "invalid_request",
    message: /^expiresAt must be later than now$/,
  },
  {
    name: "a reset grant expiring beyond the limit",
    call: (s) => grantReset(s, { expiresAtMs: s.nowMs + RESET_TTL_MS_MAX + 1 }),
    code: "invalid_request",
    message: /^expiresAt must be within 366 days$/,
  },
  {
    name: "a reset grant with an expiry in seconds instead of milliseconds",
    call: (s) => grantReset(s, { expiresAtMs: Math.floor(s.nowMs / 1000) + 3_600 }),
    code: "invalid_request",
    message: /^expiresAt must be a time between 2000 and 2200$/,
  },
  {
    name: "a reset grant with a fractional expiry",
    call: (s) => grantReset(s, { expiresAtMs: s.nowMs + HOUR_MS + 0.5 }),
    code: "invalid_request",
    message: /^expiresAt must be a time between 2000 and 2200$/,
  },
  ...["gift", "Operator", "", 1].map(
    (source): BadCase => ({
      name: `a reset grant from source ${JSON.stringify(source)}`,
      call: (s) => grantReset(s, { source }),
      code: "invalid_request",
      message: /^source must be one of operator, program, purchase$/,
    }),
  ),
  {
    name: "a reset grant with an overlong reason",
    call: (s) => grantReset(s, { reason: "r".repeat(REASON_LENGTH_MAX + 1) }),
    code: "invalid_request",
    message: new RegExp(`^reason must be text of at most ${REASON_LENGTH_MAX} characters$`),
  },
  {
    name: "a reset grant whose reason holds a NUL character",
    call: (s) => grantReset(s, { reason: "incident\u0000" }),
    code: "invalid_request",
    message: /^reason must be well-formed text without NUL characters$/,
  },
  ...BAD_KEYS.map(
    ({ label, value, message }): BadCase => ({
      name: `a reset grant with ${label} idempotency key`,
      call: (s) => grantReset(s, { idempotencyKey: value }),
      code: "invalid_request",
      message,
    }),
  ),
  {
    name: "a reset grant for an unknown customer",
    call: (s) => grantReset(s, { customerId: "nobody" }),
    code: "not_found",
    message: /^no customer nobody$/,
  },
  {
    name: "a reset grant for a malformed customer id",
    call: (s) => grantReset(s, { customerId: "bob smith" }),
    code: "invalid_request",
    message: /^customerId must be 1 to 128 printable ASCII characters$/,
  },
  {
    name: `a reset grant to a customer already holding ${RESET_TOKENS_HELD_MAX}`,
    call: (s) => grantReset(s, { customerId: "hank" }),
    code: "cap_exceeded",
    message: new RegExp(`^customer hank already holds ${RESET_TOKENS_HELD_MAX} resets$`),
  },
];

const redeemReset = (
  s: Scene,
  fields: { customerId?: string; resetId?: unknown; idempotencyKey?: unknown },
) => {
  // A named reset may belong to another scene customer, whose view must not change either.
  note([fields.customerId ?? "alice", "alice", "bob", "erin"]);
  return s.engine.redeemReset({
    customerId: fields.customerId ?? "alice",
    resetId: illTyped<string | undefined>(fields.resetId),
    idempotencyKey: illTyped<string>("idempotencyKey" in fields ? fields.idempotencyKey : key()),
  });
};

const REDEEM_RESET_CASES: readonly BadCase[] = [
  {
    name: "a redemption with no reset banked",
    call: (s) => redeemReset(s, { customerId: "dana" }),
    code: "reset_unavailable",
    message: /^customer dana has no banked reset for plan pro$/,
  },
  {
    name: "a redemption when the only reset has expired",
    call: (s) => redeemReset(s, { customerId: "erin" }),
    code: "reset_unavailable",
    message: /^customer erin has no banked reset for plan pro$/,
  },
  {
    name: "a redemption of an expired reset by id",
    call: (s) => redeemReset(s, { customerId: "erin", resetId: s.erinTokenId }),
    code: "reset_unavailable",
    message: new RegExp(`^reset rst_[0-9a-f]{32} expired at ${new Date(START_MS + HOUR_MS).toISOString()}$`),
  },
  {
    name: "a redemption of a reset already redeemed",
    call: (s) => redeemReset(s, { resetId: s.aliceRedeemedId }),
    code: "reset_unavailable",
    message: /^reset rst_[0-9a-f]{32} was already redeemed$/,
  },
  {
    name: "a redemption of another customer's reset",
    call: (s) => redeemReset(s, { resetId: s.bobTokenId }),
    code: "reset_unavailable",
    message: /^customer alice has no reset rst_[0-9a-f]{32}$/,
  },
  {
    name: "a redemption of an unknown reset",
    call: (s) => redeemReset(s, { resetId: UNKNOWN_RESET_ID }),
    code: "reset_unavailable",
    message: new RegExp(`^customer alice has no reset ${UNKNOWN_RESET_ID}$`),
  },
  ...["rst_xyz", `RST_${"0".repeat(32)}`, `txn_${"0".repeat(32)}`, "", 5].map(
    (resetId): BadCase => ({
      name: `a redemption of malformed reset id ${JSON.stringify(resetId)}`,
      call: (s) => redeemReset(s, { resetId }),
      code: "invalid_request",
      message: /^resetId must be an id like rst_0123\.\.\.$/,
    }),
  ),
  ...BAD_KEYS.map(
    ({ label, value, message }): BadCase => ({
      name: `a redemption with ${label} idempotency key`,
      call: (s) => redeemReset(s, { idempotencyKey: value }),
      code: "invalid_request",
      message,
    }),
  ),
  {
    name: "a redemption for a customer on no plan",
    call: (s) => redeemReset(s, { customerId: "carol" }),
    code: "no_plan",
    message: /^customer carol has no plan$/,
  },
  {
    name: "a redemption for a customer whose plan is not defined",
    call: (s) => redeemReset(s, { customerId: "gina" }),
    code: "no_plan",
    message: /^customer gina is on plan gold, which is not defined$/,
  },
  {
    name: "a redemption for an unknown customer",
    call: (s) => redeemReset(s, { customerId: "nobody" }),
    code: "not_found",
    message: /^no customer nobody$/,
  },
];

type BulkFields = Partial<
  Record<"plan" | "customerIds" | "windows" | "actor" | "reason" | "idempotencyKey", unknown>
>;
/** A bulk reset of Alice and Bob unless the fields say otherwise; a field set to undefined is left out. */
function bulkReset(s: Scene, fields: BulkFields) {
  const request: Record<string, unknown> = {
    customerIds: ["alice", "bob"],
    actor: "ops@example.com",
    reason: "incident 42",
    idempotencyKey: key(),
    ...fields,
  };
  for (const [name, value] of Object.entries(request)) if (value === undefined) delete request[name];
  // A bulk reset by plan reaches every customer on it.
  note(request.plan === undefined ? request.customerIds : Object.values(CUSTOMERS));
  return s.engine.bulkReset(illTyped(request));
}

const EITHER_MESSAGE = /^name either a plan or a list of customerIds, not both$/;
const CUSTOMERS_MESSAGE = new RegExp(`^customerIds must list 1 to ${BULK_RESET_CUSTOMERS_MAX} customers$`);

const BULK_RESET_CASES: readonly BadCase[] = [
  {
    name: "a bulk reset naming both a plan and customers",
    call: (s) => bulkReset(s, { plan: "pro" }),
    code: "invalid_request",
    message: EITHER_MESSAGE,
  },
  {
    name: "a bulk reset naming neither a plan nor customers",
    call: (s) => bulkReset(s, { customerIds: undefined }),
    code: "invalid_request",
    message: EITHER_MESSAGE,
  },
  {
    name: "a bulk reset of an empty list of customers",
    call: (s) => bulkReset(s, { customerIds: [] }),
    code: "invalid_request",
    message: CUSTOMERS_MESSAGE,
  },
  {
    name: `a bulk reset of more than ${BULK_RESET_CUSTOMERS_MAX} customers`,
    call: (s) =>
      bulkReset(s, { customerIds: Array.from({ length: BULK_RESET_CUSTOMERS_MAX + 1 }, (_, i) => `c${i}`) }),
    code: "invalid_request",
    message: CUSTOMERS_MESSAGE,
  },
  {
    name: "a bulk reset whose customers are one string",
    call: (s) => bulkReset(s, { customerIds: "alice" }),
    code: "invalid_request",
    message: CUSTOMERS_MESSAGE,
  },
  {
    name: "a bulk reset of a malformed customer id",
    call: (s) => bulkReset(s, { customerIds: ["alice", ""] }),
    code: "invalid_request",
    message: /^customerId must be 1 to 128 printable ASCII characters$/,
  },
  ...["Pro", "", 5].map(
    (plan): BadCase => ({
      name: `a bulk reset of malformed plan ${JSON.stringify(plan)}`,
      call: (s) => bulkReset(s, { plan, customerIds: undefined }),
      code: "invalid_request",
      message: /^plan must be a plan id$/,
    }),
  ),
  {
    name: "a bulk reset of an empty list of windows",
    call: (s) => bulkReset(s, { windows: [] }),
    code: "invalid_request",
    message: WINDOWS_MESSAGE,
  },
  {
    name: "a bulk reset of a malformed window id",
    call: (s) => bulkReset(s, { windows: ["messages/5h", "5h"] }),
    code: "invalid_request",
    message: WINDOW_ID_MESSAGE,
  },
  ...[undefined, "", "   "].map(
    (actor): BadCase => ({
      name: `a bulk reset with actor ${JSON.stringify(actor) ?? "left out"}`,
      call: (s) => bulkReset(s, { actor }),
      code: "invalid_request",
      message: /^actor is required: who resets$/,
    }),
  ),
  {
    name: "a bulk reset with an overlong actor",
    call: (s) => bulkReset(s, { actor: "a".repeat(ACTOR_LENGTH_MAX + 1) }),
    code: "invalid_request",
    message: new RegExp(`^actor must be text of at most ${ACTOR_LENGTH_MAX} characters$`),
  },
  ...[undefined, "", " \t "].map(
    (reason): BadCase => ({
      name: `a bulk reset with reason ${JSON.stringify(reason) ?? "left out"}`,
      call: (s) => bulkReset(s, { reason }),
      code: "invalid_request",
      message: /^reason is required: why$/,
    }),
  ),
  {
    name: "a bulk reset with an overlong reason",
    call: (s) => bulkReset(s, { reason: "r".repeat(REASON_LENGTH_MAX + 1) }),
    code: "invalid_request",
    message: new RegExp(`^reason must be text of at most ${REASON_LENGTH_MAX} characters$`),
  },
  ...BAD_KEYS.map(
    ({ label, value, message }): BadCase => ({
      name: `a bulk reset with ${label} idempotency key`,
      call: (s) => bulkReset(s, { idempotencyKey: value }),
      code: "invalid_request",
      message,
    }),
  ),
  {
    name: "a bulk reset reusing a key for another request",
    call: (s) => bulkReset(s, { idempotencyKey: DONE_BULK_KEY }),
    code: "idempotency_conflict",
    message: new RegExp(`^idempotency key ${DONE_BULK_KEY} was already used for a different request$`),
  },
];

const CASES: readonly BadCase[] = [
  ...AUTHORIZE_CASES,
  ...GRANT_RESET_CASES,
  ...REDEEM_RESET_CASES,
  ...BULK_RESET_CASES,
];

/**
 * Runs a call under a time limit. A call that loops forever before its first await would otherwise
 * hang the whole run; under the limit it fails its own test instead.
 */
function withinASecond<T>(call: () => T): T {
  try {
    return runInNewContext("call()", { call }, { timeout: 1_000 }) as T;
  } catch (error) {
    throw new Error("the call did not return within a second", { cause: error });
  }
}

for (const backend of backends()) {
  describe(`usage bad input on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    const clock = new ManualClock(START_MS);

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    describe("plan files", () => {
      const stored = async () => ({
        plans: await engine.listPlans(),
        rows: await store.query("SELECT id, version FROM plans ORDER BY id, version"),
      });

      for (const bad of BAD_FILES) {
        it(`refuses ${bad.name}, naming line ${bad.line}, and stores nothing`, async () => {
          // A change that matched nothing would leave the valid file, and the case would test nothing.
          expect(bad.text).not.toBe(VALID_FILE);
          const before = await stored();
          const outcome = await engine.loadPlanFile(bad.text, FILE);
          expect(outcome.ok ? "ok" : outcome.error.code).toBe("invalid_request");
          if (outcome.ok) return;
          const prefix = `${FILE}:${bad.line}: `;
          expect(outcome.error.message.slice(0, prefix.length)).toBe(prefix);
          expect(outcome.error.message.slice(prefix.length)).toMatch(bad.rest);
          expect(await stored()).toEqual(before);
        });
      }

      it("refuses a file without plans, naming its first line", async () => {
        const before = await stored();
        const outcome = await withinASecond(() => engine.loadPlanFile("{\n}\n", FILE));
        expect(outcome).toEqual({
          ok: false,
          error: { code: "invalid_request", message: `${FILE}:1: plans: must be an object` },
        });
        expect(await stored()).toEqual(before);
      });

      it("refuses a file over the size limit and stores nothing", async () => {
        const before = await stored();
        const padded = `${VALID_FILE}${" ".repeat(PLAN_FILE_BYTES_MAX)}`;
        const outcome = await engine.loadPlanFile(padded, FILE);
        expect(outcome).toEqual({
          ok: false,
          error: { code: "invalid_request", message: `${FILE}: larger than ${PLAN_FILE_BYTES_MAX} bytes` },
        });
        expect(await stored()).toEqual(before);
      });

      it("loads a valid file, and loading it again creates no new version", async () => {
        const first = expectOk(await engine.loadPlanFile(VALID_FILE, FILE));
        expect(first.plans).toEqual([
          { id: "free", version: 1, created: true },
          { id: "team", version: 1, created: true },
        ]);
        const after = await stored();
        expect(after.plans.map((plan) => [plan.id, plan.version])).toEqual([
          ["free", 1],
          ["team", 1],
        ]);
        const again = expectOk(await engine.loadPlanFile(VALID_FILE, FILE));
        expect(again.plans).toEqual([
          { id: "free", version: 1, created: false },
          { id: "team", version: 1, created: false },
        ]);
        expect(await stored()).toEqual(after);
        // A change to one plan makes a version of that plan only.
        const changed = expectOk(
          await engine.loadPlanFile(
            changeLine(6, (t) => t.replace('"allowance": 10', '"allowance": 20')),
            FILE,
          ),
        );
        expect(changed.plans).toEqual([
          { id: "free", version: 2, created: true },
          { id: "team", version: 1, created: false },
        ]);
      });

      it("stores nothing when the second plan of a file is bad, though the first is new", async () => {
        const before = await stored();
        const text = VALID_FILE.replace('"free"', '"starter"').replace(
          '"kind": "rolling"',
          '"kind": "sliding"',
        );
        const outcome = await engine.loadPlanFile(text, FILE);
        expect(outcome.ok ? "ok" : outcome.error.message).toBe(
          `${FILE}:16: plans.team.meters.messages[1].kind: must be fixed, rolling or calendar`,
        );
        expect(await stored()).toEqual(before);
        expect((await engine.listPlans()).map((plan) => plan.id)).not.toContain("starter");
      });
    });

    describe("usage requests", () => {
      let scene: Scene;
      /** The state before the next case: each case must leave it exactly as it found it. */
      let current: Awaited<ReturnType<typeof globalState>>;
      const views = new Map<string, Awaited<ReturnType<typeof customerView>>>();

      beforeAll(async () => {
        scene = await buildScene(engine, store, clock);
        current = await globalState(scene);
        for (const id of Object.values(CUSTOMERS)) views.set(id, await customerView(scene, id));
      });

      for (const bad of CASES) {
        it(`refuses ${bad.name} (${bad.code}) and changes nothing`, async () => {
          named.clear();
          const outcome = await bad.call(scene);
          expect(outcome.ok ? "ok" : outcome.error.code).toBe(bad.code);
          if (!outcome.ok) expect(outcome.error.message).toMatch(bad.message);
          // The baselines move on before comparing, so one case that changes something fails alone.
          const [before, after] = [current, await globalState(scene)];
          current = after;
          const seen = [...named].map((id) => ({ id, view: views.get(id) }));
          const now = [];
          for (const id of named) {
            const view = await customerView(scene, id);
            views.set(id, view);
            now.push({ id, view });
          }
          expect(after).toEqual(before);
          expect(now).toEqual(seen);
        });
      }

      it("answers a redemption of another customer's reset exactly like one of an unknown reset", async () => {
        const foreign = await redeemReset(scene, { resetId: scene.bobTokenId });
        const unknown = await redeemReset(scene, { resetId: UNKNOWN_RESET_ID });
        expect(foreign).toEqual({
          ok: false,
          error: {
            code: "reset_unavailable",
            message: unknown.ok ? "" : unknown.error.message.replace(UNKNOWN_RESET_ID, scene.bobTokenId),
          },
        });
        // Bob still holds his reset, unredeemed.
        const bob = expectOk(await engine.usage("bob"));
        expect(bob.resets.tokens.map((token) => token.id)).toEqual([scene.bobTokenId]);
      });

      it("answers a full window with allowed: false, which is an answer, not an error", async () => {
        // Dana may send three messages in five hours and allows no overflow to credits.
        for (let i = 0; i < 3; i += 1) expectOk(await authorize(scene, { customerId: "dana" }));
        const charges = await store.query("SELECT id FROM usage_charges ORDER BY id");
        const windowsBefore = expectOk(await engine.usage("dana")).windows;
        const answer = expectOk(await authorize(scene, { customerId: "dana" }));
        expect(answer).toMatchObject({
          allowed: false,
          code: "limit_reached",
          blockedWindowId: "messages/5h",
        });
        expect(await store.query("SELECT id FROM usage_charges ORDER BY id")).toEqual(charges);
        expect(expectOk(await engine.usage("dana")).windows).toEqual(windowsBefore);
        expect((await engine.verify()).firstViolation).toBeNull();
      });
    });
  });
}
