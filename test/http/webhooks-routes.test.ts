/** The webhook routes: admin only, the secret shown once, the delivery log and redelivery. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";

for (const backend of backends()) {
  describe(`webhook routes on ${backend.name}`, () => {
    let world: HttpWorld;
    beforeAll(async () => {
      world = await openHttpWorld(backend);
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    it("registers an endpoint for an admin key only, showing its secret once", async () => {
      const body = { url: "https://hooks.example.com/boon", eventTypes: ["usage.limit_reached"] };
      expect((await world.call("POST", "/v1/webhooks", { body })).status).toBe(403);
      const added = await world.call("POST", "/v1/webhooks", { body, key: world.adminKey });
      expect(added).toMatchObject({
        status: 200,
        body: {
          id: expect.stringMatching(/^whe_/),
          secret: expect.stringMatching(/^whsec_/),
          eventTypes: body.eventTypes,
        },
      });
      const listed = await world.call("GET", "/v1/webhooks", { key: world.adminKey });
      expect(listed.body).toMatchObject({ data: [{ url: body.url }] });
      expect(JSON.stringify(listed.body)).not.toContain("whsec_");
    });

    it("refuses bad endpoints and unknown deliveries", async () => {
      const bad = await world.call("POST", "/v1/webhooks", {
        body: { url: "gopher://x" },
        key: world.adminKey,
      });
      expect(bad).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
      const missing = await world.call("POST", "/v1/webhooks/deliveries/whd_nope/redeliver", {
        key: world.adminKey,
      });
      expect(missing).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
      const log = await world.call("GET", "/v1/webhooks/deliveries?status=pending", { key: world.adminKey });
      expect(log).toMatchObject({ status: 200, body: { data: [] } });
    });
  });
}
