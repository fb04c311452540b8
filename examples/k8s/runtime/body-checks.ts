// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/body-checks.ts), never in an output: the next run would put it back.
import { type Place, fieldPath, note } from "./bounds.js";
import { readBody, type BodyRead } from "./request-body.js";
import type { CompiledRoute } from "./router.js";
import { type Status, statusObject } from "./status.js";
import { PATCH_MEDIA_TYPES, type PatchType } from "./table.js";
import {
  type Shape,
  checkBody,
  checkNamesMatch,
  checkObjectNames,
  checkTypeMeta,
  invalid,
} from "./validate.js";

/** How the apiserver applies a PATCH body, by its media type: the table's media types, read backwards. */
const PATCH_TYPES: ReadonlyMap<string, PatchType> = new Map(
  Object.entries(PATCH_MEDIA_TYPES).map(([type, mediaType]) => [mediaType, type as PatchType]),
);

/** The media types of an object's body (creates and updates); patches list their own. */
const OBJECT_TYPES: readonly string[] = ["application/json", "application/yaml"];

/**
 * An operation's request body, read, decoded and checked in the apiserver's order: media type (415),
 * size and time (413, 408), syntax (400), schema and names (422), kind and namespace (400), then unknown
 * and duplicate fields as `fieldValidation` says (400 for Strict, warnings for Warn), and last prototype
 * keys (400). Patches are decoded and refused with prototype keys, not checked against the kind (a patch is
 * no object of it).
 */
export async function checkedBody(
  table: { shapes: Readonly<Record<string, Shape>> },
  r: CompiledRoute,
  params: Record<string, string>,
  fieldValidation: unknown,
  contentType: string | undefined,
  read: () => Promise<BodyRead>,
  limits: { limit: number; timeoutMs: number; parseYaml?: (text: string) => unknown },
): Promise<
  | { value: unknown; warnings: string[]; patchType?: PatchType }
  | { error: Status & { code: number }; headers: Record<string, string> }
> {
  const body = r.operation.body!;
  const isPatch = body.contentTypes !== undefined;
  const fail = (error: Status & { code: number }, headers: Record<string, string> = {}) => ({
    error,
    headers,
  });
  const decoded = await readBody(
    contentType,
    body.contentTypes ?? OBJECT_TYPES,
    read,
    limits.limit,
    limits.timeoutMs,
    // A body without Content-Type is JSON, as the apiserver decodes it; a patch must say its type.
    {
      fallback: isPatch ? undefined : "application/json",
      ...(limits.parseYaml ? { parseYaml: limits.parseYaml } : {}),
    },
  );
  if ("error" in decoded) return fail(decoded.error, decoded.close ? { connection: "close" } : {});
  const value = decoded.value;
  if (value === undefined && body.required)
    return fail(statusObject(400, "BadRequest", "the request body is required"));
  // Kubernetes reads null as "not set" inside an object, but a null object is no object (the apiserver's message).
  if (value === null && !isPatch)
    return fail(statusObject(400, "BadRequest", "Object 'Kind' is missing in 'null'"));
  if (value === undefined) return { value, warnings: [] };
  // A patch is merged into objects by handlers: no key of it may reach a prototype.
  if (isPatch) {
    const patchType = PATCH_TYPES.get(decoded.mediaType);
    return hygienic(value) ?? { value, warnings: [], ...(patchType ? { patchType } : {}) };
  }
  const isKind = body.type === r.kind.type;
  const { problems, unknown } = checkBody(value, body.type, table.shapes);
  if (isKind)
    for (const cause of checkObjectNames(value, r.kind.names)) note(problems, () => cause);
  if (problems.items.length) return fail(invalid(body.type, r.kind.group, value, params, problems));
  const mismatch = isKind
    ? (checkTypeMeta(value, r.kind) ??
      checkNamesMatch(value, params, r.operation.method !== "POST"))
    : undefined;
  if (mismatch) return fail(statusObject(400, "BadRequest", mismatch));
  const fieldProblems = [
    ...unknown.items.map((f) => `unknown field ${JSON.stringify(f)}`),
    ...decoded.duplicates.items.map((f) => `duplicate field ${JSON.stringify(f)}`),
  ];
  const omitted = unknown.omitted + decoded.duplicates.omitted;
  const mode = fieldValidation ?? "Warn";
  if (fieldProblems.length && mode === "Strict")
    return fail(
      statusObject(
        400,
        "BadRequest",
        `strict decoding error: ${fieldProblems.join(", ")}${omitted ? `, and ${omitted} more` : ""}`,
      ),
    );
  return hygienic(value) ?? { value, warnings: mode === "Warn" ? fieldProblems : [] };
}

/** A body with a prototype key is refused (400), whatever `fieldValidation` says; undefined when it has none. */
function hygienic(value: unknown): { error: Status & { code: number }; headers: {} } | undefined {
  const where = prototypeKey(value);
  return where === undefined
    ? undefined
    : {
        error: statusObject(
          400,
          "BadRequest",
          `the request body may not have a field named "__proto__", nor "prototype" inside "constructor" (at ${JSON.stringify(where)})`,
        ),
        headers: {},
      };
}

/**
 * The path of the first key of a decoded body that an obvious merge (`target[key] = merge(target[key],
 * patch[key])`) would follow into a prototype: `__proto__` anywhere, or `prototype` inside `constructor`.
 * Walks the value without recursion, once.
 */
export function prototypeKey(value: unknown): string | undefined {
  type Visit = Place & { value: unknown };
  const pending: Visit[] = [{ value, parent: undefined, at: "" }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const current = visit.value;
    if (typeof current !== "object" || current === null) continue;
    if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) {
        const child: unknown = current[index];
        if (typeof child === "object" && child !== null)
          pending.push({ value: child, parent: visit, at: index });
      }
      continue;
    }
    for (const key of Object.keys(current as object)) {
      if (key === "__proto__" || (key === "prototype" && visit.at === "constructor"))
        return fieldPath(visit, key);
      const child = (current as Record<string, unknown>)[key];
      if (typeof child === "object" && child !== null)
        pending.push({ value: child, parent: visit, at: key });
    }
  }
  return undefined;
}
