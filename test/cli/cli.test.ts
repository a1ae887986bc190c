/** The command line, run as a newcomer runs it: the built `boon` in a child process. */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { createEngine } from "../../src/engine/engine.js";
import { createDemoProvider } from "../../src/engine/payment-provider.js";
import { openStore, type Store } from "../../src/store/store.js";
import { databaseUrlFor } from "../support/backends.js";
import { expectOk } from "../support/outcomes.js";

const MAIN = new URL("../../dist/cli/main.js", import.meta.url).pathname;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cliFor(target: string[]): (...args: string[]) => Run {
  return (...args) => {
    const result = spawnSync(process.execPath, [MAIN, ...target, ...args], {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: "" },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
}

interface Target {
  readonly name: string;
  setup(): Promise<string[]>;
  teardown(): Promise<void>;
  tamper(sql: string): Promise<void>;
  /** The target's store, opened in this process, for what the command line has no command for. */
  open(): Promise<Store>;
}

function pgliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), "boon-cli-"));
  return {
    name: "pglite",
    setup: async () => ["--data-dir", dir],
    teardown: async () => rmSync(dir, { recursive: true, force: true }),
    async tamper(sql) {
      const store = await openStore({ dataDir: dir });
      await store.query(sql);
      await store.close();
    },
    open: () => openStore({ dataDir: dir }),
  };
}

