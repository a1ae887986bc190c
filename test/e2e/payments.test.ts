/**
 * Buying credits in the browser: a pack bought as a gift goes through the demo payment page (the
 * signed webhook path) into the buyer's credits bought to give, from which the Gifts page sends a
 * gift; the purchase shows in the customer's purchases through the API.
 */
import { describe, expect, it } from "vitest";
import { e2eBackends } from "./support/boon.js";
import { actAs, copyFieldValue, heading, openFromMenu, poll } from "./support/demo-pages.js";
import { browserWorld } from "./support/world.js";

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
  });
});
