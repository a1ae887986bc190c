import type { Command } from "commander";
import { systemClock } from "../core/clock.js";
import { systemIds } from "../engine/engine.js";
import { createKeys, type Keys } from "../engine/keys.js";
import { type GlobalOptions, reportFailure, toJson, withStore } from "./context.js";

type Globals = () => GlobalOptions;

const withKeys = (options: GlobalOptions, work: (keys: Keys) => Promise<void>): Promise<void> =>
  withStore(options, (store) => work(createKeys(store, systemClock, systemIds())));

const isoOrDash = (ms: number | null): string => (ms === null ? "-" : new Date(ms).toISOString());

export function registerKeysCommands(program: Command, globals: Globals): void {
  const keys = program.command("keys").description("secret server keys for the HTTP API");
  keys
    .command("create")
    .description("create a key; its secret is printed once and stored only as a hash")
    .requiredOption("--name <name>", "what the key is for")
    .option("--scope <scope>", "admin or server", "server")
    .option("--json", "print JSON")
    .action(async (options: { name: string; scope: string; json?: boolean }) => {
      await withKeys(globals(), async (store) => {
        const created = await store.create({ name: options.name, scope: options.scope });
        if (!created.ok) return reportFailure(created.error);
        const { key, secret } = created.value;
        process.stdout.write(
          options.json === true
            ? `${toJson({ ...key, secret })}\n`
            : `${key.id} (${key.scope}, ${key.name})\nsecret: ${secret}\nstore it now: it is not shown again\n`,
        );
      });
    });
  keys
    .command("list")
    .description("every key, live and revoked (never their secrets)")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withKeys(globals(), async (store) => {
        const all = await store.list();
        process.stdout.write(
          options.json === true
            ? `${toJson(all)}\n`
            : `${all.map((k) => `${k.id}  ${k.scope.padEnd(6)}  ${k.name}  created ${isoOrDash(k.createdAtMs)}  revoked ${isoOrDash(k.revokedAtMs)}`).join("\n")}\n`,
        );
      });
    });
  keys
    .command("revoke")
    .description("revoke a key for good")
    .argument("<keyId>")
    .action(async (keyId: string) => {
      await withKeys(globals(), async (store) => {
        const revoked = await store.revoke(keyId);
        if (!revoked.ok) return reportFailure(revoked.error);
        process.stdout.write(`${keyId} revoked at ${isoOrDash(revoked.value.revokedAtMs)}\n`);
      });
    });
}
