/**
 * Plan limits in the browser: a customer chats until Boon refuses a message, the limit banner offers
 * credits (and a banked reset to whoever holds one), and either way the next message goes through.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { e2eBackends } from "./support/boon.js";
import {
  actAs,
  bankedResets,
  bankedResetsOnUsagePage,
  heading,
  limitBanner,
  pickCustomer,
  poll,
  sendMessage,
  sendUntilRefused,
  visit,
  waitActingAs,
} from "./support/demo-pages.js";
import { browserWorld } from "./support/world.js";

interface PlanFile {
  readonly plans: Record<string, { meters: Record<string, Array<{ window: string; allowance: number }>> }>;
}

/** The smallest message window of a demo plan: no more messages than that can pass before a refusal. */
function messagesAllowance(plan: string): number {
  const file = JSON.parse(
    readFileSync(new URL("../../plans/demo.json", import.meta.url), "utf8"),
  ) as PlanFile;
  const windows = file.plans[plan]?.meters.messages ?? [];
  if (windows.length === 0) throw new Error(`the demo plan ${plan} meters no messages`);
  return Math.min(...windows.map((window) => window.allowance));
}

describe.each(e2eBackends())("limits in the browser on %s", (backend) => {
  const world = browserWorld(backend);
  const { open } = world;

  it("sends messages until the limit banner appears, then adds credits and goes on", async () => {
    const { page } = await open();
    await actAs(page, world.boon.url, "Linus");
    const passed = await sendUntilRefused(page, messagesAllowance("free"), "Write a parser, take");
    expect(passed).toBeLessThanOrEqual(messagesAllowance("free"));
    const banner = limitBanner(page);
    await poll(() => banner.textContent()).toMatch(/It resets in \d+h \d+m\./);
    const addCredits = banner.getByRole("button", { name: "Add credits" });
    expect(await addCredits.isVisible()).toBe(true);
    // Linus holds no banked reset, so only credits are offered.
    expect(await banner.getByRole("button", { name: "Use a banked reset" }).count()).toBe(0);

    // Add credits leads to the packs on sale; the demo's payment page completes the purchase through
    // the same signed webhook a payment provider sends.
    await addCredits.click();
    await heading(page, "Buy credits").waitFor();
    await page.getByRole("button", { name: "Buy Starter", exact: true }).click();
    await heading(page, "Demo payment").waitFor();
    await page.getByRole("button", { name: "Pay $10.00 (demo)" }).click();
    await page.getByRole("status").filter({ hasText: "Payment complete" }).waitFor();
    await visit(page, `${world.boon.url}/`, "Chat");
    const answer = await sendMessage(page, "Now with credits");
    expect(answer).toMatchObject({ allowed: true, paidBy: "credits" });
    const reply = page.getByRole("listitem").filter({ hasText: /Paid with \d+ credits/ });
    await reply.waitFor();
  });

  it("signs a remembered customer in again on reload, and offers the chooser when they are gone", async () => {
    const { page } = await open();
    await actAs(page, world.boon.url, "Grace");
    await page.reload();
    await waitActingAs(page, "Grace");
    await page.evaluate("localStorage.setItem('boon.demo.customer', 'demo-nobody')");
    await page.reload();
    await page.getByRole("heading", { name: "Choose who you are" }).waitFor();
    await page.getByRole("alert").filter({ hasText: "demo-nobody" }).waitFor();
    await page.getByRole("main").getByRole("button", { name: "Choose a customer" }).click();
    await pickCustomer(page, "Linus");
    expect(await page.getByRole("alert").count()).toBe(0);
  });

  it("redeems a banked reset from the limit banner: the next message goes through", async () => {
    const { page } = await open();
    await actAs(page, world.boon.url, "Grace");
    const before = await bankedResetsOnUsagePage(page, world.boon.url);
    expect(before).toBeGreaterThanOrEqual(1);

    await page
      .getByRole("navigation", { name: "Product" })
      .getByRole("link", { name: "Chat", exact: true })
      .click();
    await sendUntilRefused(page, messagesAllowance("plus"), "Refactor the module, take");
    const banner = limitBanner(page);
    await poll(() => banner.textContent()).toContain(`You have ${before} banked reset`);
    const redeemed = page.waitForResponse(
      (response) => response.request().method() === "POST" && /\/resets\/redeem$/.test(response.url()),
    );
    await banner.getByRole("button", { name: "Use a banked reset" }).click();
    expect((await redeemed).status()).toBe(200);
    await banner.waitFor({ state: "detached" });
    await page.getByRole("status").filter({ hasText: "Reset used: your limits start fresh." }).waitFor();
    // The side panel shows the windows restarted and one reset fewer.
    await poll(() => bankedResets(page)).toBe(before - 1);

    const answer = await sendMessage(page, "After the reset");
    expect(answer).toMatchObject({ allowed: true, paidBy: "windows" });
    expect(await bankedResetsOnUsagePage(page, world.boon.url)).toBe(before - 1);
  });
});
