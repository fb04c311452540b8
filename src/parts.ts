import { GenBindingError } from "./errors.js";

/** The parts of an output a run can emit (`--emit`): models always come along with the others. */
export const EMIT_PARTS = ["models", "client", "routes", "node", "discovery"] as const;
export type EmitPart = (typeof EMIT_PARTS)[number];

/**
 * The parts of a run without `--emit`: all but `discovery`, the OpenAPI slice a test double serves to
 * kubectl (as large as the slice), which only those who serve it should carry.
 */
export const DEFAULT_PARTS: readonly EmitPart[] = ["models", "client", "routes", "node"];

/**
 * `--emit client,node` -> the parts, with `models` added (the client, the routes and node.ts all refer to
 * the models) and `routes` with `discovery` (it is an option of the routes). Unknown names are refused,
 * naming the known ones. Default: {@link DEFAULT_PARTS}.
 */
export function parseEmitParts(values: readonly string[] | undefined): Set<EmitPart> {
  if (values === undefined || values.length === 0) return new Set(DEFAULT_PARTS);
  const parts = new Set<EmitPart>(["models"]);
  for (const value of values) {
    for (const word of value.split(",").map((w) => w.trim())) {
      if (!(EMIT_PARTS as readonly string[]).includes(word)) throw new GenBindingError(`--emit ${JSON.stringify(word)} is not a part: use ${EMIT_PARTS.join(", ")} (comma-separated)`);
      parts.add(word as EmitPart);
    }
  }
  if (parts.has("discovery")) parts.add("routes");
  return parts;
}
