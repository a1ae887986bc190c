#!/usr/bin/env node
/** `boon`: the command line. Each command is a thin shell over the engine. */
import { Command, CommanderError } from "commander";
import { DataDirBusyError } from "../store/pglite.js";
import { registerBundlesCommands } from "./bundles-commands.js";
import { CliError, type GlobalOptions } from "./context.js";
import { registerGiftsCommands } from "./gifts-commands.js";
import { registerKeysCommands } from "./keys-commands.js";
import { registerLedgerCommands } from "./ledger-commands.js";
import { registerOperationsCommands } from "./operations-commands.js";
import { registerReferralsCommands } from "./referrals-commands.js";
import { registerUsageCommands } from "./usage-commands.js";
import { registerWebhooksCommands } from "./webhooks-commands.js";

export function buildProgram(): Command {
  const program = new Command("boon")
    .description("Boon: a credit economy engine for usage-metered products")
    .option("--database-url <url>", "PostgreSQL server (default: $DATABASE_URL; otherwise embedded PGlite)")
    .option("--data-dir <dir>", "embedded data folder (default: $BOON_DATA_DIR or ./.boon)")
    .showHelpAfterError();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  registerOperationsCommands(program, globals);
  registerLedgerCommands(program, globals);
  registerUsageCommands(program, globals);
  registerKeysCommands(program, globals);
  registerWebhooksCommands(program, globals);
  registerGiftsCommands(program, globals);
  registerReferralsCommands(program, globals);
  registerBundlesCommands(program, globals);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof CliError || error instanceof DataDirBusyError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = error instanceof CliError ? error.exitCode : 1;
      return;
    }
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}

await main(process.argv);
