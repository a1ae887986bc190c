// @vitest-environment happy-dom
/**
 * The "Invite a friend" page against an API played in the test: the client's `fetch` answers real
 * `Response`s shaped as the server's (CustomerReferrals with its offers, Invite, the error envelope).
 * The offer reads in plain words, the personal link shows, creating an invite posts to the program's
 * path, a used-up cap disables the form, and credits rewards read at the configured display scale.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import {
  BoonClient,
  type CustomerReferrals,
  type Invite,
  type Referral,
  type ReferralReward,
  type Schema,
} from "../../sdk/client.js";
import { ConfigProvider } from "../../src/web/lib/context.js";
import { InviteFriendPage } from "../../src/web/widgets/invite.js";

afterEach(cleanup);

const BASE_URL = "https://boon.test";
const CUSTOMER = "cus_grace";
const PROGRAM = "invite-a-friend";

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

type Answer = { readonly status: number; readonly body: unknown };

const failure = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: { code, message, requestId: "req_test" } },
});

function fakeClient(handle: (request: Recorded) => Answer | undefined) {
  const requests: Recorded[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const text = typeof init?.body === "string" ? init.body : "";
    const request: Recorded = {
      method: init?.method ?? "GET",
      path: url.pathname,
      body: text === "" ? undefined : JSON.parse(text),
    };
    requests.push(request);
    const answer = handle(request) ?? failure(404, "not_found", `no route ${request.method} ${request.path}`);
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json" },
    });
  };
  const client = new BoonClient({ baseUrl: BASE_URL, apiKey: "ctok_test", retries: 0, fetch: fetcher });
  return { client, requests, writes: () => requests.filter((request) => request.method !== "GET") };
}

type Offer = Schema<"ReferralOffer">;

const resetTerms = { type: "reset", expiresAfter: "30d" } as const;
const offer = (fields: Partial<Offer> = {}): Offer => ({
  programId: PROGRAM,
  endsAt: "2026-06-24T23:59:59.000Z",
  rewards: { referrer: resetTerms, invitee: resetTerms },
  invitees: "new_or_lapsed",
  invitesPerReferrer: 3,
  invitesPerPeriod: null,
  invitesUsed: 1,
  invitesLeft: 2,
  ...fields,
});

const invite = (id: string, email: string | null = null): Invite => ({
  id,
  programId: PROGRAM,
  referrerId: CUSTOMER,
  code: `${id.slice(-4).toUpperCase()}-W7PK`,
  url: `https://boon.example/invite/${id}`,
  email,
  createdAt: "2026-06-11T09:00:00.000Z",
});

const referral = (inviteId: string, state: Referral["state"]): Referral => ({
  id: `ref_${inviteId}`,
  programId: PROGRAM,
  programVersion: 1,
  inviteId,
  referrerId: CUSTOMER,
  inviteeId: "cus_friend",
  state,
  segment: "new",
  acceptedAt: "2026-06-12T09:00:00.000Z",
  qualifiedAt: state === "qualified" ? "2026-06-12T10:00:00.000Z" : null,
  reviewReason: null,
});

const reward = (id: string, fields: Partial<ReferralReward>): ReferralReward => ({
  id,
  referralId: "ref_inv_0001",
  programId: PROGRAM,
  inviteeId: "cus_friend",
  side: "referrer",
  customerId: CUSTOMER,
  state: "granted",
  kind: "reset",
  amount: null,
  dueAt: "2026-06-12T10:00:00.000Z",
  createdAt: "2026-06-12T10:00:00.000Z",
  grantedAt: "2026-06-12T10:00:00.000Z",
  resolvedAt: null,
  resetTokenId: "rst_1",
  lotId: null,
  recovered: null,
  unrecovered: null,
  reason: null,
  ...fields,
});

function referralsAnswer(fields: Partial<CustomerReferrals> = {}): CustomerReferrals {
  return { customerId: CUSTOMER, invites: [], referrals: [], rewards: [], offers: [offer()], ...fields };
}

/** An API holding one customer's invites: creating one adds it and counts it against the cap. */
function inviteApi(start: CustomerReferrals) {
  const state = { data: start, refuse: null as Answer | null };
  const api = fakeClient((request) => {
    if (request.method === "GET" && request.path === `/v1/customers/${CUSTOMER}/referrals`)
      return { status: 200, body: state.data };
    if (request.method === "POST" && request.path === `/v1/programs/${PROGRAM}/invites`) {
      if (state.refuse !== null) return state.refuse;
      const body = request.body as { email?: string };
      const made = invite(
        `inv_${String(state.data.invites.length + 1).padStart(4, "0")}`,
        body.email ?? null,
      );
      const [current] = state.data.offers;
      state.data = {
        ...state.data,
        invites: [made, ...state.data.invites],
        offers:
          current === undefined
            ? []
            : [
                {
                  ...current,
                  invitesUsed: current.invitesUsed + 1,
                  invitesLeft: current.invitesLeft === null ? null : current.invitesLeft - 1,
                },
              ],
      };
      return { status: 200, body: made };
    }
    return undefined;
  });
  return { ...api, state };
}

