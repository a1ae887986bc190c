/**
 * Every command a group-commit batch can carry, ledger and usage alike, and the one entry point that
 * decides each of them against the batch state.
 */

import type { Failure } from "./errors.js";
import type { IdGenerator } from "./ids.js";
import { type BatchState, type Command, type CommandResult, decide } from "./ledger.js";
import {
  checkLowCredits,
  decideAuthorize,
  decideGrantReset,
  decideRedeemReset,
  type UsageCommand,
  type UsageResult,
} from "./usage-commands.js";

export type BatchCommand = Command | UsageCommand;
export type BatchResult = CommandResult | UsageResult;
export type BatchDecision =
  | { readonly ok: true; readonly result: BatchResult }
  | { readonly ok: false; readonly error: Failure };

export function decideCommand(
  state: BatchState,
  command: BatchCommand,
  key: string | null,
  ids: IdGenerator,
): BatchDecision {
  const decision = decideOne(state, command, key, ids);
  checkLowCredits(state, ids);
  return decision;
}

function decideOne(
  state: BatchState,
  command: BatchCommand,
  key: string | null,
  ids: IdGenerator,
): BatchDecision {
  switch (command.type) {
    case "authorize":
      return decideAuthorize(state, command, key, ids);
    case "grant_reset":
      return decideGrantReset(state, command, key, ids);
    case "redeem_reset":
      return decideRedeemReset(state, command, ids);
    default:
      return decide(state, command, key, ids);
  }
}
