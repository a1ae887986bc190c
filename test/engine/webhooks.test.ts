/**
 * Outbound webhooks against a real HTTP receiver on loopback: every delivery is signed as Standard
 * Webhooks says (checked here with the specification's own recipe), a failure is retried with the
 * same message id after its backoff, a customer's events arrive in order, and a delivery that was
 * given up can be sent again by hand.
 */
import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createIdGenerator } from "../../src/core/ids.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { createWebhooks, RETRY_DELAYS_SECONDS, type Webhooks } from "../../src/engine/webhooks.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";

const START_MS = Date.UTC(2026, 5, 11, 9);

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A receiver that records what it gets and answers with the next scripted status (200 when none). */
function startReceiver(): Promise<{ server: Server; url: string; received: Received[]; script: number[] }> {
  const received: Received[] = [];
  const script: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(script.shift() ?? 200).end("nope");
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/hooks`, received, script });
    }),
  );
}

/** The Standard Webhooks check, written from the specification rather than taken from the engine. */
function verify(secret: string, delivery: Received): boolean {
  const id = String(delivery.headers["webhook-id"]);
  const timestamp = String(delivery.headers["webhook-timestamp"]);
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${delivery.body}`).digest("base64");
  return String(delivery.headers["webhook-signature"])
    .split(" ")
    .some((signature) => signature === `v1,${expected}`);
}

for (const backend of backends()) {
  describe(`webhooks on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    let webhooks: Webhooks;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    const clock = new ManualClock(START_MS);
    const key = counter("wh-key");

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
      webhooks = createWebhooks(
        store,
        clock,
        createIdGenerator(
          (size) => randomBytes(size),
          () => clock.nowMs(),
        ),
      );
      receiver = await startReceiver();
      expectOk(
        await engine.savePlan("pro", {
          meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 1 }] },
          actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
        }),
      );
    });
    afterAll(async () => {
      receiver.server.close();
      await store.close();
      await backend.cleanup();
    });

    /** Fill a customer's window and ask again, which records `usage.limit_reached`. */
    async function limitReached(customerId: string): Promise<void> {
      expectOk(await engine.upsertCustomer({ id: customerId, plan: "pro" }));
      expectOk(await engine.authorize({ customerId, action: "message", idempotencyKey: key() }));
      expect(
        expectOk(await engine.authorize({ customerId, action: "message", idempotencyKey: key() })).allowed,
      ).toBe(false);
    }

    it("refuses an endpoint that is not an http(s) URL or names unknown events", async () => {
      expect((await webhooks.addEndpoint({ url: "ftp://example.com" })).ok).toBe(false);
      expect((await webhooks.addEndpoint({ url: "https://example.com", eventTypes: ["nope"] })).ok).toBe(
        false,
      );
    });

    it("signs each delivery, retries a failure with the same id after its backoff, and logs attempts", async () => {
      const endpoint = expectOk(await webhooks.addEndpoint({ url: receiver.url }));
      await limitReached("ann");
      receiver.script.push(500);
      expect(await webhooks.dispatch()).toMatchObject({ fannedOut: 1, attempted: 1, delivered: 0 });
      expect(await webhooks.dispatch()).toMatchObject({ attempted: 0 });
      clock.advanceMs((RETRY_DELAYS_SECONDS[0] ?? 0) * 1000);
      expect(await webhooks.dispatch()).toMatchObject({ attempted: 1, delivered: 1 });
      const [first, retry] = receiver.received;
      expect(first && verify(endpoint.secret, first)).toBe(true);
      expect(retry && verify(endpoint.secret, retry)).toBe(true);
      expect(retry?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
      expect(JSON.parse(retry?.body ?? "{}")).toMatchObject({
        type: "usage.limit_reached",
        data: { customerId: "ann", windowId: "messages/5h" },
      });
      const [line] = await webhooks.deliveries({ endpointId: endpoint.id });
      expect(line).toMatchObject({ status: "delivered", attempts: 2, lastStatus: 200 });
      expect(verify("whsec_AAAA", first as Received)).toBe(false);
    });

    it("delivers a customer's events in order: a failing event holds back the next", async () => {
      receiver.received.length = 0;
      await limitReached("bob");
      receiver.script.push(503);
      await webhooks.dispatch();
      // A second event for bob now waits behind the failed one.
      expectOk(
        await engine.savePlan("pro", {
          meters: {
            messages: [
              { window: "5h", kind: "fixed", duration: "5h", allowance: 1 },
              { window: "day", kind: "fixed", duration: "24h", allowance: 1 },
            ],
          },
          actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
        }),
      );
      clock.advanceMs(5 * 3600 * 1000);
      expectOk(await engine.authorize({ customerId: "bob", action: "message", idempotencyKey: key() }));
      expect(
        expectOk(await engine.authorize({ customerId: "bob", action: "message", idempotencyKey: key() }))
          .allowed,
      ).toBe(false);
      const report = await webhooks.dispatch();
      expect(report.attempted).toBe(1);
      const ids = receiver.received.map((r) => String(r.headers["webhook-id"]));
      expect(new Set(ids).size).toBe(1);
      clock.advanceMs(3600 * 1000);
      await webhooks.dispatch();
      await webhooks.dispatch();
      const order = receiver.received.map((r) => String(r.headers["webhook-id"]));
      expect(order.length).toBeGreaterThanOrEqual(3);
      const sortedDistinct = [...new Set(order)];
      expect(sortedDistinct).toEqual([...sortedDistinct].sort());
    });

    it("gives up after its last retry, and a manual redelivery sends it again", async () => {
      receiver.received.length = 0;
      await limitReached("cat");
      receiver.script.push(...RETRY_DELAYS_SECONDS.map(() => 500), 500);
      for (let round = 0; round <= RETRY_DELAYS_SECONDS.length; round += 1) {
        await webhooks.dispatch();
        clock.advanceMs((RETRY_DELAYS_SECONDS[round] ?? 0) * 1000);
      }
      const failed = (await webhooks.deliveries({ status: "failed" })).find((d) => d.customerId === "cat");
      expect(failed).toMatchObject({ attempts: RETRY_DELAYS_SECONDS.length + 1, lastStatus: 500 });
      receiver.script.length = 0;
      expectOk(await webhooks.redeliver(failed?.id ?? ""));
      expect(await webhooks.dispatch()).toMatchObject({ delivered: 1 });
      expect((await webhooks.redeliver("whd_missing")).ok).toBe(false);
    });
  });
}
