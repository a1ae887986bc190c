import type { Command } from "commander";
import { systemClock } from "../core/clock.js";
import { systemIds } from "../engine/engine.js";
import { createWebhooks, type Webhooks } from "../engine/webhooks.js";
import { type GlobalOptions, reportFailure, toJson, withStore } from "./context.js";

type Globals = () => GlobalOptions;

const withWebhooks = (options: GlobalOptions, work: (webhooks: Webhooks) => Promise<void>): Promise<void> =>
  withStore(options, (store) => work(createWebhooks(store, systemClock, systemIds())));

const isoOrDash = (ms: number | null): string => (ms === null ? "-" : new Date(ms).toISOString());

export function registerWebhooksCommands(program: Command, globals: Globals): void {
  const webhooks = program.command("webhooks").description("outbound webhooks: endpoints and deliveries");
  webhooks
    .command("add")
    .description("register an endpoint; prints its signing secret")
    .argument("<url>")
    .option("--events <types>", "comma-separated event types (default: all)")
    .option("--description <text>")
    .option("--json", "print JSON")
    .action(async (url: string, options: { events?: string; description?: string; json?: boolean }) => {
      await withWebhooks(globals(), async (hooks) => {
        const added = await hooks.addEndpoint({
          url,
          eventTypes: options.events?.split(",").filter((type) => type !== ""),
          description: options.description,
        });
        if (!added.ok) return reportFailure(added.error);
        const endpoint = added.value;
        process.stdout.write(
          options.json === true
            ? `${toJson(endpoint)}\n`
            : `${endpoint.id} ${endpoint.url}\nsigning secret: ${endpoint.secret}\n`,
        );
      });
    });
  webhooks
    .command("list")
    .description("the endpoints")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withWebhooks(globals(), async (hooks) => {
        const all = await hooks.listEndpoints();
        process.stdout.write(
          options.json === true
            ? `${toJson(all.map(({ secret: _secret, ...rest }) => rest))}\n`
            : `${all.map((e) => `${e.id}  ${e.url}  events ${e.eventTypes?.join(",") ?? "all"}  disabled ${isoOrDash(e.disabledAtMs)}`).join("\n")}\n`,
        );
      });
    });
  webhooks
    .command("disable")
    .description("stop sending to an endpoint")
    .argument("<endpointId>")
    .action(async (id: string) => {
      await withWebhooks(globals(), async (hooks) => {
        const done = await hooks.disableEndpoint(id);
        if (!done.ok) return reportFailure(done.error);
        process.stdout.write(`${id} disabled\n`);
      });
    });
  webhooks
    .command("deliveries")
    .description("the delivery log, newest event first")
    .option("--endpoint <endpointId>")
    .option("--status <status>", "pending, delivered or failed")
    .option("--limit <n>", "how many", "50")
    .option("--json", "print JSON")
    .action(async (options: { endpoint?: string; status?: string; limit: string; json?: boolean }) => {
      await withWebhooks(globals(), async (hooks) => {
        const lines = await hooks.deliveries({
          endpointId: options.endpoint,
          status: options.status,
          limit: Number(options.limit),
        });
        process.stdout.write(
          options.json === true
            ? `${toJson(lines)}\n`
            : `${lines.map((d) => `${d.id}  ${d.eventType.padEnd(20)} ${d.status.padEnd(9)} attempts ${d.attempts}  last ${d.lastStatus ?? "-"}  next ${isoOrDash(d.nextAttemptAtMs)}`).join("\n")}\n`,
        );
      });
    });
  webhooks
    .command("redeliver")
    .description("send a delivery again (it goes back in its customer's queue, due now)")
    .argument("<deliveryId>")
    .action(async (id: string) => {
      await withWebhooks(globals(), async (hooks) => {
        const done = await hooks.redeliver(id);
        if (!done.ok) return reportFailure(done.error);
        process.stdout.write(`${id} queued\n`);
      });
    });
}
