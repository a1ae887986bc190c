/** What the gifting and referral program commands share: storing terms from a JSON file. */
import type { Command } from "commander";
import type { Outcome } from "../core/errors.js";
import type { Engine } from "../engine/engine.js";
import type { SavedProgram } from "../engine/programs.js";
import { type GlobalOptions, readJsonFile, withEngine } from "./context.js";
import { print } from "./usage-commands.js";

type Save = (engine: Engine, programId: string, spec: unknown) => Promise<SavedProgram>;

/** `put ID FILE`: store the file's terms as the program's next version (none when unchanged). */
export function addProgramPutCommand(
  group: Command,
  globals: () => GlobalOptions,
  kind: string,
  save: Save,
): void {
  group
    .command("put")
    .description(`store a ${kind} program's terms from a JSON file as its next version`)
    .argument("<programId>")
    .argument("<file>")
    .option("--json", "print JSON")
    .action(async (programId: string, file: string, options: { json?: boolean }) => {
      const spec = await readJsonFile(file);
      await withEngine(globals(), async (engine) => {
        const saved: Outcome<{ program: { id: string; version: number }; created: boolean }> = await save(
          engine,
          programId,
          spec,
        );
        print(
          saved,
          options.json === true,
          (value) =>
            `program ${value.program.id} v${value.program.version}${value.created ? " stored" : " unchanged"}`,
          null,
        );
      });
    });
}
