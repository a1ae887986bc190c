/**
 * An operator refunds a purchase from the console's review queue, in the browser, on every backend:
 * the demo sells a pack through its payment page, the payment provider reports a partial refund (a
 * `charge.refunded` signed with the endpoint's secret, as Stripe would send it), the purchase waits
 * in review, and Refund (confirmed first) gives back the rest through the demo's provider, whose own
 * refund event takes every unspent credit back. The purchase then leaves the queue.
 */
import { describe, expect, it } from "vitest";
import { charge, signedEvent, stripeEvent } from "../support/stripe-events.js";
import { e2eBackends } from "./support/boon.js";
import { heading, openConsoleSection, signInToConsole, tableRows } from "./support/demo-pages.js";
import { browserWorld } from "./support/world.js";

/** The webhook endpoint's secret, so the test can sign what the payment provider would send. */
const WEBHOOK_SECRET = "whsec_e2e_review_refund_0123456789";
const BUYER = "demo-refund-buyer";

interface PurchaseLine {
  readonly id: string;
  readonly state: string;
  readonly refunded: number;
  readonly recovered: number;
  readonly paymentIntentId: string | null;
  readonly reviewDecision: string | null;
}

describe.each(e2eBackends())("refunding from the review queue in the browser on %s", (backend) => {
  const world = browserWorld(backend, () => undefined, { BOON_STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
  const { open } = world;

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${world.boon.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${world.boon.adminKey}`,
        "content-type": "application/json",
        "idempotency-key": `e2e-${method}-${path}-${JSON.stringify(body ?? null)}`,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return (await response.json()) as T;
  }

  const purchaseOf = async (): Promise<PurchaseLine> => {
    const answer = await api<{ data: PurchaseLine[] }>("GET", `/v1/customers/${BUYER}/purchases`);
    const [first] = answer.data;
    if (first === undefined) throw new Error(`${BUYER} has no purchase`);
    return first;
  };

  it("refunds the rest of a partly refunded purchase, and it leaves the queue", async () => {
    await api("PUT", `/v1/customers/${BUYER}`, { plan: "free" });
    const checkout = await api<{ sessionId: string }>("POST", "/v1/checkout", {
      customerId: BUYER,
      bundleId: "starter",
    });
    const paid = await fetch(`${world.boon.url}/demo/api/pay/${checkout.sessionId}`, { method: "POST" });
    expect(paid.status, await paid.clone().text()).toBe(200);
    const bought = await purchaseOf();
    expect(bought.state).toBe("paid");

    const nowSeconds = Math.floor(Date.now() / 1000);
    const partial = charge({
      paymentIntentId: bought.paymentIntentId,
      amountMinor: 1000,
      amountRefundedMinor: 300,
      currency: "usd",
      createdSeconds: nowSeconds,
    });
    const delivery = signedEvent(
      stripeEvent("charge.refunded", partial, { createdSeconds: nowSeconds }),
      nowSeconds,
      WEBHOOK_SECRET,
    );
    const reported = await fetch(`${world.boon.url}/v1/webhooks/payments`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": delivery.signatureHeader },
      body: delivery.payload,
    });
    expect(reported.status, await reported.clone().text()).toBe(200);
    expect(await purchaseOf()).toMatchObject({ state: "refunded", refunded: 300 });

    const { page } = await open();
    await signInToConsole(page, world.boon.url, world.boon.adminKey);
    await openConsoleSection(page, "Review");
    await page.getByRole("table", { name: "Purchases in review" }).waitFor();
    expect((await tableRows(page, "Purchases in review")).join("\n")).toContain(BUYER);
    await page.getByRole("button", { name: `Refund purchase ${bought.id}`, exact: true }).click();
    await page.getByRole("button", { name: `Refund ${bought.id}`, exact: true }).click();
    await page.getByText(/^Refunded: the payment provider is returning/).waitFor();
    await page.getByText("No purchases waiting for review.").waitFor();
    expect(await heading(page, "Review").count()).toBe(1);

    expect(await purchaseOf()).toMatchObject({
      state: "refunded",
      refunded: 1000,
      recovered: 1000,
      reviewDecision: "refund",
    });
    const balance = await api<{ credits: { available: number } }>("GET", `/v1/customers/${BUYER}/balance`);
    expect(balance.credits.available).toBe(0);
  });
});
