// @vitest-environment happy-dom
/**
 * The Buy credits page against an API played in the test (real `Response`s shaped as the server's
 * Bundle list and checkout answer): each pack shows its credits, bonus and price; Buy and Buy as a
 * gift start a checkout for the customer and hand its address on; a refusal shows the API's words.
 */
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { BoonClient, type Schema } from "../../sdk/client.js";
import { ConfigProvider } from "../../src/web/lib/context.js";
import { BuyCreditsPage } from "../../src/web/widgets/bundles.js";

afterEach(cleanup);

type Bundle = Schema<"Bundle">;

const bundle = (id: string, fields: Partial<Bundle> = {}): Bundle => ({
  id,
  version: 1,
  createdAt: "2026-06-11T09:00:00.000Z",
  name: id === "team" ? "Team" : "Starter",
  credits: 1000,
  bonusCredits: 0,
  bonusExpiresAfter: null,
  bonusPriority: 10,
  price: 1000,
  currency: "usd",
  giftable: false,
  status: "active",
  purchasedExpiresAfter: null,
  ...fields,
});

function page(answers: { checkout: (body: unknown) => Response }) {
  const sent: unknown[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (url.pathname === "/v1/bundles")
      return Response.json({
        data: [
          bundle("starter"),
          bundle("team", {
            credits: 5000,
            bonusCredits: 500,
            bonusExpiresAfter: "90d",
            price: 4000,
            giftable: true,
          }),
        ],
      });
    const body: unknown = JSON.parse(typeof init?.body === "string" ? init.body : "null");
    sent.push(body);
    return answers.checkout(body);
  };
  const client = new BoonClient({ baseUrl: "https://boon.test", apiKey: "ct", retries: 0, fetch: fetcher });
  const opened: string[] = [];
  render(
    <ConfigProvider config={{ displayScale: 2, demo: true }}>
      <BuyCreditsPage client={client} customerId="cus_ada" onCheckout={(url) => opened.push(url)} />
    </ConfigProvider>,
  );
  return { sent, opened };
}

describe("BuyCreditsPage", () => {
  it("shows each pack's credits at the display scale, its bonus and its price in its currency", async () => {
    page({ checkout: () => Response.json({}) });
    await screen.findByRole("heading", { name: "Team" });
    expect(screen.getByText("$40.00")).toBeTruthy();
    expect(screen.getByText("$10.00")).toBeTruthy();
    expect(screen.getByText("50.00 credits")).toBeTruthy();
    expect(screen.getByText("bonus lasts 90 days")).toBeTruthy();
    // Only a giftable pack can be bought as a gift.
    expect(screen.queryByRole("button", { name: "Buy Starter as a gift" })).toBeNull();
    expect(screen.getByRole("button", { name: "Buy Team as a gift" })).toBeTruthy();
  });

  it("starts a checkout for the customer, for themselves or as a gift, and goes to its address", async () => {
    const { sent, opened } = page({
      checkout: () => Response.json({ purchaseId: "pur_1", sessionId: "cs_1", url: "https://pay.test/cs_1" }),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Buy Team as a gift" }));
    await waitFor(() => expect(opened).toEqual(["https://pay.test/cs_1"]));
    expect(sent).toEqual([{ customerId: "cus_ada", bundleId: "team", asGift: true }]);
    fireEvent.click(screen.getByRole("button", { name: "Buy Starter" }));
    await waitFor(() => expect(opened).toHaveLength(2));
    expect(sent[1]).toEqual({ customerId: "cus_ada", bundleId: "starter", asGift: false });
  });

  it("shows the API's refusal and goes nowhere", async () => {
    const { opened } = page({
      checkout: () =>
        Response.json(
          { error: { code: "invalid_request", message: "bundle starter is retired", requestId: "req_1" } },
          { status: 400 },
        ),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Buy Starter" }));
    await screen.findByText("bundle starter is retired");
    expect(opened).toEqual([]);
  });
});
