/**
 * The database going away: a write in flight fails with the typed `UnavailableError` (never a wrong
 * answer), nothing half-done remains, and the engine recovers by itself once the server is back.
 */

import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { UnavailableError } from "../../src/core/errors.js";
import { createEngine, systemIds } from "../../src/engine/engine.js";
import { processBatch } from "../../src/engine/process-batch.js";
import { openStore } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { expectOk } from "../support/outcomes.js";

const server = backends().find((backend) => backend.name === "postgres");

describe.runIf(server !== undefined)("a lost database connection on postgres", () => {
  afterAll(() => server?.cleanup());

  it("answers unavailable or applies once, then recovers without a restart", async () => {
    if (server === undefined) return;
    const store = await server.open();
    const engine = await createEngine({ store, clock: new ManualClock(Date.UTC(2026, 5, 1)) });
    await engine.upsertCustomer({ id: "una" });
    expectOk(
      await engine.grant({ customerId: "una", amountMinor: 1000, kind: "purchased", idempotencyKey: "g" }),
    );
    const database = (await store.query<{ name: string }>("SELECT current_database() AS name"))[0]?.name;
    const admin = postgres(process.env.DATABASE_URL ?? "", { max: 1, onnotice: () => {} });
    // Cut every connection the engine holds, as a server restart or a network failure would.
    await admin.unsafe("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [
      database ?? "",
    ]);
    await admin.end();

    const attempts = await Promise.allSettled(
      Array.from({ length: 5 }, (_, index) =>
        engine.consume({ customerId: "una", amountMinor: 10, idempotencyKey: `c${index}` }),
      ),
    );
    for (const attempt of attempts) {
      if (attempt.status === "rejected") expect(attempt.reason).toBeInstanceOf(UnavailableError);
      else expect(attempt.value.ok).toBe(true);
    }
    // Retrying every key now lands each exactly once, whether or not its first attempt did.
    for (let index = 0; index < 5; index += 1) {
      expectOk(await engine.consume({ customerId: "una", amountMinor: 10, idempotencyKey: `c${index}` }));
    }
    const balance = expectOk(await engine.balance("una"));
    expect(balance.availableMinor).toBe(950n);
    expect((await engine.verify()).firstViolation).toBeNull();
    await store.close();
  });
});

describe("a database server that cannot be reached", () => {
  it("turns a server that refuses connections into UnavailableError, not a raw driver error", async () => {
    // Port 1 on this host has no listener: every connection attempt is refused at once.
    const dead = await openStore({ databaseUrl: "postgres://postgres@127.0.0.1:1/boon" });
    const deps = {
      store: dead,
      nowMs: () => Date.UTC(2026, 5, 1),
      ids: systemIds(),
      policyVersion: () => 1,
      plans: new Map(),
    };
    const request = {
      command: { type: "consume" as const, customerId: "una", amountMinor: 1n, reason: null },
      key: "k",
      hash: "h",
    };
    await expect(processBatch(deps, [request])).rejects.toBeInstanceOf(UnavailableError);
    await dead.close();
  });
});
