/**
 * Server keys on every backend: keys made and stored as hashes, and the in-memory admin keys
 * (`BOON_ADMIN_KEY`, the demo host's) each known by an id of its own, so that they never share a
 * rate-limit bucket or an audit name, and an id never shows its secret.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { systemIds } from "../../src/engine/engine.js";
import { createKeys, KEY_SECRET_PREFIX, MEMORY_KEY_ID_PREFIX } from "../../src/engine/keys.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { expectOk } from "../support/outcomes.js";

const OPERATOR_SECRET = `${KEY_SECRET_PREFIX}operator-secret-0123456789abcdefghijklmnop`;
const DEMO_HOST_SECRET = `${KEY_SECRET_PREFIX}demo-host-secret-0123456789abcdefghijklmno`;

for (const backend of backends()) {
  describe(`server keys on ${backend.name}`, () => {
    let store: Store;
    const clock = new ManualClock(Date.UTC(2026, 5, 11, 9));

    beforeAll(async () => {
      store = await backend.open();
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    it("gives each in-memory admin key an id of its own, the same in every process", async () => {
      const keys = createKeys(store, clock, systemIds(), [OPERATOR_SECRET, undefined, "", DEMO_HOST_SECRET]);
      const again = createKeys(store, clock, systemIds(), [DEMO_HOST_SECRET, OPERATOR_SECRET]);

      const operator = await keys.authenticate(OPERATOR_SECRET);
      const demoHost = await keys.authenticate(DEMO_HOST_SECRET);

      expect(operator).toEqual({ keyId: expect.stringMatching(/^mem_[0-9a-f]{12}$/), scope: "admin" });
      expect(demoHost).toEqual({ keyId: expect.stringMatching(/^mem_[0-9a-f]{12}$/), scope: "admin" });
      expect(operator?.keyId).not.toBe(demoHost?.keyId);
      expect(await again.authenticate(OPERATOR_SECRET)).toEqual(operator);
      expect(operator?.keyId.startsWith(MEMORY_KEY_ID_PREFIX)).toBe(true);
      expect(OPERATOR_SECRET).not.toContain(operator?.keyId.slice(MEMORY_KEY_ID_PREFIX.length));
      expect(await keys.authenticate(`${OPERATOR_SECRET}x`)).toBeNull();
      expect(await keys.authenticate("")).toBeNull();
    });

    it("knows a stored key by its own id, and never by an in-memory one", async () => {
      const keys = createKeys(store, clock, systemIds(), [OPERATOR_SECRET]);
      const made = expectOk(await keys.create({ name: "billing", scope: "server" }));

      expect(await keys.authenticate(made.secret)).toEqual({ keyId: made.key.id, scope: "server" });
      expect(made.key.id.startsWith(MEMORY_KEY_ID_PREFIX)).toBe(false);
    });
  });
}
