// @vitest-environment happy-dom
/**
 * The console's bundle pages and purchase review against an API played in the test: `fetch` answers
 * real `Response`s shaped as the server's (BundleList, BundleSaved, PurchaseList, the error
 * envelope). The catalog shows prices in their currency and retires only after a confirm step; the
 * form marks what to fix and sends nothing, sends credits and the price in minor units, and shows
 * the API's refusal on the field it names; the review queue offers Grant only where the API allows it.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Bundle, Purchase } from "../../sdk/client.js";
import { ConsoleApp } from "../../src/web/console/console-app.js";
import { ADMIN_KEY_STORAGE_KEY } from "../../src/web/console/session.js";
import { ConfigProvider } from "../../src/web/lib/context.js";

afterEach(cleanup);
beforeEach(() => {
  window.sessionStorage.clear();
  window.sessionStorage.setItem(ADMIN_KEY_STORAGE_KEY, ADMIN_KEY);
});

const BASE_URL = "https://boon.test";
const ADMIN_KEY = "boon_sk_admin";

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly idempotencyKey: string | null;
}

type Answer = { readonly status: number; readonly body: unknown };

const failure = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: { code, message, requestId: "req_test" } },
});

const TEAM: Bundle = {
  id: "team",
  version: 2,
  createdAt: "2026-06-01T00:00:00.000Z",
  name: "Team pack",
  credits: 500_000,
  bonusCredits: 50_000,
  bonusExpiresAfter: "90d",
  bonusPriority: 10,
  price: 4000,
  currency: "usd",
  giftable: true,
  status: "active",
  purchasedExpiresAfter: null,
};

const OLD: Bundle = { ...TEAM, id: "yen", name: "Yen pack", price: 500, currency: "jpy", status: "retired" };

function fakeFetch(handle: (request: Recorded) => Answer | undefined) {
  const requests: Recorded[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const headers = new Headers(init?.headers);
    const text = typeof init?.body === "string" ? init.body : "";
    const request: Recorded = {
      method: init?.method ?? "GET",
      path: `${url.pathname}${url.search}`,
      body: text === "" ? undefined : JSON.parse(text),
      idempotencyKey: headers.get("idempotency-key"),
    };
    requests.push(request);
    const answer = handle(request) ?? failure(404, "not_found", `no route ${request.method} ${request.path}`);
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json" },
    });
  };
  return { fetcher, requests, writes: () => requests.filter((request) => request.method !== "GET") };
}

function renderConsole(fetcher: typeof fetch, path: string) {
  return render(
    <ConfigProvider config={{ displayScale: 2, demo: false }}>
      <ConsoleApp path={path} baseUrl={BASE_URL} fetch={fetcher} />
    </ConfigProvider>,
  );
}

function catalogApi(request: Recorded): Answer | undefined {
  if (request.method === "GET" && request.path === "/v1/bundles?includeRetired=true")
    return { status: 200, body: { data: [TEAM, OLD] } };
  if (request.method === "POST" && request.path === "/v1/bundles/team/retire")
    return { status: 200, body: { ...TEAM, version: 3, status: "retired", created: true } };
  return undefined;
}

describe("the bundle catalog", () => {
  it("lists every bundle with its price in its own currency, and Bundles after Programs in the nav", async () => {
    renderConsole(fakeFetch(catalogApi).fetcher, "/console/bundles");
    const table = await screen.findByRole("table", { name: "Bundles" });
    const rows = within(table)
      .getAllByRole("row")
      .map((row) => row.textContent ?? "");
    expect(rows[1]).toContain("Team pack");
    expect(rows[1]).toContain("5,000.00");
    expect(rows[1]).toContain("$40.00");
    expect(rows[1]).toContain("v2");
    expect(rows[2]).toContain("¥500");
    expect(rows[2]).toContain("retired");
    const nav = screen.getByRole("navigation", { name: "Console" });
    expect(
      within(nav)
        .getAllByRole("link")
        .map((link) => link.textContent),
    ).toEqual(["Programs", "Bundles", "Customers", "Reports", "Review"]);
    expect(within(nav).getByRole("link", { name: "Bundles" }).getAttribute("aria-current")).toBe("page");
  });

  it("retires a bundle only after the confirm step, and offers no Retire for a retired one", async () => {
    const api = fakeFetch(catalogApi);
    renderConsole(api.fetcher, "/console/bundles");
    await screen.findByRole("table", { name: "Bundles" });
    expect(screen.queryByRole("button", { name: "Retire yen" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Retire team" }));
    expect(api.writes()).toEqual([]);
    expect(screen.getByText(/Nobody can buy it until it is put back on sale/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Retire team" }));
    expect(await screen.findByText(/Retired team: no new purchases/)).toBeTruthy();
    expect(api.writes()).toEqual([
      expect.objectContaining({ method: "POST", path: "/v1/bundles/team/retire" }),
    ]);
  });

  it("shows the API's failure with a retry when the catalog can't load", async () => {
    renderConsole(fakeFetch(() => failure(503, "unavailable", "database down")).fetcher, "/console/bundles");
    expect(await screen.findByText(/Boon is unavailable right now/, {}, { timeout: 5000 })).toBeTruthy();
  }, 10_000);
});

describe("the bundle form", () => {
  function formApi(refusal: string | null) {
    return fakeFetch((request) => {
      if (request.method !== "PUT" || request.path !== "/v1/bundles/starter") return undefined;
      if (refusal !== null) return failure(400, "invalid_request", refusal);
      const body = request.body as Record<string, unknown>;
      return {
        status: 200,
        body: { ...TEAM, ...body, id: "starter", version: 1, bonusCredits: 0, created: true },
      };
    });
  }

  function fill(values: Record<string, string>) {
    for (const [label, value] of Object.entries(values))
      fireEvent.change(screen.getByLabelText(label), { target: { value } });
  }

  it("marks what to fix, on the fields, and sends nothing", () => {
    const api = formApi(null);
    renderConsole(api.fetcher, "/console/bundles/new");
    fill({ "Bundle id": "starter", Name: "Starter", Credits: "10", Price: "10.005", "Bonus credits": "5" });
    fireEvent.click(screen.getByRole("button", { name: "Save bundle" }));
    expect(screen.getByText("Check the 2 fields marked below")).toBeTruthy();
    expect(screen.getByLabelText("Price").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("USD has 2 decimal places at most")).toBeTruthy();
    expect(screen.getByLabelText("Bonus expires after").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(screen.getByLabelText("Price"));
    expect(api.requests).toEqual([]);
  });

  it("saves credits at the display scale and the price in cents, with an idempotency key", async () => {
    const api = formApi(null);
    renderConsole(api.fetcher, "/console/bundles/new");
    fill({ "Bundle id": "starter", Name: "Starter", Credits: "1,000", Price: "10" });
    fireEvent.change(screen.getByLabelText("Can be bought as a gift"), { target: { value: "yes" } });
    fireEvent.click(screen.getByRole("button", { name: "Save bundle" }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    const [write] = api.writes();
    expect(write).toMatchObject({
      method: "PUT",
      path: "/v1/bundles/starter",
      body: {
        name: "Starter",
        credits: 100_000,
        price: 1000,
        currency: "usd",
        giftable: true,
        status: "active",
      },
    });
    expect(write?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("shows the API's own refusal beside the form, and on the field it names", async () => {
    const api = formApi('bundle starter: currency: must be an ISO 4217 code in lower case, such as "usd"');
    renderConsole(api.fetcher, "/console/bundles/new");
    fill({ "Bundle id": "starter", Name: "Starter", Credits: "10", Price: "10" });
    fireEvent.click(screen.getByRole("button", { name: "Save bundle" }));
    const banner = await screen.findByText("Boon refused the bundle");
    expect(banner.closest("[role=alert]")?.textContent).toContain("currency: must be an ISO 4217 code");
    expect(screen.getByLabelText("Currency").getAttribute("aria-invalid")).toBe("true");
  });

  it("opens an existing bundle with its terms at the display scale and in its currency's decimals", async () => {
    renderConsole(fakeFetch(catalogApi).fetcher, "/console/bundles/team");
    const credits = (await screen.findByLabelText("Credits")) as HTMLInputElement;
    expect(credits.value).toBe("5,000.00");
    expect((screen.getByLabelText("Price") as HTMLInputElement).value).toBe("40.00");
    expect((screen.getByLabelText("Bonus expires after") as HTMLInputElement).value).toBe("90d");
    expect(screen.queryByLabelText("Bundle id")).toBeNull();
  });
});

describe("purchases in review", () => {
  const base: Purchase = {
    id: "pur_1",
    customerId: "demo-ada",
    bundleId: "team",
    bundleVersion: 2,
    asGift: false,
    credits: 500_000,
    bonus: 50_000,
    price: 4000,
    currency: "usd",
    state: "refunded",
    sessionId: "cs_1",
    checkoutUrl: null,
    paymentIntentId: "pi_1",
    createdAt: "2026-06-01T00:00:00.000Z",
    paidAt: "2026-06-01T00:01:00.000Z",
    grantTransferId: "txn_1",
    lotId: "lot_1",
    bonusLotId: "lot_2",
    refunded: 4000,
    recovered: 400_000,
    unrecovered: 150_000,
    reviewReason: "refunded",
    reviewOpenedAt: "2026-06-02T00:00:00.000Z",
    reviewResolvedAt: null,
    reviewDecision: null,
    checkoutExpiresAt: "2026-06-12T08:00:00.000Z",
    sessionCompletedAt: null,
    refundId: null,
  };
  const mismatched: Purchase = {
    ...base,
    id: "pur_2",
    state: "review",
    refunded: 0,
    recovered: 0,
    unrecovered: 0,
    grantTransferId: null,
    lotId: null,
    bonusLotId: null,
    reviewReason: "paid 3999 usd, expected 4000 usd",
  };
  const partly: Purchase = { ...base, id: "pur_3", refunded: 1000, recovered: 137_500, unrecovered: 0 };
  const disputed: Purchase = { ...base, id: "pur_4", state: "disputed" };

  function reviewApi(request: Recorded): Answer | undefined {
    if (request.method === "GET" && request.path === "/v1/purchases/review")
      return { status: 200, body: { data: [base, mismatched, partly, disputed] } };
    if (request.method === "GET" && request.path.endsWith("/review"))
      return { status: 200, body: { data: [] } };
    if (request.method === "POST" && request.path === "/v1/purchases/pur_2/review")
      return { status: 200, body: { ...mismatched, state: "paid", reviewDecision: "grant" } };
    if (request.method === "POST" && request.path === "/v1/purchases/pur_3/review")
      return { status: 200, body: { ...partly, reviewDecision: "refund", refundId: "re_1" } };
    return undefined;
  }

  it("shows what was recovered and what was already spent, and offers Grant only for a mismatched payment", async () => {
    const api = fakeFetch(reviewApi);
    renderConsole(api.fetcher, "/console/review");
    const table = await screen.findByRole("table", { name: "Purchases in review" });
    const rows = within(table)
      .getAllByRole("row")
      .map((row) => row.textContent ?? "");
    expect(rows[1]).toContain("$40.00");
    expect(rows[1]).toContain("4,000.00");
    expect(rows[1]).toContain("1,500.00");
    expect(screen.queryByRole("button", { name: "Grant purchase pur_1" })).toBeNull();
    expect(screen.getByRole("button", { name: "Close purchase pur_1" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Grant purchase pur_2" }));
    fireEvent.click(screen.getByRole("button", { name: "Grant pur_2" }));
    expect(await screen.findByText(/Granted: purchase pur_2 is paid/)).toBeTruthy();
    expect(api.writes()).toEqual([
      expect.objectContaining({ path: "/v1/purchases/pur_2/review", body: { decision: "grant" } }),
    ]);
  });

  it("offers Refund for a payment partly kept and not disputed, confirmed first", async () => {
    const api = fakeFetch(reviewApi);
    renderConsole(api.fetcher, "/console/review");
    await screen.findByRole("table", { name: "Purchases in review" });
    // Fully refunded (pur_1) and disputed (pur_4): nothing left to give back through the provider.
    expect(screen.queryByRole("button", { name: "Refund purchase pur_1" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Refund purchase pur_4" })).toBeNull();
    expect(screen.getByRole("button", { name: "Refund purchase pur_2" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Refund purchase pur_3" }));
    expect(api.writes()).toEqual([]);
    fireEvent.click(screen.getByRole("button", { name: "Refund pur_3" }));
    expect(await screen.findByText(/Refunded: the payment provider is returning/)).toBeTruthy();
    expect(api.writes()).toEqual([
      expect.objectContaining({ path: "/v1/purchases/pur_3/review", body: { decision: "refund" } }),
    ]);
  });
});
