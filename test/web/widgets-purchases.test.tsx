// @vitest-environment happy-dom
/**
 * The customer's purchases against an API played in the test (real `Response`s shaped as the
 * server's PurchaseList, Bundle list and error envelope): every state reads in plain words, a pending
 * checkout links back to its payment page, a refund says what came back and what was taken back,
 * packs show their names while listed, and the empty and failed answers have their own views.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { BoonClient, type Schema } from "../../sdk/client.js";
import { ConfigProvider } from "../../src/web/lib/context.js";
import {
  newestFirst,
  PURCHASES_SHOWN_MAX,
  PurchasesList,
  purchaseDate,
  purchaseStateWords,
  purchaseStatus,
} from "../../src/web/widgets/purchases.js";

afterEach(cleanup);

type Purchase = Schema<"Purchase">;
type Bundle = Schema<"Bundle">;

const CUSTOMER = "cus_ada";

const purchase = (id: string, fields: Partial<Purchase> = {}): Purchase => ({
  id,
  customerId: CUSTOMER,
  bundleId: "team",
  bundleVersion: 1,
  asGift: false,
  credits: 500_000,
  bonus: 0,
  price: 4000,
  currency: "usd",
  state: "paid",
  sessionId: `cs_${id}`,
  checkoutUrl: null,
  paymentIntentId: null,
  createdAt: "2026-06-11T09:00:00.000Z",
  paidAt: null,
  grantTransferId: null,
  lotId: null,
  bonusLotId: null,
  refunded: 0,
  recovered: 0,
  unrecovered: 0,
  reviewReason: null,
  reviewOpenedAt: null,
  reviewResolvedAt: null,
  reviewDecision: null,
  // A checkout still taking payment, whenever the test runs.
  checkoutExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  sessionCompletedAt: null,
  refundId: null,
  ...fields,
});

const bundle = (id: string, name: string): Bundle => ({
  id,
  version: 1,
  createdAt: "2026-06-01T09:00:00.000Z",
  name,
  credits: 500_000,
  bonusCredits: 0,
  bonusExpiresAfter: null,
  bonusPriority: 10,
  price: 4000,
  currency: "usd",
  giftable: true,
  status: "active",
  purchasedExpiresAfter: null,
});

const failure = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message, requestId: "req_test" } }, { status });

interface Answers {
  /** The purchases list; a function answers each request in turn (for a retry). */
  readonly purchases: unknown[] | ((round: number) => Response);
  readonly bundles?: () => Response;
}

/** The list for `cus_ada` at display scale 2, with every request it made recorded. */
function show(answers: Answers) {
  const requested: URL[] = [];
  let round = 0;
  const fetcher: typeof fetch = async (input) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    requested.push(url);
    if (url.pathname === "/v1/bundles")
      return (
        answers.bundles?.() ?? Response.json({ data: [bundle("team", "Team"), bundle("starter", "Starter")] })
      );
    if (url.pathname === `/v1/customers/${CUSTOMER}/purchases`) {
      const { purchases } = answers;
      return typeof purchases === "function" ? purchases(round++) : Response.json({ data: purchases });
    }
    return failure(404, "not_found", `no route ${url.pathname}`);
  };
  const client = new BoonClient({ baseUrl: "https://boon.test", apiKey: "ct", retries: 0, fetch: fetcher });
  render(
    <ConfigProvider config={{ displayScale: 2, demo: true }}>
      <PurchasesList client={client} customerId={CUSTOMER} />
    </ConfigProvider>,
  );
  return { requested };
}

async function items() {
  const list = await screen.findByRole("list", { name: "Your purchases" });
  return within(list).getAllByRole("listitem");
}

