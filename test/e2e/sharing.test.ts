/**
 * Gifts and invites between two people, each in a browser context of their own: one shares a link,
 * the other opens it, signs in and claims or accepts, and both then see the outcome on their pages.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { e2eBackends } from "./support/boon.js";
import {
  actAs,
  bankedResetsOnUsagePage,
  copyFieldValue,
  createCustomer,
  GIFT_UNAVAILABLE_TITLE,
  openFromMenu,
  pickCustomer,
  pickerDialog,
  poll,
  pollReloading,
  sendMessage,
  tableRows,
  visit,
} from "./support/demo-pages.js";
import { browserWorld } from "./support/world.js";

const GIFT_AMOUNT = 120;
const GIFT_MESSAGE = "For your weekend project: build something fun!";

/** The rows of the "Your rewards" table, read after a reload (rewards come from the server's sweep). */
async function rewardRows(page: Page, url: string): Promise<string[]> {
  await visit(page, url, "Invite a friend");
  await page.getByRole("heading", { name: "Your rewards", exact: true }).waitFor();
  return tableRows(page, "Your rewards");
}

describe.each(e2eBackends())("gifts and invites in the browser on %s", (backend) => {
  const world = browserWorld(backend);
  const { open } = world;

  it("gifts credits from Ada and claims them as Linus in a second browser", async () => {
    const sender = (await open()).page;
    await actAs(sender, world.boon.url, "Ada");
    await openFromMenu(sender, "Gifts");
    await sender.getByLabel("Amount", { exact: true }).fill(String(GIFT_AMOUNT));
    await sender.getByLabel("Message (optional)").fill(GIFT_MESSAGE);
    await sender.getByRole("button", { name: "Create gift link" }).click();
    await sender.getByRole("status").filter({ hasText: "Your gift is ready" }).waitFor();
    const link = await copyFieldValue(sender, "Gift link");
    const code = await copyFieldValue(sender, "Gift code");
    expect(link.startsWith(`${world.boon.url}/gift/`)).toBe(true);

    const friend = (await open()).page;
    await friend.goto(link);
    const card = friend.getByRole("main");
    await friend.getByText("From Ada", { exact: true }).waitFor();
    expect(await card.textContent()).toContain(GIFT_MESSAGE);
    expect(await card.textContent()).toContain(`${GIFT_AMOUNT} credits`);
    await friend.getByRole("button", { name: "Sign in to claim" }).click();
    await pickerDialog(friend).waitFor();
    await pickCustomer(friend, "Linus");
    const claimed = friend.waitForResponse(
      (response) => response.request().method() === "POST" && /\/claim$/.test(response.url()),
    );
    await friend.getByRole("button", { name: "Claim as Linus" }).click();
    expect((await claimed).status()).toBe(200);
    await friend.getByRole("status").filter({ hasText: "Claimed" }).waitFor();
    expect(await friend.getByRole("status").filter({ hasText: "Claimed" }).textContent()).toContain(
      `${GIFT_AMOUNT} credits are in your wallet`,
    );

    await visit(sender, `${world.boon.url}/gifts`, "Gifts");
    await sender.getByRole("table", { name: "Gifts you sent" }).waitFor();
    const sent = (await tableRows(sender, "Gifts you sent")).filter((row) => row.includes(code));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain("claimed");
    expect(sent[0]).toContain(`${GIFT_AMOUNT} credits`);

    await friend.goto(link);
    const unavailable = friend.getByRole("status").filter({ hasText: GIFT_UNAVAILABLE_TITLE });
    await unavailable.waitFor();
    expect(await friend.getByRole("button", { name: /^Claim as/ }).count()).toBe(0);
  });

  it("invites a friend who joins and sends a first message: both get their reward", async () => {
    const referrer = (await open()).page;
    await actAs(referrer, world.boon.url, "Grace");
    const referrerResets = await bankedResetsOnUsagePage(referrer, world.boon.url);
    await openFromMenu(referrer, "Invite a friend");
    expect((await tableRows(referrer, "Your rewards")).join("\n")).not.toContain("granted");
    const created = referrer.waitForResponse(
      (response) => response.request().method() === "POST" && /\/invites$/.test(response.url()),
    );
    await referrer.getByRole("button", { name: "Create invite link" }).click();
    const invite = (await (await created).json()) as { url: string; code: string };
    await poll(() => copyFieldValue(referrer, "Your invite link")).toBe(invite.url);
    const link = await copyFieldValue(referrer, "Your invite link");
    expect(link.startsWith(`${world.boon.url}/invite/`)).toBe(true);

    const friend = (await open()).page;
    await friend.goto(link);
    await friend.getByText(/^Grace invited you: you each get a rate-limit reset/).waitFor();
    await friend.getByRole("button", { name: "Sign in to accept" }).click();
    await pickerDialog(friend).waitFor();
    await createCustomer(friend, "Hedy");
    const accepted = friend.waitForResponse(
      (response) => response.request().method() === "POST" && /\/accept$/.test(response.url()),
    );
    await friend.getByRole("button", { name: "Accept as Hedy" }).click();
    expect((await accepted).status()).toBe(200);
    await friend.getByRole("status").filter({ hasText: "You're in" }).waitFor();
    const friendResets = await bankedResetsOnUsagePage(friend, world.boon.url);

    await friend
      .getByRole("navigation", { name: "Product" })
      .getByRole("link", { name: "Chat", exact: true })
      .click();
    expect(await sendMessage(friend, "Hello! Write me a sorting function.")).toMatchObject({ allowed: true });

    // The server's sweep finds the first message and grants both rewards.
    await pollReloading(async () =>
      (await rewardRows(referrer, `${world.boon.url}/invite`)).join("\n"),
    ).toMatch(/Inviting a friend\s+Rate-limit reset\s+granted/);
    expect(await bankedResetsOnUsagePage(referrer, world.boon.url)).toBe(referrerResets + 1);
    await pollReloading(() => bankedResetsOnUsagePage(friend, world.boon.url)).toBe(friendResets + 1);
    expect((await rewardRows(friend, `${world.boon.url}/invite`)).join("\n")).toMatch(
      /Joining\s+Rate-limit reset\s+granted/,
    );
    await rewardRows(referrer, `${world.boon.url}/invite`);
    const invites = await tableRows(referrer, "Your invites");
    expect(invites.filter((row) => row.includes(invite.code))).toEqual([
      expect.stringContaining("qualified"),
    ]);
  });
});
