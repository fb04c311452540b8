// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/body-checks.ts), never in an output: the next run would put it back.
import { readBody, type BodyRead } from "./request-body.js";
import type { CompiledRoute } from "./router.js";
import { type Status, statusObject } from "./status.js";
import {
  type Shape,
  checkBody,
  checkNamesMatch,
  checkObjectNames,
  checkTypeMeta,
  invalid,
} from "./validate.js";

/**
 * An operation's request body, read, decoded and checked in the apiserver's order: media type (415),
 * size and time (413, 408), syntax (400), schema and names (422), kind and namespace (400), then unknown
 * and duplicate fields as `fieldValidation` says (400 for Strict, warnings for Warn). Patches are decoded,
 * not checked against the kind (a patch is no object of it).
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
  | { value: unknown; warnings: string[] }
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
    body.contentTypes ?? ["application/json", "application/yaml"],
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
  if (value === undefined || isPatch) return { value, warnings: [] };
  const isKind = body.type === r.kind.type;
  const { problems, unknown } = checkBody(value, body.type, table.shapes);
  if (isKind) problems.push(...checkObjectNames(value, r.kind.names));
  if (problems.length) return fail(invalid(body.type, r.kind.group, value, params, problems));
  const mismatch = isKind
    ? (checkTypeMeta(value, r.kind) ??
      checkNamesMatch(value, params, r.operation.method !== "POST"))
    : undefined;
  if (mismatch) return fail(statusObject(400, "BadRequest", mismatch));
  const fieldProblems = [
    ...unknown.map((f) => `unknown field ${JSON.stringify(f)}`),
    ...decoded.duplicates.map((f) => `duplicate field ${JSON.stringify(f)}`),
  ];
  const mode = fieldValidation ?? "Warn";
  if (fieldProblems.length && mode === "Strict")
    return fail(
      statusObject(400, "BadRequest", `strict decoding error: ${fieldProblems.join(", ")}`),
    );
  return { value, warnings: mode === "Warn" ? fieldProblems : [] };
}
