/**
 * The body limit through the real Node adapter: a declared length over the limit is refused from the
 * header alone, a chunked body is counted as it streams, and either way nothing changes.
 */
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_BYTES_MAX } from "../../src/http/app.js";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";

interface Sent {
  readonly status: number;
  readonly body: unknown;
}

for (const backend of backends().slice(0, 1)) {
  describe(`the body limit over a real socket on ${backend.name}`, () => {
    let world: HttpWorld;
    let server: ServerType;
    let port: number;

    beforeAll(async () => {
      world = await openHttpWorld(backend);
      await world.call("PUT", "/v1/customers/cus_body", { body: {} });
      await new Promise<void>((resolve) => {
        server = serve({ fetch: world.app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
          port = info.port;
          resolve();
        });
      });
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      await world.close();
      await backend.cleanup();
    });

    /** POST a grant whose reason pads the body to `bytes`, declared or chunked. */
    function send(bytes: number, framing: "declared" | "chunked"): Promise<Sent> {
      const head = JSON.stringify({ amount: 10, kind: "promotional", reason: "" });
      const body = head.replace('""', `"${"x".repeat(Math.max(0, bytes - head.length))}"`);
      const headers: Record<string, string | number> = {
        authorization: `Bearer ${world.serverKey}`,
        "content-type": "application/json",
      };
      if (framing === "declared") headers["content-length"] = Buffer.byteLength(body);
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          { host: "127.0.0.1", port, method: "POST", path: "/v1/customers/cus_body/grants", headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () =>
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
            );
          },
        );
        req.on("error", reject);
        if (framing === "chunked") {
          // Several writes without a declared length: Node frames them as chunks.
          const step = 64 * 1024;
          for (let offset = 0; offset < body.length; offset += step)
            req.write(body.slice(offset, offset + step));
          req.end();
        } else req.end(body);
      });
    }

    async function available(): Promise<number> {
      const balance = await world.call("GET", "/v1/customers/cus_body/balance");
      return (balance.body as { credits: { available: number } }).credits.available;
    }

    for (const framing of ["declared", "chunked"] as const) {
      it(`refuses a ${framing} body over ${BODY_BYTES_MAX} bytes with 413, changing nothing`, async () => {
        const before = await available();
        const refused = await send(BODY_BYTES_MAX + 1, framing);
        expect(refused.status).toBe(413);
        expect(refused.body).toMatchObject({
          error: { code: "invalid_request", message: expect.stringContaining(String(BODY_BYTES_MAX)) },
        });
        expect(await available()).toBe(before);
      });

      it(`reads a ${framing} body under the limit`, async () => {
        const before = await available();
        // The reason itself is over its own length limit, so a body this big is refused by validation.
        const big = await send(BODY_BYTES_MAX - 1024, framing);
        expect(big.status, JSON.stringify(big.body)).toBe(400);
        const small = await send(200, framing);
        expect(small.status, JSON.stringify(small.body)).toBe(200);
        expect(await available()).toBe(before + 10);
      });
    }
  });
}
