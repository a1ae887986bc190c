/**
 * `boon start` for the end-to-end tests: the built command line in a child process, serving the API,
 * the built web pages and the demo host on a port of its own, with the demo seeded on a fresh
 * database: an embedded PGlite folder, or a new database on the PostgreSQL server of DATABASE_URL.
 * Every wait is on an output line, bounded by a deadline.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import postgres from "postgres";
import { migrate } from "../../../src/store/migrator.js";
import { openStore } from "../../../src/store/store.js";
import { databaseUrlFor } from "../../support/backends.js";

const MAIN = new URL("../../../dist/cli/main.js", import.meta.url).pathname;
const WEB_INDEX = new URL("../../../dist/web/index.html", import.meta.url).pathname;
/** A slow, shared machine gets this long to start or stop the server. */
const START_MS_MAX = 60_000;
const STOP_MS_MAX = 30_000;
/** A port picked free may be taken by someone else before the server binds it: try a few. */
const START_ATTEMPTS_MAX = 3;
/**
 * The sweep qualifies referrals and grants their rewards; the default 30 s would make a test wait
 * that long for a reward, so the tests' server sweeps every second.
 */
const SWEEP_INTERVAL_SECONDS = 1;

export type E2eBackend = "pglite" | "postgres";

/** Embedded PGlite always, and the PostgreSQL server too when DATABASE_URL is set. */
export function e2eBackends(): E2eBackend[] {
  const url = process.env.DATABASE_URL;
  return url === undefined || url === "" ? ["pglite"] : ["pglite", "postgres"];
}

/** The pages are served from `vite build`'s output: without it the browser would find no page. */
export function requireBuiltPages(): void {
  for (const path of [MAIN, WEB_INDEX])
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first (npm test does)`);
}

export interface RunningBoon {
  readonly backend: E2eBackend;
  /** Where the pages and the API answer, and where gift and invite links point. */
  readonly url: string;
  /** Accepted as an admin key (`BOON_ADMIN_KEY`), for the console and for API calls. */
  readonly adminKey: string;
  /** Everything the process printed so far, for a failure's message. */
  output(): string;
  /** SIGTERM and the exit, then the database is removed. */
  stop(): Promise<void>;
}

interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  readonly exited: Promise<number | null>;
}

function deadline<T>(what: string, limitMs: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${limitMs} ms waiting for ${what}`)), limitMs);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port was picked");
  return address.port;
}

/** The parent's environment without anything that would change how `start` behaves. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("BOON_")) delete env[name];
  delete env.PORT;
  return { ...env, DATABASE_URL: "", ...extra };
}

function spawnStart(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [MAIN, "start"], { env: childEnv(env) });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on("line", (text) => lines.push(text));
  createInterface({ input: child.stderr }).on("line", (text) => lines.push(text));
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  // A worker that dies must not leave a server running.
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  void exited.then(() => process.off("exit", kill));
  return { process: child, lines, exited };
}

/** Resolves with the port once the server says it listens; null if it exited first. */
function listening(child: Child): Promise<number | null> {
  return new Promise((resolve) => {
    const check = () => {
      for (const text of child.lines) {
        if (!text.includes('"msg":"serving the HTTP API"')) continue;
        const { port } = JSON.parse(text) as { port: number };
        return resolve(port);
      }
    };
    child.process.stdout.on("data", () => setImmediate(check));
    void child.exited.then(() => {
      check();
      resolve(null);
    });
  });
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill("SIGTERM");
  try {
    await deadline("boon to stop", STOP_MS_MAX, child.exited);
  } catch {
    child.process.kill("SIGKILL");
    await child.exited;
  }
}

interface Database {
  readonly env: Record<string, string>;
  remove(): Promise<void>;
}

function embeddedDatabase(): Database {
  const parent = mkdtempSync(join(tmpdir(), "boon-e2e-"));
  return {
    env: { BOON_DATA_DIR: join(parent, "data") },
    remove: async () => rmSync(parent, { recursive: true, force: true }),
  };
}

/** A new database, migrated (a server's schema changes only by `boon migrate`), with the demo asked for. */
async function serverDatabase(baseUrl: string): Promise<Database> {
  const database = `boon_e2e_${randomBytes(6).toString("hex")}`;
  const admin = () => postgres(baseUrl, { max: 1, onnotice: () => {} });
  const create = admin();
  await create.unsafe(`CREATE DATABASE ${database}`);
  await create.end();
  const databaseUrl = databaseUrlFor(baseUrl, database);
  const store = await openStore({ databaseUrl });
  try {
    await migrate(store);
  } finally {
    await store.close();
  }
  return {
    env: { DATABASE_URL: databaseUrl, BOON_DEMO: "1" },
    async remove() {
      const drop = admin();
      await drop.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/** `env` adds settings for this server (say `BOON_CORS_ORIGINS`) to the ones every test needs. */
export async function startBoon(backend: E2eBackend, env: Record<string, string> = {}): Promise<RunningBoon> {
  requireBuiltPages();
  const database =
    backend === "pglite" ? embeddedDatabase() : await serverDatabase(process.env.DATABASE_URL ?? "");
  const adminKey = `boon_sk_e2e_${randomBytes(16).toString("hex")}`;
  const failures: string[] = [];
  for (let attempt = 1; attempt <= START_ATTEMPTS_MAX; attempt++) {
    const port = await freePort();
    // Links are written with the public URL, so it must be this server's own address.
    const url = `http://127.0.0.1:${port}`;
    const child = spawnStart({
      ...database.env,
      PORT: String(port),
      BOON_PUBLIC_URL: url,
      BOON_ADMIN_KEY: adminKey,
      BOON_SWEEP_INTERVAL_SECONDS: String(SWEEP_INTERVAL_SECONDS),
      ...env,
    });
    const bound = await deadline("boon to listen", START_MS_MAX, listening(child)).catch(async (error) => {
      await stopChild(child);
      throw new Error(`${String(error)}\n${child.lines.join("\n")}`);
    });
    if (bound === port)
      return {
        backend,
        url,
        adminKey,
        output: () => child.lines.join("\n"),
        async stop() {
          await stopChild(child);
          await database.remove();
        },
      };
    await stopChild(child);
    failures.push(child.lines.join("\n"));
    if (!failures.at(-1)?.includes("EADDRINUSE")) break;
  }
  await database.remove();
  throw new Error(`boon did not start:\n${failures.join("\n---\n")}`);
}
