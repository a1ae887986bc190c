import { pino } from "pino";
import { ManualClock } from "../../src/core/clock.js";
import { createCustomerTokens, loadTokenSecret } from "../../src/engine/customer-tokens.js";
import { createEngine, type Engine, systemIds } from "../../src/engine/engine.js";
import { createKeys, type Keys } from "../../src/engine/keys.js";
import { createWebhooks } from "../../src/engine/webhooks.js";
import { type App, createApp, type HttpDeps } from "../../src/http/app.js";
import type { Store } from "../../src/store/store.js";
import type { Backend } from "./backends.js";
import { contractOf } from "./contract.js";

export interface HttpWorld {
  readonly app: App;
  readonly engine: Engine;
  readonly keys: Keys;
  readonly store: Store;
  readonly clock: ManualClock;
  readonly adminKey: string;
  readonly serverKey: string;
  /**
   * Send a request with a key (the server key unless told), JSON in and out. The answer is checked
   * against the route's documented response for its status; one that breaks it throws.
   */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; key?: string | null; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown; headers: Headers }>;
  close(): Promise<void>;
}

export const HTTP_START_MS = Date.UTC(2026, 5, 11, 9);

/**
 * What a test may set of the app's dependencies beyond the world's own. A `demoHostKey` is also
 * made an in-memory admin key, as `boon start` does.
 */
export type HttpWorldOptions = Pick<
  HttpDeps,
  "rateLimits" | "publicUrl" | "web" | "demoHostKey" | "payments"
> &
  Partial<Pick<HttpDeps, "logger">>;

export async function openHttpWorld(backend: Backend, options: HttpWorldOptions = {}): Promise<HttpWorld> {
  const store = await backend.open();
  const clock = new ManualClock(HTTP_START_MS);
  const engine = await createEngine({ store, clock });
  const keys = createKeys(store, clock, systemIds(), [options.demoHostKey]);
  const admin = await keys.create({ name: "test admin", scope: "admin" });
  const server = await keys.create({ name: "test server", scope: "server" });
  if (!admin.ok || !server.ok) throw new Error("could not create test keys");
  const tokens = createCustomerTokens(await loadTokenSecret(store));
  const webhooks = createWebhooks(store, clock, systemIds());
  const app = createApp({
    logger: pino({ level: "silent" }),
    ...options,
    engine,
    keys,
    tokens,
    webhooks,
  });
  const serverKey = server.value.secret;
  const contract = contractOf(app);
  return {
    app,
    engine,
    keys,
    store,
    clock,
    adminKey: admin.value.secret,
    serverKey,
    async call(method, path, options = {}) {
      const key = options.key === undefined ? serverKey : options.key;
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (key !== null) headers.authorization = `Bearer ${key}`;
      if (options.body !== undefined) headers["content-type"] = "application/json";
      const response = await app.request(path, {
        method,
        headers,
        ...(options.body === undefined
          ? {}
          : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (the docs page): the text itself.
      }
      const broken = contract({
        method,
        path: new URL(path, "http://boon.test").pathname,
        status: response.status,
        contentType: response.headers.get("content-type"),
        body,
      });
      if (broken !== null) throw new Error(`the answer breaks the API's document: ${broken}`);
      return { status: response.status, body, headers: response.headers };
    },
    close: () => store.close(),
  };
}
