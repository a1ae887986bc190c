/**
 * Buying credits in the browser: a pack bought as a gift goes through the demo payment page (the
 * signed webhook path) into the buyer's credits bought to give, from which the Gifts page sends a
 * gift; the purchase shows in the customer's purchases through the API and, as paid, on the Buy
 * credits page. A checkout left unpaid shows there as awaiting payment, with a link back to its
 * payment page that works from the keyboard and at a phone's width.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PHONE_VIEWPORT } from "../support/browser.js";
import { e2eBackends } from "./support/boon.js";
import { actAs, copyFieldValue, heading, openFromMenu, poll } from "./support/demo-pages.js";
import { browserWorld } from "./support/world.js";

/** How far the page's own scrolling box is wider than the window; 0 when nothing sticks out. */
async function sidewaysOverflow(page: Page): Promise<number> {
  const [scrollWidth, innerWidth] = (await page.evaluate(
    "[document.scrollingElement.scrollWidth, window.innerWidth]",
  )) as [number, number];
  return scrollWidth - innerWidth;
}

describe.each(e2eBackends())("buying credits in the browser on %s", (backend) => {
  const world = browserWorld(backend);
  const { open } = world;

  it("buys a pack as a gift, then gives part of it from the Gifts page", async () => {
    const { page } = await open();
    await actAs(page, world.boon.url, "Ada");
    await openFromMenu(page, "Buy credits");
    await page.getByRole("button", { name: "Buy Team as a gift" }).click();
    await heading(page, "Demo payment").waitFor();
    expect(await page.getByText("This is a demo").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Pay $40.00 (demo)" }).click();
    await heading(page, "Gifts").waitFor();
    await page.getByRole("status").filter({ hasText: "Payment complete" }).waitFor();
    const bought = page.locator(".boon-stat").filter({ hasText: "Bought to give" });
    await poll(() => bought.textContent()).toContain("5,000 credits");

    await page.getByLabel("Give from").selectOption("gift_balance");
    await page.getByLabel("Amount", { exact: true }).fill("400");
    await page.getByRole("button", { name: "Create gift link" }).click();
    expect(await copyFieldValue(page, "Gift link")).toMatch(/\/gift\/[A-Za-z0-9_-]+$/);
    await poll(() => bought.textContent()).toContain("4,600 credits");

    // The purchase as the API tells it: paid, as a gift, the Team pack.
    const purchases = await fetch(`${world.boon.url}/v1/customers/demo-ada/purchases`, {
      headers: { authorization: `Bearer ${world.boon.adminKey}` },
    });
    const listed = (
      (await purchases.json()) as { data: { bundleId: string; asGift: boolean; state: string }[] }
    ).data;
    expect(listed).toContainEqual(expect.objectContaining({ bundleId: "team", asGift: true, state: "paid" }));

    // The same purchase as the customer sees it, below the packs on the Buy credits page.
    await openFromMenu(page, "Buy credits");
    const mine = page.getByRole("list", { name: "Your purchases" }).getByRole("listitem");
    const team = mine.filter({ has: page.getByRole("heading", { name: "Team", exact: true, level: 3 }) });
    await team.waitFor();
    expect(await mine.count()).toBe(1);
    const text = await team.innerText();
    expect(text).toContain("Paid");
    expect(text).toContain("as a gift");
    expect(text).toContain("$40.00");
    expect(await team.getByRole("link", { name: /Continue to payment/ }).count()).toBe(0);
  });

  it("lists a checkout left unpaid with a way back to it, at a phone's width and from the keyboard", async () => {
    const { page } = await open({ viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });
    await actAs(page, world.boon.url, "Grace");
    await openFromMenu(page, "Buy credits");
    await page.getByText("No purchases yet.", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Buy Starter", exact: true }).click();
    await heading(page, "Demo payment").waitFor();
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await heading(page, "Buy credits").waitFor();

    const starter = page.getByRole("list", { name: "Your purchases" }).getByRole("listitem");
    await starter.getByText("Awaiting payment", { exact: true }).waitFor();
    expect(await starter.innerText()).toContain("for you");
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

    // The way back is a plain link: focused and followed with Enter, it opens the same checkout.
    const resume = starter.getByRole("link", { name: "Continue to payment for Starter" });
    await resume.focus();
    await page.keyboard.press("Enter");
    await heading(page, "Demo payment").waitFor();
    await page.getByRole("button", { name: "Pay $10.00 (demo)" }).click();
    await heading(page, "Usage & credits").waitFor();
    await openFromMenu(page, "Buy credits");
    await starter.getByText("Paid", { exact: true }).waitFor();
    expect(await starter.count()).toBe(1);
    expect(await starter.getByRole("link").count()).toBe(0);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  });
});
