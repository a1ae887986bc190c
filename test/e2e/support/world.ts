/**
 * What every browser test file sets up: a browser and a running Boon for its describe block, the
 * contexts it opens (each closed after its test, failing the test if a page threw), and teardown.
 */
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { launchBrowser } from "../../support/browser.js";
import { type E2eBackend, type RunningBoon, requireBuiltPages, startBoon } from "./boon.js";
import { openContext, type WatchedContext } from "./demo-pages.js";

export interface BrowserWorld {
  readonly browser: Browser;
  readonly boon: RunningBoon;
  /** A fresh context with its own storage (so its own signed-in customer), closed after the test. */
  open(options?: Parameters<typeof openContext>[1]): Promise<WatchedContext>;
}

/** `env` adds settings for the server (see `startBoon`). */
export function browserWorld(
  backend: E2eBackend,
  before: () => void = () => undefined,
  env: Record<string, string> = {},
): BrowserWorld {
  let browser: Browser | undefined;
  let boon: RunningBoon | undefined;
  const opened: WatchedContext[] = [];
  beforeAll(async () => {
    requireBuiltPages();
    before();
    [browser, boon] = await Promise.all([launchBrowser(), startBoon(backend, env)]);
  });
  afterEach(async () => {
    for (const watched of opened.splice(0)) {
      await watched.context.close();
      expect(watched.pageErrors).toEqual([]);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await boon?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started: use it inside a test`);
    return value;
  };
  return {
    get browser() {
      return started(browser, "the browser");
    },
    get boon() {
      return started(boon, "boon");
    },
    async open(options = {}) {
      const watched = await openContext(started(browser, "the browser"), options);
      opened.push(watched);
      return watched;
    },
  };
}