function renderPage(client: BoonClient, displayScale = 0) {
  return render(
    <ConfigProvider config={{ displayScale, demo: true }}>
      <InviteFriendPage client={client} customerId={CUSTOMER} />
    </ConfigProvider>,
  );
}

const emailField = () => screen.getByLabelText("Friend's email (optional)");

describe("the offer", () => {
  it("reads the program's rewards in plain words with how long they last, the invites used and the end", async () => {
    renderPage(inviteApi(referralsAnswer({ invites: [invite("inv_0001")] })).client);
    expect(
      await screen.findByText(
        "You and your friend each get a rate-limit reset when your friend sends their first message. Rewards are valid for 30 days.",
      ),
    ).toBeTruthy();
    expect(screen.getByText("1 of 3")).toBeTruthy();
    expect(screen.getByText("Offer ends")).toBeTruthy();
    expect((screen.getByLabelText("Your invite link") as HTMLInputElement).value).toBe(
      "https://boon.example/invite/inv_0001",
    );
  });

  it("writes credits rewards at the display scale, and counts invites without a cap", async () => {
    const credits = { type: "credits", amount: 1250, expiresAfter: null } as const;
    const uncapped = offer({
      rewards: { referrer: credits, invitee: resetTerms },
      invitesPerReferrer: null,
      invitesLeft: null,
      invitesUsed: 4,
      endsAt: null,
    });
    renderPage(inviteApi(referralsAnswer({ offers: [uncapped] })).client, 2);
    expect(
      await screen.findByText(
        "You get 12.50 credits; your friend gets a rate-limit reset when your friend sends their first message. " +
          "Your reward never expires; your friend's is valid for 30 days.",
      ),
    ).toBeTruthy();
    expect(screen.getByText("Invites sent")).toBeTruthy();
    expect(screen.getByText("4")).toBeTruthy();
    expect(screen.queryByText("Offer ends")).toBeNull();
  });

  it("reads plainly for a program that rewards nobody", async () => {
    renderPage(
      inviteApi(referralsAnswer({ offers: [offer({ rewards: { referrer: null, invitee: null } })] })).client,
    );
    expect(await screen.findByText("Invite your friends.")).toBeTruthy();
  });

  it("says so when no program is open to the customer", async () => {
    renderPage(inviteApi(referralsAnswer({ offers: [] })).client);
    expect(
      await screen.findByText("There's no invite offer for your plan right now. Check back soon."),
    ).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Create invite link" })).toBeNull();
  });

  it("disables the form once every invite is used", async () => {
    const api = inviteApi(referralsAnswer({ offers: [offer({ invitesUsed: 3, invitesLeft: 0 })] }));
    renderPage(api.client);
    const button = await screen.findByRole("button", { name: "All invites used" });
    expect(button.hasAttribute("disabled")).toBe(true);
    expect(emailField().hasAttribute("disabled")).toBe(true);
    fireEvent.click(button);
    expect(api.writes()).toEqual([]);
  });
});

