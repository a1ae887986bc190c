/**
 * The operator's console in the browser: sign in with an admin key, create a program and a bundle
 * with their forms, and find each in its list (and, through the API, stored with the terms the form
 * was given).
 */
import { describe, expect, it } from "vitest";
import { e2eBackends } from "./support/boon.js";
import { heading, openConsoleSection, signInToConsole, tableRows } from "./support/demo-pages.js";
import { browserWorld } from "./support/world.js";

const PROGRAM_ID = "spring-gifts";
const BUNDLE_ID = "launch-pack";

describe.each(e2eBackends())("the console in the browser on %s", (backend) => {
  const world = browserWorld(backend);
  const { open } = world;

  it("refuses a wrong admin key and keeps the operator at the door", async () => {
    const { page } = await open();
    await page.goto(`${world.boon.url}/console`);
    await page.getByLabel("Admin key", { exact: true }).fill("boon_sk_not_a_key");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "Could not sign in" }).waitFor();
    expect(await heading(page, "Programs").count()).toBe(0);
  });

  it("creates a program with the form; it appears in the list", async () => {
    const { page } = await open();
    await signInToConsole(page, world.boon.url, world.boon.adminKey);
    await page.getByRole("table", { name: "Programs" }).waitFor();
    expect((await tableRows(page, "Programs")).join("\n")).not.toContain(PROGRAM_ID);

    await page.getByRole("button", { name: "New program", exact: true }).click();
    await heading(page, "New program").waitFor();
    const form = page.getByRole("form", { name: "Program" });
    await form.getByLabel("Program type", { exact: true }).selectOption("gifting");
    await form.getByLabel("Program id", { exact: true }).fill(PROGRAM_ID);
    await form.getByLabel("Status", { exact: true }).selectOption("live");
    await form.getByLabel(/^Sender plans/).fill("plus, pro");
    await form.getByLabel("Allowance per sender per period", { exact: true }).fill("300");
    await form.getByLabel("Smallest gift", { exact: true }).fill("20");
    await form.getByLabel("Largest gift", { exact: true }).fill("150");
    const saved = page.waitForResponse(
      (response) => response.request().method() === "POST" && response.url().endsWith("/v1/programs"),
    );
    await form.getByRole("button", { name: "Save program", exact: true }).click();
    const answer = await saved;
    expect(answer.status(), await answer.text()).toBeLessThan(300);
    await heading(page, PROGRAM_ID).waitFor();
    await page.getByText(`Saved ${PROGRAM_ID}: version 1 is now in force.`).waitFor();

    await openConsoleSection(page, "Programs");
    await page.getByRole("table", { name: "Programs" }).waitFor();
    const rows = (await tableRows(page, "Programs")).filter((row) => row.includes(PROGRAM_ID));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/gifting/);
    expect(rows[0]).toMatch(/live/);

    const stored = await fetch(`${world.boon.url}/v1/programs/${PROGRAM_ID}`, {
      headers: { authorization: `Bearer ${world.boon.adminKey}` },
    });
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({
      id: PROGRAM_ID,
      type: "gifting",
      terms: {
        status: "live",
        allowance: 300,
        giftMin: 20,
        giftMax: 150,
        senders: { plans: ["plus", "pro"] },
      },
    });
  });

  it("creates a bundle with the form; it appears in the catalog", async () => {
    const { page } = await open();
    await signInToConsole(page, world.boon.url, world.boon.adminKey);
    await openConsoleSection(page, "Bundles");
    await page.getByRole("table", { name: "Bundles" }).waitFor();
    expect((await tableRows(page, "Bundles")).join("\n")).not.toContain(BUNDLE_ID);

    await page.getByRole("button", { name: "New bundle", exact: true }).click();
    await heading(page, "New bundle").waitFor();
    const form = page.getByRole("form", { name: "Bundle" });
    await form.getByLabel("Bundle id", { exact: true }).fill(BUNDLE_ID);
    await form.getByLabel("Name", { exact: true }).fill("Launch pack");
    await form.getByLabel("Credits", { exact: true }).fill("2500");
    await form.getByLabel("Price", { exact: true }).fill("19.99");
    await form.getByLabel("Bonus credits", { exact: true }).fill("250");
    await form.getByLabel("Bonus expires after", { exact: true }).fill("60d");
    await form.getByLabel("Can be bought as a gift", { exact: true }).selectOption("yes");
    const saved = page.waitForResponse(
      (response) =>
        response.request().method() === "PUT" && response.url().endsWith(`/v1/bundles/${BUNDLE_ID}`),
    );
    await form.getByRole("button", { name: "Save bundle", exact: true }).click();
    const answer = await saved;
    expect(answer.status(), await answer.text()).toBeLessThan(300);
    await heading(page, "Bundles").waitFor();
    await page.getByText(`Saved ${BUNDLE_ID}: version 1 is on sale.`).waitFor();
    await page.getByRole("table", { name: "Bundles" }).waitFor();
    const rows = (await tableRows(page, "Bundles")).filter((row) => row.includes(BUNDLE_ID));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("Launch pack");
    expect(rows[0]).toContain("$19.99");
    expect(rows[0]).toMatch(/active/);

    const listed = await fetch(`${world.boon.url}/v1/bundles`, {
      headers: { authorization: `Bearer ${world.boon.adminKey}` },
    });
    expect(listed.status).toBe(200);
    const catalog = (await listed.json()) as { data: { id: string }[] };
    const stored = catalog.data.find((bundle) => bundle.id === BUNDLE_ID);
    expect(stored).toBeDefined();
    expect(stored).toMatchObject({
      name: "Launch pack",
      price: 1999,
      currency: "usd",
      giftable: true,
      bonusExpiresAfter: "60d",
      status: "active",
      version: 1,
    });
  });
});
