import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "../../src/generate.js";
import { EXAMPLE_SPEC, tempDir } from "./run.js";

/**
 * Generates the example into a fresh folder and imports the emitted modules, so tests run the real
 * generated code. Typed loosely on purpose: the compile tests check the types.
 */
export async function loadGenerated(spec = EXAMPLE_SPEC, kind = "Binding"): Promise<{ dir: string; client: any; routes: any; node: any }> {
  const dir = tempDir("gen");
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  await generate({ spec, out: dir, kind });
  const client = await import(join(dir, "client.ts"));
  const routes = await import(join(dir, "routes.ts"));
  const node = await import(join(dir, "node.ts"));
  return { dir, client, routes, node };
}

/**
 * The client's two transports, for `describe.each`: the global fetch, and node.ts's nodeFetch of the output
 * `generated()` gives once it is loaded (over plain http in these tests).
 */
export function transports(generated: () => { node: any }): Array<[string, () => Record<string, unknown>]> {
  return [
    ["the global fetch", () => ({})],
    ["nodeFetch", () => ({ fetch: generated().node.nodeFetch() })],
  ];
}
