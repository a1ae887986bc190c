/**
 * Screenshots of the main pages for the README. Taken on embedded PGlite only, so one run writes them
 * all from the same seeded demo, with fixed names, amounts and messages; what still changes between
 * runs is what the server makes (dates, countdowns, codes, the port). A normal run takes them into a
 * temporary folder (every page must still render without an error); `BOON_SCREENSHOTS=1` writes them
 * into docs/screenshots/ for the README.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DESKTOP_VIEWPORT, PHONE_VIEWPORT } from "../support/browser.js";
import {
  actAs,
  copyFieldValue,
  heading,
  limitBanner,
  openConsoleSection,
  openFromMenu,
  pickCustomer,
  pickerDialog,
  poll,
  sendMessage,
  signInToConsole,
} from "./support/demo-pages.js";
import { browserWorld } from "./support/world.js";

const SCREENSHOTS =
  process.env.BOON_SCREENSHOTS === "1"
    ? new URL("../../docs/screenshots/", import.meta.url).pathname
    : `${mkdtempSync(join(tmpdir(), "boon-screenshots-"))}/`;

/**
 * A still page: nothing loading or busy, no focus ring, no caret. On a desktop the window is made as
 * tall as the page first, so the whole page is in the picture with its sidebar as tall as the window
 * (a full-page capture would cut the sidebar at the first screen); a phone is taken as it shows.
 */
async function shoot(
  page: Page,
  name: string,
  whole: "whole page" | "one screen" = "whole page",
): Promise<void> {
  await poll(() => page.locator('.boon-loading, [aria-busy="true"]').count()).toBe(0);
  await page.evaluate("document.activeElement instanceof HTMLElement && document.activeElement.blur()");
  await page.mouse.move(0, 0);
  const viewport = page.viewportSize() ?? DESKTOP_VIEWPORT;
  if (whole === "whole page") {
    const height = (await page.evaluate("document.documentElement.scrollHeight")) as number;
    await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  }
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, animations: "disabled", caret: "hide" });
  await page.setViewportSize(viewport);
}

describe("screenshots of the pages on pglite", () => {
  const world = browserWorld("pglite", () => mkdirSync(SCREENSHOTS, { recursive: true }));
  const { open } = world;

  it("the chat with the limit banner, and usage & credits", async () => {
    const { page } = await open();
    await actAs(page, world.boon.url, "Linus");
    expect(await sendMessage(page, "Write a function that parses ISO dates")).toMatchObject({
      allowed: false,
    });
    await limitBanner(page).waitFor();
    await shoot(page, "chat-limit-banner");

    await actAs(page, world.boon.url, "Ada");
    await openFromMenu(page, "Usage & credits");
    await page.getByRole("table", { name: "Credit history" }).waitFor();
    await page.getByRole("table", { name: "Credits by kind" }).waitFor();
    await shoot(page, "usage-and-credits");
  });

  it("the demo payment page, and buy credits with the purchase it made", async () => {
    const { page } = await open();
    await actAs(page, world.boon.url, "Ada");
    await openFromMenu(page, "Buy credits");
    await page.getByRole("button", { name: "Buy Team", exact: true }).click();
    await heading(page, "Demo payment").waitFor();
    const pay = page.getByRole("button", { name: "Pay $40.00 (demo)" });
    await pay.waitFor();
    await shoot(page, "demo-payment");
    await pay.click();
    await heading(page, "Usage & credits").waitFor();
    await openFromMenu(page, "Buy credits");
    await page.getByRole("button", { name: "Buy Team as a gift" }).waitFor();
    await page.getByRole("list", { name: "Your purchases" }).getByText("Paid", { exact: true }).waitFor();
    await shoot(page, "buy-credits");
  });

  it("gifts with a created link, and the gift claim page", async () => {
    const sender = (await open()).page;
    await actAs(sender, world.boon.url, "Ada");
    await openFromMenu(sender, "Gifts");
    await sender.getByLabel("Amount", { exact: true }).fill("100");
    await sender
      .getByLabel("Message (optional)")
      .fill("Thanks for the code review! Enjoy some extra credits.");
    await sender.getByLabel("Friend's email (optional)").fill("linus@example.com");
    await sender.getByRole("button", { name: "Create gift link" }).click();
    const link = await copyFieldValue(sender, "Gift link");
    await sender.getByRole("table", { name: "Gifts you sent" }).waitFor();
    await shoot(sender, "gifts-link");

    const friend = (await open()).page;
    await friend.goto(link);
    await friend.getByRole("button", { name: "Sign in to claim" }).click();
    await pickerDialog(friend).waitFor();
    await pickCustomer(friend, "Linus");
    await friend.getByRole("button", { name: "Claim as Linus" }).waitFor();
    await shoot(friend, "gift-claim");
  });

  it("invite a friend, and the invite landing page", async () => {
    const referrer = (await open()).page;
    await actAs(referrer, world.boon.url, "Grace");
    await openFromMenu(referrer, "Invite a friend");
    await referrer.getByLabel("Friend's email (optional)").fill("hedy@example.com");
    const created = referrer.waitForResponse(
      (response) => response.request().method() === "POST" && /\/invites$/.test(response.url()),
    );
    await referrer.getByRole("button", { name: "Create invite link" }).click();
    const invite = (await (await created).json()) as { url: string };
    await poll(() => copyFieldValue(referrer, "Your invite link")).toBe(invite.url);
    await referrer.getByRole("table", { name: "Your invites" }).getByText("hedy@example.com").waitFor();
    await shoot(referrer, "invite-a-friend");

    const friend = (await open()).page;
    await friend.goto(invite.url);
    await friend.getByRole("button", { name: "Sign in to accept" }).waitFor();
    await shoot(friend, "invite-landing");
  });

  it("the console: programs, a customer and reports", async () => {
    const { page } = await open();
    await signInToConsole(page, world.boon.url, world.boon.adminKey);
    await page.getByRole("table", { name: "Programs" }).waitFor();
    await shoot(page, "console-programs");

    await openConsoleSection(page, "Customers");
    await page.getByRole("table", { name: "Customers" }).getByRole("link", { name: "demo-ada" }).click();
    await heading(page, "Ada").or(heading(page, "demo-ada")).waitFor();
    await page.getByRole("heading", { name: "Ledger" }).waitFor();
    await shoot(page, "console-customer");

    await openConsoleSection(page, "Reports");
    await page.getByRole("heading", { name: "Outstanding credits" }).waitFor();
    await shoot(page, "console-reports");
  });

  it("the chat at a phone's width", async () => {
    const { page } = await open({ viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });
    await actAs(page, world.boon.url, "Ada");
    await sendMessage(page, "Add a retry with backoff to the upload client");
    await sendMessage(page, "Now write the tests for it");
    await shoot(page, "chat-phone", "one screen");
  });
});
