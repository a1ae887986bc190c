/**
 * Programs' terms as versions, for every kind of program (gifting, referral): saving a whole spec,
 * patching one (a JSON merge patch, merged under the program's lock), reading the current version.
 * Every kind shares one id space, so `/v1/programs/{id}` names one program. With an idempotency key,
 * a retried write replays its first answer even when another change came between.
 */
import type { Clock } from "../core/clock.js";
import { fail, type Outcome, ok } from "../core/errors.js";
import type { JsonValue } from "../core/json-lines.js";
import { PlanSpecError } from "../core/plan-spec.js";
import {
  currentPrograms,
  lockCurrentProgram,
  type ProgramTable,
  programVersion,
  putProgram,
  type StoredProgram,
} from "../store/programs-repo.js";
import type { Queryable, Store } from "../store/store.js";
import { onceByKey } from "./once.js";
import { checkKey } from "./validate.js";

export interface ProgramView {
  readonly id: string;
  readonly version: number;
  readonly createdAtMs: number;
  readonly spec: { [key: string]: JsonValue };
}

/** How one kind of program is stored, read (throwing `PlanSpecError`) and written back. */
export interface ProgramKind<P extends { readonly version: number }> {
  readonly table: ProgramTable;
  readonly name: string;
  read(id: string, version: number, spec: JsonValue | undefined): P;
  write(program: P): { [key: string]: JsonValue };
}

const ALL_TABLES: readonly ProgramTable[] = ["gift_programs", "referral_programs"];

export type SavedProgram = Outcome<{ program: ProgramView; created: boolean }>;

export class Programs<P extends { readonly version: number }> {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly kind: ProgramKind<P>,
  ) {}

  async save(programId: string, spec: unknown, idempotencyKey?: string): Promise<SavedProgram> {
    const program = this.parse(programId, spec);
    if (!program.ok) return program;
    const operation = `save_${this.kind.table}`;
    return this.write(programId, operation, { programId, spec }, idempotencyKey, async () => program);
  }

  /** A JSON merge patch of the terms: objects merge, `null` removes a field, lists are replaced. */
  async patch(programId: string, patch: unknown, idempotencyKey?: string): Promise<SavedProgram> {
    if (typeof patch !== "object" || patch === null || Array.isArray(patch))
      return fail("invalid_request", "a patch must be a JSON object");
    const body = { programId, patch };
    return this.write(programId, `patch_${this.kind.table}`, body, idempotencyKey, async (tx) => {
      const current = await lockCurrentProgram(tx, this.kind.table, programId);
      if (current === null) return fail("not_found", `no ${this.kind.name} program ${programId}`);
      return this.parse(programId, mergePatch(current.spec as JsonValue, patch as JsonValue));
    });
  }

  async get(programId: string): Promise<Outcome<ProgramView>> {
    const [stored] = await currentPrograms(this.store, this.kind.table, programId);
    if (stored === undefined) return fail("not_found", `no ${this.kind.name} program ${programId}`);
    return ok(this.view(stored, this.asProgram(stored)));
  }

  async list(): Promise<ProgramView[]> {
    const stored = await currentPrograms(this.store, this.kind.table);
    return stored.map((row) => this.view(row, this.asProgram(row)));
  }

  /** The current terms, or null when there is no such program. */
  async current(db: Queryable, programId: string): Promise<P | null> {
    const [stored] = await currentPrograms(db, this.kind.table, programId);
    return stored === undefined ? null : this.asProgram(stored);
  }

  async all(db: Queryable): Promise<P[]> {
    return (await currentPrograms(db, this.kind.table)).map((row) => this.asProgram(row));
  }

  /** The terms a gift or a referral was made under. */
  async version(db: Queryable, programId: string, version: number): Promise<P> {
    const stored = await programVersion(db, this.kind.table, programId, version);
    if (stored === null) throw new Error(`no version ${version} of ${this.kind.name} program ${programId}`);
    return this.asProgram(stored);
  }

  private asProgram(stored: StoredProgram): P {
    return this.kind.read(stored.id, stored.version, stored.spec as JsonValue);
  }

  private view(stored: StoredProgram, program: P): ProgramView {
    return {
      id: stored.id,
      version: stored.version,
      createdAtMs: stored.createdAtMs,
      spec: this.kind.write(program),
    };
  }

  private parse(programId: string, spec: unknown): Outcome<P> {
    try {
      return ok(this.kind.read(programId, 1, spec as JsonValue));
    } catch (error) {
      if (error instanceof PlanSpecError)
        return fail("invalid_request", `program ${programId}: ${error.message}`);
      throw error;
    }
  }

  private async write(
    programId: string,
    operation: string,
    body: unknown,
    idempotencyKey: string | undefined,
    termsIn: (tx: Queryable) => Promise<Outcome<P>>,
  ): Promise<SavedProgram> {
    const nowMs = this.clock.nowMs();
    const write = async (tx: Queryable): Promise<SavedProgram> => {
      for (const table of ALL_TABLES.filter((other) => other !== this.kind.table)) {
        if ((await currentPrograms(tx, table, programId)).length > 0)
          return fail("invalid_request", `program id ${programId} is taken by another kind of program`);
      }
      const terms = await termsIn(tx);
      if (!terms.ok) return terms;
      const text = JSON.stringify(this.kind.write(terms.value));
      const saved = await putProgram(tx, this.kind.table, programId, text, nowMs);
      const [stored] = await currentPrograms(tx, this.kind.table, programId);
      if (stored === undefined) throw new Error(`program ${programId} vanished after it was saved`);
      return ok({
        program: this.view(stored, { ...terms.value, version: stored.version }),
        created: saved.created,
      });
    };
    if (idempotencyKey === undefined) return this.store.transaction(write);
    const key = checkKey(idempotencyKey);
    if (!key.ok) return key;
    return onceByKey(this.store, { key: key.value, operation, body, nowMs }, write);
  }
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const base: { [key: string]: JsonValue } =
    typeof target === "object" && target !== null && !Array.isArray(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete base[name];
    // defineProperty keeps a key such as "__proto__" as data.
    else
      Object.defineProperty(base, name, {
        value: mergePatch(base[name] ?? null, value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return base;
}
