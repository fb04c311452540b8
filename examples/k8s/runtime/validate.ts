// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/validate.ts), never in an output: the next run would put it back.
import { type Listed, listed, note, quoted, shortened } from "./bounds.js";
import { type Status, statusObject } from "./status.js";
import { type KindSpec, type NameRule, apiVersionOf } from "./table.js";

/**
 * The compact JSON schema of the models that request bodies are checked against: t = type (`string`,
 * `integer`, `number`, `boolean`, `int-or-string`, `array`, `map`, `object`, `ref`, `any`), p = properties,
 * q = required properties, i = items, v = map values, r = model name, e = allowed values.
 */
export interface Shape {
  t: string;
  p?: Record<string, Shape>;
  q?: string[];
  i?: Shape;
  v?: Shape;
  r?: string;
  e?: unknown[];
}

/** One reason a body is invalid, as the apiserver reports it in `details.causes`. */
export interface Cause {
  reason:
    "FieldValueRequired" | "FieldValueTypeInvalid" | "FieldValueNotSupported" | "FieldValueInvalid";
  message: string;
  field: string;
}

/** How deep the models are checked. */
const MAX_DEPTH = 100;

/**
 * What checking a value found: problems (a 422) and fields the schema does not know (for
 * `fieldValidation`), the first of each listed (field paths shortened) and the rest counted.
 */
export interface CheckResult {
  problems: Listed<Cause>;
  unknown: Listed<string>;
}

/** Checks a value against the shape of model `type`, in time linear in the value. */
export function checkBody(
  value: unknown,
  type: string,
  shapes: Readonly<Record<string, Shape>>,
): CheckResult {
  const result: CheckResult = { problems: listed(), unknown: listed() };
  checkValue(value, { t: "ref", r: type }, "", result, shapes, 0);
  return result;
}

function checkValue(
  value: unknown,
  shape: Shape,
  field: string,
  result: CheckResult,
  shapes: Readonly<Record<string, Shape>>,
  depth: number,
): void {
  if (depth > MAX_DEPTH) {
    report(result, "FieldValueInvalid", field, `nested more than ${MAX_DEPTH} levels deep`);
    return;
  }
  if (shape.t === "ref") {
    // A reference is no level of the data: follow it (and aliases of aliases, a bounded number of them).
    let target: Shape | undefined = shape;
    for (let hops = 0; target?.t === "ref" && hops <= MAX_DEPTH; hops++) {
      target = Object.hasOwn(shapes, target.r!) ? shapes[target.r!] : undefined;
    }
    if (target && target.t !== "ref") checkValue(value, target, field, result, shapes, depth);
    return;
  }
  if (value === null) return; // Kubernetes treats null as "not set".
  switch (shape.t) {
    case "string":
      if (typeof value !== "string") return typeError(result, value, field, "a string");
      break;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value))
        return typeError(result, value, field, "an integer");
      break;
    case "number":
      if (typeof value !== "number") return typeError(result, value, field, "a number");
      break;
    case "boolean":
      if (typeof value !== "boolean") return typeError(result, value, field, "a boolean");
      break;
    case "int-or-string":
      if (typeof value !== "string" && !(typeof value === "number" && Number.isInteger(value)))
        return typeError(result, value, field, "an integer or a string");
      break;
    case "array":
      if (!Array.isArray(value)) return typeError(result, value, field, "an array");
      for (let index = 0; index < value.length; index++)
        checkValue(value[index], shape.i!, `${field}[${index}]`, result, shapes, depth + 1);
      return;
    case "map":
      if (!isPlainObject(value)) return typeError(result, value, field, "an object");
      for (const key of Object.keys(value))
        checkValue(value[key], shape.v!, `${field}[${key}]`, result, shapes, depth + 1);
      return;
    case "object":
      if (!isPlainObject(value)) return typeError(result, value, field, "an object");
      for (const name of shape.q ?? []) {
        if (!Object.hasOwn(value, name) || value[name] === null)
          report(result, "FieldValueRequired", field, "Required value", name);
      }
      for (const name of Object.keys(value)) {
        const property = shape.p && Object.hasOwn(shape.p, name) ? shape.p[name] : undefined;
        if (property)
          checkValue(value[name], property, join(field, name), result, shapes, depth + 1);
        else note(result.unknown, () => shortened(join(field, name)));
      }
      return;
  }
  if (shape.e && !shape.e.includes(value)) {
    const allowed = shape.e;
    report(
      result,
      "FieldValueNotSupported",
      field,
      () =>
        `Unsupported value: ${describe(value)}: supported values: ${allowed.map((v) => JSON.stringify(v)).join(", ")}`,
    );
  }
}

