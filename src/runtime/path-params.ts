// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/path-params.ts), never in an output: the next run would put it back.
import type { CompiledRoute } from "./router.js";
import { type Status, statusObject } from "./status.js";
import { nameProblem, pathSegmentProblems } from "./validate.js";

/**
 * Path parameters, decoded and checked as the apiserver checks names: `.`, `..`, `/` and `%` (after
 * decoding) are a 400; a name that no object of this kind can have, or a namespace that cannot exist, is
 * a 404.
 */
export function parsePathParams(
  r: CompiledRoute,
  raw: readonly string[],
): { values: Record<string, string> } | { error: Status & { code: number } } {
  const values: Record<string, string> = {};
  for (let index = 0; index < r.pathParams.length; index++) {
    const name = r.pathParams[index]!;
    const label = name === "namespace" ? "Namespace" : "Name";
    const encoded = raw[index]!;
    let value: string;
    try {
      // Without a `%` there is nothing to decode.
      value = encoded.includes("%") ? decodeURIComponent(encoded) : encoded;
    } catch {
      return {
        error: statusObject(
          400,
          "BadRequest",
          `${label} parameter invalid: ${JSON.stringify(raw[index])}: invalid percent-encoding`,
        ),
      };
    }
    const problems = pathSegmentProblems(value);
    if (problems.length)
      return {
        error: statusObject(
          400,
          "BadRequest",
          `${label} parameter invalid: ${JSON.stringify(value)}: ${problems.join(";")}`,
        ),
      };
    if (name === "namespace" && nameProblem(value, "label") !== undefined) {
      return {
        error: statusObject(404, "NotFound", `namespaces ${JSON.stringify(value)} not found`, {
          name: value,
          kind: "namespaces",
        }),
      };
    }
    if (name === "name" && nameProblem(value, r.kind.names) !== undefined) {
      return {
        error: statusObject(404, "NotFound", `${r.resource} ${JSON.stringify(value)} not found`, {
          name: value,
          kind: r.resource,
        }),
      };
    }
    // defineProperty: a parameter named `__proto__` stays a parameter (any other name is set as usual).
    if (name === "__proto__")
      Object.defineProperty(values, name, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else values[name] = value;
  }
  return { values };
}
