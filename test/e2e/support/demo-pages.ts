/**
 * How a person works the demo host's pages, written once for every end-to-end test: by roles,
 * labels and button texts, as a screen reader would find them. Every step waits for what the page
 * shows next (a heading, an answer, a banner), never for a length of time.
 */
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { newContext } from "../../support/browser.js";

export const LIMIT_BANNER_TITLE = "You've reached your usage limit";
/** The one sentence every unclaimable gift code gets (src/web/widgets/gift-claim.tsx). */
export const GIFT_UNAVAILABLE_TITLE = "This gift isn't available";
/** How long a poll for something the server does in the background may take. */
export const BACKGROUND_WAIT_MS = 60_000;
/** How long a page may take to show what a step leads to, on a slow machine running other suites. */
export const UI_WAIT_MS = 30_000;
/** Between reloads of a page polled for a background change: well inside a customer's rate limit. */
const RELOAD_INTERVAL_MS = 1000;

/** Read until the page agrees: Playwright's own waiting, for values read from the page. */
export function poll<T>(read: () => Promise<T> | T, timeoutMs: number = UI_WAIT_MS) {
  return expect.poll(read, { timeout: timeoutMs, interval: 100 });
}

/** Read after a reload until the server's background work shows, pacing the reloads. */
export function pollReloading<T>(read: () => Promise<T>) {
  return expect.poll(read, { timeout: BACKGROUND_WAIT_MS, interval: RELOAD_INTERVAL_MS });
}

export interface UsageAnswer {
  readonly allowed: boolean;
  readonly code?: string | null;
  readonly paidBy?: string | null;
}

/** Uncaught errors of a page's scripts: a page that throws has a bug, whatever it shows. */
export interface WatchedContext {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly pageErrors: string[];
}

export async function openContext(
  browser: Browser,
  options: Parameters<typeof newContext>[1] = {},
): Promise<WatchedContext> {
  const context = await newContext(browser, options);
  context.setDefaultTimeout(UI_WAIT_MS);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return { context, page, pageErrors };
}

export function heading(page: Page, name: string): Locator {
  return page.getByRole("heading", { name, exact: true, level: 1 });
}

/** Open a page of the app and wait for its title. */
export async function visit(page: Page, url: string, title: string): Promise<void> {
  await page.goto(url);
  await heading(page, title).waitFor();
}

export function profileButton(page: Page): Locator {
  return page.getByRole("navigation", { name: "Product" }).locator('button[aria-haspopup="menu"]');
}

export async function openProfileMenu(page: Page): Promise<Locator> {
  const menu = page.getByRole("menu", { name: "Profile" });
  if (!(await menu.isVisible())) await profileButton(page).click();
  await menu.waitFor();
  return menu;
}

/** A page of the profile menu: "Usage & credits", "Gifts", "Invite a friend". */
export async function openFromMenu(page: Page, item: string): Promise<void> {
  const menu = await openProfileMenu(page);
  await menu.getByRole("menuitem", { name: item, exact: true }).click();
  await heading(page, item).waitFor();
}

export function pickerDialog(page: Page): Locator {
  return page.getByRole("dialog", { name: "Act as a demo customer" });
}

/** "Switch customer…" in the profile menu, which opens the customer picker. */
export async function openPicker(page: Page): Promise<Locator> {
  const menu = await openProfileMenu(page);
  await menu.getByRole("menuitem", { name: "Switch customer…" }).click();
  const dialog = pickerDialog(page);
  await dialog.waitFor();
  return dialog;
}

/** Who the page acts as, once its session is ready. */
export async function waitActingAs(page: Page, name: string): Promise<void> {
  await page.getByText(`Acting as ${name}`, { exact: true }).waitFor();
}

export async function pickCustomer(page: Page, name: string): Promise<void> {
  await pickerDialog(page)
    .getByRole("button", { name: `Act as ${name}`, exact: true })
    .click();
  await pickerDialog(page).waitFor({ state: "detached" });
  await waitActingAs(page, name);
}

