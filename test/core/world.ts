/**
 * One customer's wallet driven through the pure decider the way the engine drives it: every command
 * runs in a fresh BatchState over the state as it would be stored, with the same wallet object
 * carried from batch to batch.
 */
import fc from "fast-check";
import { createIdGenerator, type IdGenerator } from "../../src/core/ids.js";
import {
  type Command,
  createBatchState,
  type Decision,
  decide,
  type PostedTransfer,
  type Transfer,
  type Wallet,
  walletAvailableMinor,
} from "../../src/core/ledger.js";

export const CUSTOMER = "alice";
export const ACCOUNT = "acc_alice";
export const START_MS = Date.UTC(2026, 5, 1);

export interface World {
  readonly clock: { nowMs: number };
  readonly ids: IdGenerator;
  readonly wallet: Wallet;
  /** Ledger lot ids in grant order, and ledger hold ids in the order the holds were placed. */
  readonly lotIds: string[];
  readonly holdIds: string[];
  /** Every transfer posted so far, oldest first. */
  readonly transfers: Transfer[];
}

export function createWorld(): World {
  const clock = { nowMs: START_MS };
  let seed = 0;
  const bytes = (size: number) =>
    Uint8Array.from({ length: size }, () => {
      seed = (seed * 31 + 7) % 256;
      return seed;
    });
  return {
    clock,
    ids: createIdGenerator(bytes, () => clock.nowMs),
    wallet: {
      customerId: CUSTOMER,
      accountId: ACCOUNT,
      balanceMinor: 0n,
      lots: new Map(),
      holds: new Map(),
    },
    lotIds: [],
    holdIds: [],
    transfers: [],
  };
}

/** A posted transfer as the store would load it for a reversal: with who reversed it, if anyone. */
function loadPosted(world: World, transferId: string): PostedTransfer | null {
  const transfer = world.transfers.find((candidate) => candidate.id === transferId);
  if (transfer === undefined) return null;
  const reversal = world.transfers.find((candidate) => candidate.reversesTransferId === transferId);
  return {
    id: transfer.id,
    kind: transfer.kind,
    customerId: transfer.customerId,
    reversedBy: reversal?.id ?? null,
    entries: transfer.entries,
  };
}

/** Run one command as the engine would: a fresh batch over state loaded as it is stored. */
export function runBatch(
  world: World,
  command: Command,
): { decision: Decision; transfers: readonly Transfer[] } {
  const state = createBatchState(world.clock.nowMs, 1);
  state.wallets.set(CUSTOMER, world.wallet);
  // The engine fills holdOwners from the store; holds placed in earlier batches must be known here.
  for (const holdId of world.holdIds) state.holdOwners.set(holdId, CUSTOMER);
  if (command.type === "reverse") {
    const posted = loadPosted(world, command.transferId);
    if (posted !== null) state.postedTransfers.set(posted.id, posted);
  }
  const decision = decide(state, command, `key-${world.transfers.length}`, world.ids);
  if (decision.ok && decision.result.type === "grant") world.lotIds.push(decision.result.lotId);
  if (decision.ok && decision.result.type === "hold") world.holdIds.push(decision.result.hold.id);
  world.transfers.push(...state.transfers);
  return { decision, transfers: state.transfers };
}

export function grant(world: World, amountMinor: bigint, expiresInMs: number | null, priority = 10): string {
  const { decision } = runBatch(world, {
    type: "grant",
    customerId: CUSTOMER,
    amountMinor,
    kind: "promotional",
    priority,
    effectiveAtMs: null,
    expiresAtMs: expiresInMs === null ? null : world.clock.nowMs + expiresInMs,
    transferable: false,
    source: "operator",
    reason: null,
  });
  if (!decision.ok || decision.result.type !== "grant") throw new Error("setup grant was refused");
  return decision.result.lotId;
}

export const available = (world: World): bigint => walletAvailableMinor(world.wallet, world.clock.nowMs);

export const errorCode = (decision: Decision): string => (decision.ok ? "ok" : decision.error.code);

export interface GrantSpec {
  readonly amountMinor: bigint;
  readonly priority: number;
  readonly expiresInMs: number | null;
  readonly gapMs: number;
}

export const walletGrantsArb: fc.Arbitrary<GrantSpec[]> = fc.array(
  fc.record({
    amountMinor: fc.bigInt({ min: 1n, max: 200n }),
    priority: fc.constantFrom(0, 10, 100),
    expiresInMs: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
    gapMs: fc.integer({ min: 0, max: 20_000 }),
  }),
  { minLength: 1, maxLength: 8 },
);

/** A wallet built from grants spread over time, looked at once the last grant is in. */
export function walletFrom(grants: readonly GrantSpec[]): World {
  const world = createWorld();
  for (const spec of grants) {
    world.clock.nowMs += spec.gapMs;
    grant(world, spec.amountMinor, spec.expiresInMs, spec.priority);
  }
  return world;
}

export const lotsOf = (world: World) =>
  [...world.wallet.lots.values()].map((lot) => ({
    id: lot.id,
    remaining: lot.remainingMinor,
    held: lot.heldMinor,
  }));
