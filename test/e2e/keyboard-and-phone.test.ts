/**
 * The pages without a mouse and on a small screen: the chat and the profile menu are reachable with
 * Tab, Escape closes the menu, and at a phone's width the chat and the Gifts page fit without the
 * page scrolling sideways.
 */
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PHONE_VIEWPORT } from "../support/browser.js";
import { e2eBackends } from "./support/boon.js";
import {
  actAs,
  copyFieldValue,
  heading,
  openFromMenu,
  poll,
  profileButton,
  sendButton,
  sendMessage,
  visit,
} from "./support/demo-pages.js";
import { browserWorld } from "./support/world.js";

/** More stops than any page here has before the ones the test looks for. */
const TAB_STOPS_MAX = 40;

async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element.ownerDocument.activeElement === element);
}

/** Press Tab until `target` has the focus; the number of presses it took. */
async function tabTo(page: Page, target: Locator, what: string): Promise<number> {
  for (let presses = 1; presses <= TAB_STOPS_MAX; presses++) {
    await page.keyboard.press("Tab");
    if (await isFocused(target)) return presses;
  }
  throw new Error(`${what} was not reached in ${TAB_STOPS_MAX} presses of Tab`);
}

/** How far the page's own scrolling box is wider than the window; 0 when nothing sticks out. */
async function sidewaysOverflow(page: Page): Promise<number> {
  const [scrollWidth, innerWidth] = (await page.evaluate(
    "[document.scrollingElement.scrollWidth, window.innerWidth]",
  )) as [number, number];
  return scrollWidth - innerWidth;
}

describe.each(e2eBackends())("keyboard and phone on %s", (backend) => {
  const world = browserWorld(backend);
  const { open } = world;

  it("reaches the profile menu and the Send button with Tab; Escape closes the menu", async () => {
    const { page } = await open();
    await actAs(page, world.boon.url, "Ada");
    await page.reload();
    await heading(page, "Chat").waitFor();
    await page.getByText("Acting as Ada", { exact: true }).waitFor();

    const profile = profileButton(page);
    await tabTo(page, profile, "the profile menu button");
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "Profile" });
    await menu.waitFor();
    expect(await profile.getAttribute("aria-expanded")).toBe("true");
    // The menu takes the focus, so its items are next to the keyboard.
    await poll(() => isFocused(menu.getByRole("menuitem").first())).toBe(true);
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    expect(await profile.getAttribute("aria-expanded")).toBe("false");
    // Closing gives the focus back to the button that opened the menu.
    expect(await isFocused(profile)).toBe(true);

    const message = page.getByRole("region", { name: "Chat" }).getByLabel("Message", { exact: true });
    await tabTo(page, message, "the message box");
    await page.keyboard.type("Typed without a mouse");
    await tabTo(page, sendButton(page), "the Send button");
    const answered = page.waitForResponse((response) => response.url().endsWith("/demo/api/messages"));
    await page.keyboard.press("Enter");
    expect(await (await answered).json()).toMatchObject({ allowed: true });
    await page
      .getByRole("region", { name: "Chat" })
      .getByText("Typed without a mouse", { exact: true })
      .waitFor();

    // The menu opens from the keyboard and its pages are reached from it.
    await profile.focus();
    await page.keyboard.press("Enter");
    await menu.getByRole("menuitem", { name: "Gifts", exact: true }).focus();
    await page.keyboard.press("Enter");
    await heading(page, "Gifts").waitFor();
  });

  it("fits the chat and the Gifts page in a phone's width", async () => {
    const { page } = await open({ viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });
    await actAs(page, world.boon.url, "Ada");
    await sendMessage(page, "Make the tests pass on a phone, with a long sentence that has to wrap nicely.");
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

    await openFromMenu(page, "Gifts");
    await page.getByRole("table", { name: "Gifts you sent" }).waitFor();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByLabel("Amount", { exact: true }).fill("50");
    await page.getByRole("button", { name: "Create gift link" }).click();
    expect(await copyFieldValue(page, "Gift link")).toMatch(/\/gift\//);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

    await visit(page, `${world.boon.url}/usage`, "Usage & credits");
    await page.getByRole("table", { name: "Credit history" }).waitFor();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  });
});