export async function createCustomer(page: Page, name: string): Promise<void> {
  const dialog = pickerDialog(page);
  await dialog.getByLabel("New customer's name").fill(name);
  await dialog.getByRole("button", { name: "Create and act as" }).click();
  await dialog.waitFor({ state: "detached" });
  await waitActingAs(page, name);
}

/** Open the chat and act as a demo customer through the profile menu. */
export async function actAs(page: Page, baseUrl: string, name: string): Promise<void> {
  await visit(page, `${baseUrl}/`, "Chat");
  await openPicker(page);
  await pickCustomer(page, name);
}

export function limitBanner(page: Page): Locator {
  return page.getByRole("status").filter({ hasText: LIMIT_BANNER_TITLE });
}

export function sendButton(page: Page): Locator {
  return page.getByRole("region", { name: "Chat" }).getByRole("button", { name: "Send", exact: true });
}

/** Send one chat message; resolves with Boon's answer once the page shows it. */
export async function sendMessage(page: Page, text: string): Promise<UsageAnswer> {
  const chat = page.getByRole("region", { name: "Chat" });
  await chat.getByLabel("Message", { exact: true }).fill(text);
  const answered = page.waitForResponse(
    (response) => response.request().method() === "POST" && response.url().endsWith("/demo/api/messages"),
  );
  await sendButton(page).click();
  const response = await answered;
  expect(response.status(), await response.text()).toBe(200);
  const answer = (await response.json()) as UsageAnswer;
  if (answer.allowed) {
    await chat.getByText(text, { exact: true }).waitFor();
  } else {
    await limitBanner(page)
      .or(page.getByRole("status").filter({ hasText: "You're out of credits" }))
      .waitFor();
  }
  // The button is busy until the page has reloaded the balance the message changed.
  await poll(() => sendButton(page).getAttribute("aria-busy")).toBe("false");
  return answer;
}

/** Send messages until Boon refuses one; at most `limit` of them are expected to pass. */
export async function sendUntilRefused(page: Page, limit: number, label: string): Promise<number> {
  for (let sent = 0; sent <= limit; sent++) {
    const answer = await sendMessage(page, `${label} ${sent + 1}`);
    if (!answer.allowed) return sent;
  }
  throw new Error(`${limit + 1} messages were all allowed: the limit never came`);
}

/** The banked resets a card of usage limits states: "No banked resets", "2 banked resets, ...". */
export async function bankedResets(page: Page): Promise<number> {
  const line = page.getByText(/^(No banked resets|\d+ banked resets?\b)/);
  await line.first().waitFor();
  const text = (await line.first().textContent()) ?? "";
  const count = /^(\d+) banked reset/.exec(text);
  return count === null ? 0 : Number(count[1]);
}

/** The banked resets on the "Usage & credits" page, read fresh from the server. */
export async function bankedResetsOnUsagePage(page: Page, baseUrl: string): Promise<number> {
  await visit(page, `${baseUrl}/usage`, "Usage & credits");
  return bankedResets(page);
}

/** The text of each row of a table found by its caption. */
export async function tableRows(page: Page, caption: string): Promise<string[]> {
  const table = page.getByRole("table", { name: caption });
  if ((await table.count()) === 0) return [];
  return table.locator("tbody tr").allInnerTexts();
}

/** Read a copyable field ("Gift link", "Your invite link") once it holds a value. */
export async function copyFieldValue(page: Page, label: string): Promise<string> {
  const field = page.getByLabel(label, { exact: true });
  await field.waitFor();
  return field.inputValue();
}

/** The console's door: the admin key, then the programs page it opens on. */
export async function signInToConsole(page: Page, baseUrl: string, adminKey: string): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.getByLabel("Admin key", { exact: true }).fill(adminKey);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await heading(page, "Programs").waitFor();
}

/** A section of the console, from its navigation bar. */
export async function openConsoleSection(page: Page, section: string): Promise<void> {
  await page
    .getByRole("navigation", { name: "Console" })
    .getByRole("link", { name: section, exact: true })
    .click();
  await heading(page, section).waitFor();
}
