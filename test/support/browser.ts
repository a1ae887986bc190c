/**
 * The browser the end-to-end tests drive: Debian's Chromium through playwright-core, headless, with
 * nothing running in the background that could reach the network or change between runs.
 */
import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A desktop window: wide enough for the side panels, short enough to keep screenshots compact. */
export const DESKTOP_VIEWPORT = { width: 1280, height: 800 } as const;
/** A phone held upright (an iPhone 12 to 15 in CSS pixels). */
export const PHONE_VIEWPORT = { width: 390, height: 844 } as const;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH to one`,
    );
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
}

/**
 * A fresh context (its own storage, so its own signed-in customer) with settings that keep pages and
 * screenshots the same from run to run: a fixed locale, time zone, scale and color scheme, and no
 * motion.
 */
export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: DESKTOP_VIEWPORT,
    deviceScaleFactor: 1,
    locale: "en-US",
    timezoneId: "UTC",
    colorScheme: "light",
    reducedMotion: "reduce",
    ...options,
  });
}