describe("creating an invite", () => {
  it("posts to the program's invites with the friend's email, then shows the new link", async () => {
    const api = inviteApi(referralsAnswer({ invites: [invite("inv_0001")] }));
    renderPage(api.client);
    fireEvent.change(await screen.findByLabelText("Friend's email (optional)"), {
      target: { value: "  linus@example.com " },
    });
    fireEvent.click(screen.getByRole("button", { name: "Create invite link" }));
    await waitFor(() =>
      expect((screen.getByLabelText("Your invite link") as HTMLInputElement).value).toBe(
        "https://boon.example/invite/inv_0002",
      ),
    );
    expect(api.writes()).toEqual([
      {
        method: "POST",
        path: `/v1/programs/${PROGRAM}/invites`,
        body: { referrerId: CUSTOMER, email: "linus@example.com" },
      },
    ]);
    expect(await screen.findByText("2 of 3")).toBeTruthy();
    expect((emailField() as HTMLInputElement).value).toBe("");
    const table = screen.getByRole("table", { name: "Your invites" });
    expect(within(table).getByText("linus@example.com")).toBeTruthy();
  });

  it("leaves the email out when none is given", async () => {
    const api = inviteApi(referralsAnswer());
    renderPage(api.client);
    fireEvent.click(await screen.findByRole("button", { name: "Create invite link" }));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]?.body).toEqual({ referrerId: CUSTOMER });
    expect(await screen.findByLabelText("Your invite link")).toBeTruthy();
  });

  it("shows the API's refusal in its words", async () => {
    const api = inviteApi(referralsAnswer());
    api.state.refuse = failure(409, "cap_exceeded", "3 invites used of 3");
    renderPage(api.client);
    fireEvent.click(await screen.findByRole("button", { name: "Create invite link" }));
    expect((await screen.findByRole("alert")).textContent).toBe("3 invites used of 3");
  });
});

describe("the invites and rewards", () => {
  it("shows where each invite stands", async () => {
    const invites = [invite("inv_0003"), invite("inv_0002", "ada@example.com"), invite("inv_0001")];
    const referrals = [referral("inv_0001", "qualified"), referral("inv_0002", "review")];
    renderPage(inviteApi(referralsAnswer({ invites, referrals })).client);
    const table = await screen.findByRole("table", { name: "Your invites" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringContaining("sent"),
      expect.stringContaining("review required"),
      expect.stringContaining("qualified"),
    ]);
    expect(within(table).getAllByText("Anyone with the link")).toHaveLength(2);
  });

  it("lists only this customer's rewards, credits at the display scale", async () => {
    const rewards = [
      reward("rwd_1", {}),
      reward("rwd_2", { kind: "credits", amount: 1250, resetTokenId: null, lotId: "lot_1", side: "invitee" }),
      reward("rwd_3", { customerId: "cus_friend", side: "invitee", kind: "credits", amount: 999 }),
    ];
    renderPage(inviteApi(referralsAnswer({ rewards })).client, 2);
    const table = await screen.findByRole("table", { name: "Your rewards" });
    expect(within(table).getByText("Rate-limit reset")).toBeTruthy();
    expect(within(table).getByText("12.50 credits")).toBeTruthy();
    expect(within(table).getByText("Inviting a friend")).toBeTruthy();
    expect(within(table).getByText("Joining")).toBeTruthy();
    expect(within(table).queryByText("9.99 credits")).toBeNull();
  });

  it("says when there are no invites or rewards yet", async () => {
    renderPage(inviteApi(referralsAnswer()).client);
    expect(await screen.findByText("No invites yet.")).toBeTruthy();
    expect(screen.getByText("No rewards yet: they arrive when a friend sends a first message.")).toBeTruthy();
  });
});
