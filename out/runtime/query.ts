// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/query.ts), never in an output: the next run would put it back.
import type { QueryParamSpec } from "./table.js";

const TRUE = new Set(["1", "t", "T", "true", "TRUE", "True"]);
const FALSE = new Set(["0", "f", "F", "false", "FALSE", "False"]);

/** True for what Go's strconv.ParseBool reads as true (how the apiserver reads `watch`, `pretty`, ...). */
export function isTrue(raw: string | null | undefined): boolean {
  return raw !== null && raw !== undefined && TRUE.has(raw);
}

/**
 * The declared query parameters of a request, typed (others are ignored, as the apiserver does); every
 * repeated value is checked and the first is used. A string is the message of a 400 answer.
 */
export function parseQuery(
  values: URLSearchParams,
  specs: ReadonlyArray<readonly [string, QueryParamSpec]>,
): Record<string, unknown> | string {
  const result: Record<string, unknown> = {};
  for (const [name, spec] of specs) {
    const all = values.getAll(name);
    for (const raw of all) {
      const problem = queryValueProblem(name, raw, spec);
      if (problem) return problem;
    }
    const raw = all[0];
    if (raw === undefined) continue;
    // defineProperty: a parameter named `__proto__` stays a parameter.
    Object.defineProperty(result, name, {
      value:
        spec.type === "boolean"
          ? TRUE.has(raw)
          : spec.type === "integer" || spec.type === "number"
            ? Number(raw)
            : raw,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

/** The apiserver's complaint about one value, or undefined when it is fine. */
export function queryValueProblem(
  name: string,
  raw: string,
  spec: QueryParamSpec,
): string | undefined {
  if (spec.type === "boolean") {
    return TRUE.has(raw) || FALSE.has(raw)
      ? undefined
      : `invalid value for query parameter "${name}": ${JSON.stringify(raw)} is not a boolean`;
  }
  if (spec.type === "integer" || spec.type === "number") {
    // The apiserver reads these with strconv.ParseInt / ParseFloat: no hex, no exponent on integers, no blanks.
    const ok =
      spec.type === "integer"
        ? /^[+-]?\d+$/.test(raw) && Number.isSafeInteger(Number(raw))
        : /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(raw) &&
          Number.isFinite(Number(raw));
    return ok
      ? undefined
      : `invalid value for query parameter "${name}": ${JSON.stringify(raw)} is not ${spec.type === "integer" ? "an integer" : "a number"}`;
  }
  if (spec.enum && !spec.enum.includes(raw)) {
    return `invalid value for query parameter "${name}": ${JSON.stringify(raw)}; supported values: ${spec.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return undefined;
}