/**
 * Records a problem while the answer has room for it; past that it is only counted, and nothing is written
 * (neither the message nor the path `field` + `name`).
 */
function report(
  result: CheckResult,
  reason: Cause["reason"],
  field: string,
  message: string | (() => string),
  name?: string,
): void {
  note(result.problems, () => ({
    reason,
    message: typeof message === "string" ? message : message(),
    field: shortened(name === undefined ? field : join(field, name)),
  }));
}

function typeError(result: CheckResult, value: unknown, field: string, expected: string): void {
  report(
    result,
    "FieldValueTypeInvalid",
    field,
    () => `Invalid value: ${describe(value)}: must be ${expected}`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function join(field: string, name: string): string {
  return field ? `${field}.${name}` : name;
}

/** A value as an answer quotes it: its JSON, cut after 64 characters (a big value is never written whole). */
function describe(value: unknown): string {
  const text = jsonPrefix(value, 65);
  return text.length > 64 ? `${text.slice(0, 64)}...` : text;
}

/** The first `budget` (or a few more) characters of a value's JSON, in time bounded by `budget`. */
function jsonPrefix(value: unknown, budget: number): string {
  if (typeof value !== "object" || value === null)
    return typeof value === "string"
      ? JSON.stringify(value.length > budget ? value.slice(0, budget) : value)
      : (JSON.stringify(value) ?? String(value));
  const array = Array.isArray(value);
  let out = array ? "[" : "{";
  for (const key of array ? value.keys() : Object.keys(value)) {
    if (out.length > budget) return out;
    const item = (value as Record<string | number, unknown>)[key];
    const prefix = out.length > 1 ? "," : "";
    out += array
      ? prefix + jsonPrefix(item, budget - out.length)
      : `${prefix}${JSON.stringify(shortened(String(key), budget))}:${jsonPrefix(item, budget - out.length)}`;
  }
  return out + (array ? "]" : "}");
}

/**
 * The 422 `Invalid` answer for a body, one cause per field, sorted by field; the problems left out are
 * counted in the message and in a last cause (reason `FieldValueTooMany`).
 */
export function invalid(
  typeName: string,
  group: string,
  body: unknown,
  params: Record<string, string>,
  causes: Cause[] | Listed<Cause>,
): Status & { code: number } {
  const { items, omitted } = Array.isArray(causes) ? { items: causes, omitted: 0 } : causes;
  const metadata = (body as { metadata?: { name?: unknown } } | null)?.metadata;
  const name = shortened(
    typeof metadata?.name === "string" ? metadata.name : (params["name"] ?? ""),
  );
  const sorted = [...items].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  const listedCauses: Array<Cause | { reason: string; message: string; field: string }> = sorted;
  // The apiserver's aggregate error: each message once, in brackets when there are several.
  const messages = [...new Set(sorted.map((c) => `${c.field || "<body>"}: ${c.message}`))];
  if (omitted) messages.push(`and ${omitted} more`);
  const summary = messages.length === 1 ? messages[0]! : `[${messages.join(", ")}]`;
  if (omitted) {
    listedCauses.push({
      reason: "FieldValueTooMany",
      message: `and ${omitted} more problems`,
      field: "",
    });
  }
  return statusObject(
    422,
    "Invalid",
    `${typeName} ${JSON.stringify(name)} is invalid: ${summary}`,
    { name, group, kind: typeName, causes: listedCauses },
  );
}

/** Any character a path segment may not hold: most segments have none, and are checked with one test. */
const SEGMENT_SUSPECT = /[/%\u0000-\u001f\u007f]/;

/** What a path segment may not be or hold once decoded, as the apiserver checks names in paths. */
export function pathSegmentProblems(value: string): string[] {
  if (value === "." || value === "..") return [`may not be '${value}'`];
  if (!SEGMENT_SUSPECT.test(value)) return [];
  const problems = ["/", "%"].filter((c) => value.includes(c)).map((c) => `may not contain '${c}'`);
  if (/[\u0000-\u001f\u007f]/.test(value)) problems.push("may not contain control characters");
  return problems;
}

const NAME_PATTERNS: Record<
  Exclude<NameRule, "segment">,
  { max: number; pattern: RegExp; message: string }
> = {
  subdomain: {
    max: 253,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    message:
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  },
  label: {
    max: 63,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    message:
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  },
  label1035: {
    max: 63,
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    message:
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  },
};

/** The apiserver's messages for each rule a name breaks (empty when the name is fine). */
export function nameProblems(name: string, rule: NameRule): string[] {
  if (rule === "segment") return pathSegmentProblems(name);
  const { max, pattern, message } = NAME_PATTERNS[rule];
  const problems = name.length > max ? [`must be no more than ${max} characters`] : [];
  return pattern.test(name) ? problems : [...problems, message];
}

/** The apiserver's message for a name that breaks `rule` (its rules joined), or undefined when it is fine. */
export function nameProblem(name: string, rule: NameRule): string | undefined {
  if (rule !== "segment") {
    const { max, pattern } = NAME_PATTERNS[rule];
    if (name.length <= max && pattern.test(name)) return undefined;
  }
  return nameProblems(name, rule).join(";") || undefined;
}

/** `metadata.name` and `metadata.namespace` of an object of a kind, checked as the apiserver does on create and update. */
export function checkObjectNames(body: unknown, rule: NameRule): Cause[] {
  const metadata = (body as { metadata?: { name?: unknown; namespace?: unknown } } | null)
    ?.metadata;
  const causes: Cause[] = [];
  for (const [key, keyRule] of [
    ["name", rule],
    ["namespace", "label"],
  ] as const) {
    const value = metadata?.[key];
    if (typeof value !== "string" || value === "") continue;
    for (const problem of nameProblems(value, keyRule)) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: ${quoted(value)}: ${problem}`,
        field: `metadata.${key}`,
      });
    }
  }
  return causes;
}

/**
 * `kind` and `apiVersion` of a body, when it says them, must be the endpoint's: otherwise the apiserver's 400
 * message, as its decoder words it (`Pdo in version "v1" cannot be handled as a Pod: no kind "Pdo" is
 * registered for version "v1"`), or, for a kind of another group, as its create handler words it (`the API
 * version in the data (apps/v1) does not match the expected API version (v1)`). The scheme the apiserver
 * names at the end of its message is left out.
 */
export function checkTypeMeta(body: unknown, kind: KindSpec): string | undefined {
  const { kind: saidKind, apiVersion: saidVersion } = body as {
    kind?: unknown;
    apiVersion?: unknown;
  };
  const expected = apiVersionOf(kind);
  // Left out (or empty), they default to the endpoint's, as the apiserver's decoder defaults them.
  const bodyKind = saidKind === undefined || saidKind === "" ? kind.kind : saidKind;
  const apiVersion = saidVersion === undefined || saidVersion === "" ? expected : saidVersion;
  if (bodyKind === kind.kind && apiVersion === expected) return undefined;
  if (typeof bodyKind !== "string" || typeof apiVersion !== "string")
    return `the object provided is unrecognized (must be of type ${kind.kind})`;
  const slash = apiVersion.lastIndexOf("/");
  const group = slash === -1 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if (group !== kind.group && bodyKind !== kind.kind)
    return `the API version in the data (${shortened(apiVersion)}) does not match the expected API version (${expected})`;
  return `${shortened(bodyKind)} in version ${quoted(version)} cannot be handled as a ${kind.kind}: no kind ${quoted(bodyKind)} is registered for version ${quoted(apiVersion)}`;
}

/**
 * The object's namespace must be the one in the path, when both say one; so must its name on updates (as
 * the apiserver's update and patch handlers check). A create with a name in its path (pods/binding) leaves
 * that to the handler, as the apiserver leaves it to the resource's registry, whose wording differs.
 */
export function checkNamesMatch(
  body: unknown,
  params: Record<string, string>,
  checkName: boolean,
): string | undefined {
  const metadata = (body as { metadata?: { name?: unknown; namespace?: unknown } } | null)
    ?.metadata;
  const { name, namespace } = metadata ?? {};
  if (
    typeof namespace === "string" &&
    namespace !== "" &&
    Object.hasOwn(params, "namespace") &&
    namespace !== params["namespace"]
  ) {
    return "the namespace of the provided object does not match the namespace sent on the request";
  }
  if (
    checkName &&
    typeof name === "string" &&
    name !== "" &&
    Object.hasOwn(params, "name") &&
    name !== params["name"]
  ) {
    return `the name of the object (${shortened(name)}) does not match the name on the URL (${params["name"]})`;
  }
  return undefined;
}