function postgresTarget(base: string): Target {
  const database = `boon_test_${randomBytes(6).toString("hex")}`;
  const url = databaseUrlFor(base, database);
  return {
    name: "postgres",
    async setup() {
      const admin = postgres(base, { max: 1, onnotice: () => {} });
      await admin.unsafe(`CREATE DATABASE ${database}`);
      await admin.end();
      return ["--database-url", url];
    },
    async teardown() {
      const admin = postgres(base, { max: 1, onnotice: () => {} });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
    async tamper(sql) {
      const db = postgres(url, { max: 1, onnotice: () => {} });
      await db.unsafe(sql);
      await db.end();
    },
    open: () => openStore({ databaseUrl: url }),
  };
}

const base = process.env.DATABASE_URL;
const targets = [pgliteTarget(), ...(base === undefined || base === "" ? [] : [postgresTarget(base)])];

describe("boon command line", () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  });
  for (const target of targets) {
    describe(`on ${target.name}`, () => {
      let boon: (...args: string[]) => Run;
      beforeAll(async () => {
        boon = cliFor(await target.setup());
      });
      afterAll(() => target.teardown());

      it("migrates, writes, reads and verifies a ledger", () => {
        if (target.name === "postgres") {
          const early = boon("customer", "cli-ann");
          expect(early.status).toBe(1);
          expect(early.stderr).toMatch(/pending migration.*boon migrate/);
        }
        expect(boon("migrate").status).toBe(0);
        expect(boon("customer", "cli-ann").status).toBe(0);
        const granted = boon("grant", "cli-ann", "500", "--kind", "purchased", "--key", "g1", "--json");
        expect(granted.status).toBe(0);
        expect(JSON.parse(granted.stdout)).toMatchObject({ type: "grant", availableMinor: 500 });
        const spent = boon("consume", "cli-ann", "120", "--key", "c1", "--json");
        const again = boon("consume", "cli-ann", "120", "--key", "c1", "--json");
        expect(JSON.parse(again.stdout)).toEqual(JSON.parse(spent.stdout));
        const balance = JSON.parse(boon("balance", "cli-ann", "--json").stdout);
        expect(balance).toMatchObject({ availableMinor: 380, postedMinor: 380 });
        const verified = boon("verify");
        expect(verified.status).toBe(0);
        expect(verified.stdout).toMatch(/ok\s+transfers_balance/);
      });

      it("refunds a purchase in review through the demo's page on the demo's store, and nowhere else", async () => {
        const catalog = join(mkdtempSync(join(tmpdir(), "boon-catalog-")), "catalog.json");
        writeFileSync(
          catalog,
          JSON.stringify({
            bundles: { pack: { name: "Pack", credits: 1000, price: 1000, currency: "usd" } },
          }),
        );
        expect(boon("bundles", "put", catalog).status).toBe(0);
        expect(boon("customer", "cli-buyer").status).toBe(0);
        // Checkout and payment come from the host product and the provider, not the command line.
        const store = await target.open();
        const engine = await createEngine({ store, clock: systemClock });
        const demo = createDemoProvider({
          publicUrl: "http://localhost",
          webhookSecret: "whsec_cli",
          clock: systemClock,
        });
        const body = { customerId: "cli-buyer", bundleId: "pack", successUrl: "http://localhost/ok" };
        const session = expectOk(
          await engine.payments.checkout(
            { ...body, cancelUrl: body.successUrl, idempotencyKey: "cli-buy" },
            demo,
          ),
        );
        const paid = demo.completion({
          sessionId: session.sessionId,
          purchaseId: session.purchaseId,
          customerId: "cli-buyer",
          bundleId: "pack",
          asGift: false,
          amountTotalMinor: 1000n,
          currency: "usd",
        });
        expectOk(
          await engine.payments.handleEvent(expectOk(demo.readEvent(paid.payload, paid.signatureHeader))),
        );
        const intent = expectOk(await engine.payments.purchase(session.purchaseId)).paymentIntentId ?? "";
        expectOk(
          await engine.payments.handleEvent({
            type: "charge_refunded",
            eventId: "evt_cli_partial",
            createdAtMs: systemClock.nowMs(),
            paymentIntentId: intent,
            amountRefundedMinor: 100n,
            currency: "usd",
          }),
        );
        await engine.drain();
        await store.close();
        expect(boon("purchases").stdout).toContain(session.purchaseId);

        const refund = boon("purchase-review", session.purchaseId, "refund", "--key", "cli-refund", "--json");

        if (target.name === "pglite") {
          expect(refund.status, refund.stderr).toBe(0);
          expect(JSON.parse(refund.stdout)).toMatchObject({
            state: "refunded",
            refundedMinor: 1000,
            recoveredMinor: 1000,
            reviewDecision: "refund",
          });
          expect(JSON.parse(boon("balance", "cli-buyer", "--json").stdout)).toMatchObject({
            availableMinor: 0,
          });
          expect(boon("purchases").stdout).not.toContain(session.purchaseId);
        } else {
          // A server's store without Stripe keys has no provider: nothing pretends to give money back.
          expect(refund.status).toBe(1);
          expect(refund.stderr).toMatch(/error unavailable: no payment provider is configured/);
        }
        expect(boon("verify").status).toBe(0);
      });

      it("answers bad input with a clear error and a non-zero exit", () => {
        const fractional = boon("consume", "cli-ann", "1.5");
        expect(fractional.status).toBe(1);
        expect(fractional.stderr).toMatch(/error invalid_request: amount must be a whole number/);
        const short = boon("consume", "cli-ann", "100000");
        expect(short.stderr).toMatch(/error insufficient_credits: 380 available, 100000 requested/);
        const unknown = boon("balance", "nobody");
        expect(unknown.stderr).toMatch(/error not_found: no customer nobody/);
        expect(boon("grant", "cli-ann", "5", "--expires-at", "tomorrow").stderr).toMatch(
          /--expires-at must be/,
        );
      });

      it("loads plans, authorizes usage, shows history and resets windows", () => {
        const planFile = new URL("../../plans/demo.json", import.meta.url).pathname;
        const badFile = join(tmpdir(), `boon-bad-plans-${randomBytes(4).toString("hex")}.json`);
        writeFileSync(
          badFile,
          '{\n  "plans": {\n    "x": {\n      "meters": { "m": "oops" }\n    }\n  }\n}\n',
        );
        const bad = boon("plans", "load", badFile);
        expect(bad.status).toBe(1);
        expect(bad.stderr).toContain(`${badFile}:4: plans.x.meters.m: must be a list of one or more windows`);
        expect(boon("plans", "load", planFile).stdout).toMatch(/plan pro v1 stored/);
        expect(boon("plans", "load", planFile).stdout).toMatch(/plan pro v1 unchanged/);
        expect(boon("customer", "cli-ann", "--plan", "free", "--overflow", "on").status).toBe(0);
        const used = boon("usage", "cli-ann", "message", "--quantity", "10", "--key", "u1", "--json");
        expect(JSON.parse(used.stdout)).toMatchObject({ allowed: true, paidBy: "windows", planId: "free" });
        const overflow = JSON.parse(boon("usage", "cli-ann", "message", "--key", "u2", "--json").stdout);
        expect(overflow).toMatchObject({ allowed: true, paidBy: "credits", charged: { creditsMinor: 10 } });
        expect(boon("customer", "cli-ann", "--overflow", "off").status).toBe(0);
        const refused = boon("usage", "cli-ann", "message");
        expect(refused.status).toBe(3);
        expect(refused.stdout).toMatch(/refused: limit_reached: window messages\/5h is full until/);
        expect(boon("resets", "grant", "cli-ann", "--windows", "messages/5h", "--key", "r1").status).toBe(0);
        const redeemed = JSON.parse(boon("resets", "redeem", "cli-ann", "--json").stdout);
        expect(redeemed.windowIds).toEqual(["messages/5h"]);
        expect(boon("resets", "redeem", "cli-ann").stderr).toMatch(/error reset_unavailable/);
        const bulk = JSON.parse(
          boon("resets", "bulk", "--plan", "free", "--reason", "incident", "--by", "ops", "--json").stdout,
        );
        expect(bulk).toMatchObject({ customers: 1, windows: 2, actor: "ops", reason: "incident" });
        const history = JSON.parse(boon("usage-history", "cli-ann", "--json").stdout);
        expect(history.windows.map((w: { usedUnits: number }) => w.usedUnits)).toEqual([0, 0]);
        expect(history.charges.map((c: { paidBy: string }) => c.paidBy)).toEqual(["credits", "windows"]);
        expect(boon("verify").status).toBe(0);
      });

      it("exits non-zero naming the first violation of a tampered ledger", async () => {
        await target.tamper(
          "UPDATE accounts SET balance_minor = balance_minor + 1 WHERE customer_id = 'cli-ann'",
        );
        const verified = boon("verify");
        expect(verified.status).toBe(1);
        expect(verified.stderr).toMatch(
          /violation: wallet_balance_matches_entries: wallet acc_\w+ stores 371 but its entries sum to 370/,
        );
      });
    });
  }
});
