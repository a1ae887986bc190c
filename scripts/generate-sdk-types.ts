/**
 * Writes `sdk/schema.d.ts`, the TypeScript types of the OpenAPI document the server serves, so the
 * SDK's parameters, bodies and answers come from the routes' own schemas and cannot drift from them.
 * Run it with `npm run sdk:generate` after changing a route; a test fails while the file is stale.
 */
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { backends } from "../test/support/backends.js";
import { openHttpWorld } from "../test/support/http.js";

const ROOT_DIR = fileURLToPath(new URL("..", import.meta.url));
export const SCHEMA_FILE = "sdk/schema.d.ts";
export const SCHEMA_PATH = fileURLToPath(new URL(`../${SCHEMA_FILE}`, import.meta.url));
/** The generated file is about 100 KB; Biome's formatted copy comes back through this buffer. */
const FORMAT_OUTPUT_BYTES_MAX = 16 * 1024 * 1024;

const SCHEMA_HEADER = [
  "/**",
  " * Generated from the OpenAPI document served at /openapi.json: do not edit by hand.",
  " * Regenerate with `npm run sdk:generate` (scripts/generate-sdk-types.ts).",
  " */",
  "",
].join("\n");

/** The document exactly as served, from the app built the way the HTTP tests build it. */
export async function servedDocument(): Promise<OpenAPI3> {
  // Embedded PGlite in memory: the document depends only on the routes, never on the data.
  const backend = backends().find((candidate) => candidate.name === "pglite");
  if (backend === undefined) throw new Error("no embedded backend");
  const world = await openHttpWorld(backend);
  try {
    const response = await world.app.request("/openapi.json");
    if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
    return (await response.json()) as OpenAPI3;
  } finally {
    await world.close();
    await backend.cleanup();
  }
}

/** The text of `sdk/schema.d.ts` for a document, formatted the way `biome check --write` leaves it. */
export async function renderSchema(document: OpenAPI3): Promise<string> {
  // The document's `required` lists are the truth: a field with a default stays optional in a body.
  const nodes = await openapiTS(document, { defaultNonNullable: false, immutable: true });
  return formatWithBiome(`${SCHEMA_HEADER}${astToString(nodes)}`);
}

/** Biome formats the file like every other one, so `biome check --write` never makes it stale. */
function formatWithBiome(text: string): string {
  const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
  return execFileSync(process.execPath, [biome, "format", `--stdin-file-path=${SCHEMA_FILE}`], {
    cwd: ROOT_DIR,
    input: text,
    encoding: "utf8",
    maxBuffer: FORMAT_OUTPUT_BYTES_MAX,
  });
}

export async function main(): Promise<void> {
  const text = await renderSchema(await servedDocument());
  const before = await readFile(SCHEMA_PATH, "utf8").catch(() => null);
  if (before === text) {
    console.log(`${SCHEMA_FILE} is up to date`);
    return;
  }
  await writeFile(SCHEMA_PATH, text);
  console.log(`wrote ${SCHEMA_FILE}`);
}
