/**
 * The writer process of the crash test, meant to be killed with SIGKILL mid-stream. It runs the
 * compiled engine (`npm run build` makes `dist/`) on the store its argument names, keeps a window of
 * writes in flight, and prints one JSON line per request: `begin` (with the full request) before it
 * is sent, and `ack` (with the answer) once the engine has answered it. The parent learns from these
 * lines what was acknowledged and what was only attempted.
 *
 * Writes to a pipe are synchronous on Linux and a short line is written atomically, so a printed line
 * is whole and out of this process before the next statement runs: an `ack` the parent reads was
 * acknowledged before the kill.
 *
 * Argument: JSON `{ store, startMs, round, customers, inFlight, batchSizeMax, requestsMax }`, where `store` is
 * `{ dataDir }` (PGlite) or `{ databaseUrl }` (PostgreSQL).
 */
import { ManualClock } from "../../dist/core/clock.js";
import { createEngine } from "../../dist/engine/engine.js";
import { openStore } from "../../dist/store/store.js";

const HOLD_TTL_SECONDS = 3600;
const GRANT_AMOUNT_MINOR = 50;

/**
 * Request `index` of a round: consumes, some holds, some authorizations, a grant every tenth; all
 * deterministic.
 */
function requestFor(round, customers, index) {
  const customerId = customers[index % customers.length];
  const idempotencyKey = `round${round}-${index}`;
  if (index % 10 === 0) {
    return {
      op: "grant",
      input: { customerId, amountMinor: GRANT_AMOUNT_MINOR, kind: "promotional", idempotencyKey },
    };
  }
  if (index % 10 === 3 || index % 10 === 7) {
    return {
      op: "hold",
      input: { customerId, amountMinor: 20, ttlSeconds: HOLD_TTL_SECONDS, idempotencyKey },
    };
  }
  if (index % 10 === 5 || index % 10 === 9) {
    return {
      op: "authorize",
      input: { customerId, action: "message", quantity: 1 + (index % 3), idempotencyKey },
    };
  }
  return { op: "consume", input: { customerId, amountMinor: 1 + ((index * 37) % 29), idempotencyKey } };
}

const print = (line) =>
  process.stdout.write(
    `${JSON.stringify(line, (_key, value) => (typeof value === "bigint" ? value.toString() : value))}\n`,
  );

function send(engine, request) {
  switch (request.op) {
    case "grant":
      return engine.grant(request.input);
    case "hold":
      return engine.hold(request.input);
    case "authorize":
      return engine.authorize(request.input);
    default:
      return engine.consume(request.input);
  }
}

async function main() {
  const config = JSON.parse(process.argv[2] ?? "{}");
  const store = await openStore(config.store);
  const engine = await createEngine({
    store,
    clock: new ManualClock(config.startMs),
    batchSizeMax: config.batchSizeMax,
  });
  let next = 0;
  // A fixed number of workers, each sending its next request as soon as the last is answered, keeps
  // the batcher full: whenever the parent pulls the trigger, batches are in flight.
  const worker = async () => {
    while (next < config.requestsMax) {
      const request = requestFor(config.round, config.customers, next);
      next += 1;
      print({ event: "begin", key: request.input.idempotencyKey, op: request.op, input: request.input });
      const answer = await send(engine, request);
      print({ event: "ack", key: request.input.idempotencyKey, op: request.op, answer });
    }
  };
  await Promise.all(Array.from({ length: config.inFlight }, worker));
  print({ event: "done" });
  await store.close();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