describe("PurchasesList", () => {
  it("reads every state in plain words", async () => {
    show({
      purchases: [
        purchase("pur_paid", { state: "paid", paidAt: "2026-06-11T09:01:00.000Z" }),
        purchase("pur_pending", { state: "pending", checkoutUrl: "https://pay.test/cs_1" }),
        purchase("pur_review", { state: "review" }),
        purchase("pur_disputed", { state: "disputed", refunded: 1000, recovered: 0 }),
        purchase("pur_expired", { state: "expired" }),
        purchase("pur_failed", { state: "failed" }),
      ],
    });
    const texts = (await items()).map((item) => item.textContent ?? "");
    expect(texts).toHaveLength(6);
    expect(texts[0]).toContain("Paid");
    expect(texts[1]).toContain("Awaiting payment");
    expect(texts[2]).toContain("Being checked by our team");
    expect(texts[3]).toContain("Payment disputed");
    // A dispute takes what refunds left of the price: 40.00 less the 10.00 refunded first.
    expect(texts[3]).toContain("$30.00 disputed; no credits were taken back.");
    expect(texts[4]).toContain("Checkout expired — nothing was charged");
    expect(texts[5]).toContain("Payment failed — nothing was charged");
  });

  it("says what a refund gave back and took back", async () => {
    show({ purchases: [purchase("pur_refunded", { state: "refunded", refunded: 2500, recovered: 30_000 })] });
    const [item] = await items();
    expect(item?.textContent).toContain("Refunded");
    expect(item?.textContent).toContain("$25.00 came back to you; 300.00 credits taken back.");
  });

  it("shows a state the page has no words for as the server wrote it", async () => {
    show({ purchases: [{ ...purchase("pur_new"), state: "on_hold" }] });
    const [item] = await items();
    expect(within(item as HTMLElement).getByText("on hold")).toBeTruthy();
    expect(item?.textContent).toContain("$40.00");
  });

  it("links a pending checkout back to its payment page, and only a pending one", async () => {
    show({
      purchases: [
        purchase("pur_open", { state: "pending", checkoutUrl: "https://pay.test/cs_open" }),
        purchase("pur_no_url", { state: "pending", checkoutUrl: null }),
        purchase("pur_done", { state: "paid", checkoutUrl: "https://pay.test/cs_done" }),
      ],
    });
    await items();
    const links = screen.getAllByRole("link", { name: /Continue to payment/ });
    expect(links).toHaveLength(1);
    expect(links[0]?.getAttribute("href")).toBe("https://pay.test/cs_open");
    // The link names its pack, so a list of several reads unambiguously.
    expect(screen.getByRole("link", { name: "Continue to payment for Team" })).toBeTruthy();
  });

  it("reads a checkout past its time as expired, and one completed with a clearing payment as processing", async () => {
    show({
      purchases: [
        purchase("pur_late", {
          state: "pending",
          checkoutUrl: "https://pay.test/cs_late",
          checkoutExpiresAt: new Date(Date.now() - 1000).toISOString(),
        }),
        purchase("pur_debit", {
          state: "pending",
          checkoutUrl: "https://pay.test/cs_debit",
          sessionCompletedAt: "2026-06-11T09:05:00.000Z",
        }),
      ],
    });
    const [late, debit] = await items();
    expect(late?.textContent).toContain("Checkout expired — nothing was charged");
    expect(debit?.textContent).toContain("Payment processing");
    expect(screen.queryAllByRole("link", { name: /Continue to payment/ })).toEqual([]);
  });

  it("shows each pack's name while listed, its id once not, and who it was for", async () => {
    show({
      purchases: [
        purchase("pur_gift", {
          bundleId: "starter",
          asGift: true,
          credits: 100_000,
          bonus: 5000,
          price: 1000,
        }),
        purchase("pur_old", { bundleId: "legacy-pack", createdAt: "2026-05-01T09:00:00.000Z" }),
      ],
    });
    const [gift, old] = await items();
    const giftItem = within(gift as HTMLElement);
    expect(giftItem.getByRole("heading", { name: "Starter", level: 3 })).toBeTruthy();
    expect(gift?.textContent).toContain("as a gift");
    expect(gift?.textContent).toContain("1,000.00 credits + 50.00 credits bonus");
    expect(gift?.textContent).toContain("$10.00");
    expect(within(old as HTMLElement).getByRole("heading", { name: "legacy-pack", level: 3 })).toBeTruthy();
    expect(old?.textContent).toContain("for you");
  });

  it("still lists the purchases, by pack id, when the packs can't be read", async () => {
    show({
      purchases: [purchase("pur_1")],
      bundles: () => failure(503, "unavailable", "database down"),
    });
    const [item] = await items();
    expect(within(item as HTMLElement).getByRole("heading", { name: "team", level: 3 })).toBeTruthy();
  });

  it("shows the newest purchase first, dated when it was paid", async () => {
    show({
      purchases: [
        purchase("pur_older", { createdAt: "2026-06-01T09:00:00.000Z", paidAt: "2026-06-01T09:05:00.000Z" }),
        purchase("pur_newer", { createdAt: "2026-06-11T09:00:00.000Z", state: "pending" }),
      ],
    });
    const [first, second] = await items();
    expect(first?.textContent).toContain("Awaiting payment");
    expect(first?.querySelector("time")?.getAttribute("dateTime")).toBe("2026-06-11T09:00:00.000Z");
    expect(second?.querySelector("time")?.getAttribute("dateTime")).toBe("2026-06-01T09:05:00.000Z");
  });

  it("asks for this customer's purchases, at most the page's limit of them", async () => {
    const { requested } = show({ purchases: [] });
    await screen.findByText("No purchases yet.");
    const asked = requested.find((url) => url.pathname.endsWith("/purchases"));
    expect(asked?.pathname).toBe(`/v1/customers/${CUSTOMER}/purchases`);
    expect(asked?.searchParams.get("limit")).toBe(String(PURCHASES_SHOWN_MAX));
    expect(screen.queryByRole("list", { name: "Your purchases" })).toBeNull();
  });

  it("says when only the most recent purchases are shown", async () => {
    show({
      purchases: Array.from({ length: PURCHASES_SHOWN_MAX }, (_, index) => purchase(`pur_${index}`)),
    });
    expect(await items()).toHaveLength(PURCHASES_SHOWN_MAX);
    expect(screen.getByText(`Showing your ${PURCHASES_SHOWN_MAX} most recent purchases.`)).toBeTruthy();
  });

  it("shows a failed answer with a retry that loads the list", async () => {
    show({
      purchases: (round) =>
        round === 0
          ? failure(503, "unavailable", "database down")
          : Response.json({ data: [purchase("pur_1", { state: "paid" })] }),
    });
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Boon is unavailable right now. Try again in a moment.");
    fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    await waitFor(async () => expect(await items()).toHaveLength(1));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows the API's own words for a refusal", async () => {
    show({ purchases: () => failure(403, "forbidden", "this token reads cus_ada's data only") });
    expect((await screen.findByRole("alert")).textContent).toContain("this token reads cus_ada's data only");
  });
});

describe("purchaseStatus", () => {
  const STATES = ["pending", "paid", "review", "refunded", "disputed", "expired", "failed"] as const;

  it("changes only a pending purchase: processing once completed, expired once past its time", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATES),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.boolean(),
        (state, expiresAtMs, nowMs, completed) => {
          const status = purchaseStatus(
            {
              state,
              checkoutExpiresAt: new Date(expiresAtMs).toISOString(),
              sessionCompletedAt: completed ? new Date(0).toISOString() : null,
            },
            nowMs,
          );
          if (state !== "pending") expect(status).toBe(state);
          else if (completed) expect(status).toBe("processing");
          else expect(status).toBe(expiresAtMs <= nowMs ? "expired" : "pending");
        },
      ),
    );
  });
});

describe("purchaseStateWords", () => {
  const KNOWN: Record<string, string> = {
    pending: "Awaiting payment",
    paid: "Paid",
    review: "Being checked by our team",
    refunded: "Refunded",
    disputed: "Payment disputed",
    expired: "Checkout expired — nothing was charged",
    failed: "Payment failed — nothing was charged",
    processing: "Payment processing",
  };

  it("has its own words for each state the server sends", () => {
    for (const [state, label] of Object.entries(KNOWN)) expect(purchaseStateWords(state).label).toBe(label);
  });

  it("reads any other state as itself, underscores as spaces, in a neutral tone, never blank", () => {
    const unknown = fc.string().filter((state) => !Object.hasOwn(KNOWN, state));
    fc.assert(
      fc.property(unknown, (state) => {
        const words = purchaseStateWords(state);
        expect(words.tone).toBe("neutral");
        const raw = state.replaceAll("_", " ").trim();
        expect(words.label).toBe(raw === "" ? "Unknown" : raw);
      }),
    );
    // Names an object has built in are states like any other, not words found by accident.
    expect(purchaseStateWords("constructor")).toEqual({ label: "constructor", tone: "neutral" });
    expect(purchaseStateWords("__proto__")).toEqual({ label: "proto", tone: "neutral" });
  });
});

describe("ordering and dating", () => {
  const instants = fc
    .integer({ min: Date.parse("2020-01-01T00:00:00Z"), max: Date.parse("2035-01-01T00:00:00Z") })
    .map((ms) => new Date(ms).toISOString());

  it("puts every purchase in, newest first", () => {
    fc.assert(
      fc.property(fc.array(instants, { maxLength: 30 }), (dates) => {
        const rows = dates.map((createdAt, index) => ({ id: `pur_${index}`, createdAt }));
        const ordered = newestFirst(rows);
        expect([...ordered].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
          [...rows].sort((a, b) => a.id.localeCompare(b.id)),
        );
        for (let index = 1; index < ordered.length; index++)
          expect(Date.parse(ordered[index - 1]?.createdAt ?? "")).toBeGreaterThanOrEqual(
            Date.parse(ordered[index]?.createdAt ?? ""),
          );
      }),
    );
  });

  it("dates a paid purchase by its payment and any other by its checkout", () => {
    expect(purchaseDate({ createdAt: "2026-06-11T09:00:00.000Z", paidAt: null })).toBe(
      "2026-06-11T09:00:00.000Z",
    );
    expect(purchaseDate({ createdAt: "2026-06-11T09:00:00.000Z", paidAt: "2026-06-11T09:03:00.000Z" })).toBe(
      "2026-06-11T09:03:00.000Z",
    );
  });
});
