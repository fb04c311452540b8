import { MAX_DOCUMENT_DEPTH, checkDepth } from "./depth.js";
import { GenBindingError } from "./errors.js";
import { describe, isRecord } from "./json.js";
import type { SwaggerDocument } from "./load.js";

type JsonObject = Record<string, unknown>;

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;
const SCHEMA_REF = "#/components/schemas/";
const PARAMETER_REF = "#/components/parameters/";

/**
 * Keys that may stand beside the one `$ref` of an `allOf` and still leave it a plain reference: what
 * Kubernetes prints there (`description`, `default`, list and map extensions) documents the field, it does
 * not narrow its type.
 */
const ANNOTATIONS = new Set(["description", "default", "title", "deprecated", "readOnly", "writeOnly", "nullable", "example", "externalDocs"]);

/**
 * True for a document that says it is OpenAPI 3 (`"openapi": "3.0.0"`), what a cluster serves at
 * `/openapi/v3/<group-version>`.
 */
export function isOpenApi3(value: JsonObject): boolean {
  return typeof value["openapi"] === "string";
}

/**
 * True for a cluster's index of its documents, `/openapi/v3`: `{"paths": {"api/v1": {"serverRelativeURL":
 * "/openapi/v3/api/v1?hash=..."}, ...}}`, with no `swagger` or `openapi` field.
 */
export function isOpenApi3Index(value: unknown): value is { paths: Record<string, { serverRelativeURL: string }> } {
  if (!isRecord(value) || "openapi" in value || "swagger" in value || !isRecord(value["paths"])) return false;
  const entries = Object.values(value["paths"]);
  return entries.length > 0 && entries.every((entry) => isRecord(entry) && typeof entry["serverRelativeURL"] === "string");
}

/**
 * Lowers an OpenAPI 3.0 document into the Swagger 2.0 shape the selector reads, so that every stage after
 * load sees one kind of document and the emitters never know which one they were fed:
 *
 * - `components.schemas` -> `definitions`, `#/components/schemas/X` -> `#/definitions/X`;
 * - `allOf: [{ $ref }]` beside only annotations (how Kubernetes v3 wraps a reference that has a
 *   description) -> `$ref` beside the same annotations, how v2 prints it: the field keeps its description;
 * - `default` values that are only the zero value of their type (`""`, `0`, `false`, `{}`, `[]`), which
 *   Kubernetes v3 prints for every non-pointer field and v2 strips with all defaults (kubernetes#109036):
 *   dropped; other defaults stay;
 * - parameters with a `schema` -> the v2 parameter with the schema's `type`, `format`, `items`, `enum`;
 * - `requestBody` -> a `body` parameter, and its media types -> `consumes` (the patch types);
 * - per-media-type responses -> one `schema` per status (JSON's, else the first);
 * - `components.securitySchemes` -> `securityDefinitions` (an HTTP bearer scheme as the `authorization` header).
 *
 * Nothing is fetched: a `$ref` that is not local stays as it is, and the selector refuses it by name.
 */
export function lowerOpenApi3(value: JsonObject, origin: string): SwaggerDocument {
  const version = value["openapi"];
  if (typeof version !== "string" || !/^3\.0\.\d+$/.test(version)) {
    throw new GenBindingError(`${origin}: OpenAPI ${String(version)} is not supported; gen-binding reads Swagger 2.0 (/openapi/v2) and OpenAPI 3.0 (/openapi/v3), what Kubernetes serves`);
  }
  if (!isRecord(value["paths"])) throw new GenBindingError(`${origin}: #/paths is ${describe(value["paths"])}; a Kubernetes document has an object there`);
  const components = value["components"] ?? {};
  if (!isRecord(components)) throw new GenBindingError(`${origin}: #/components is ${describe(components)}; a Kubernetes document has an object there`);
  for (const key of ["schemas", "parameters", "requestBodies", "responses", "securitySchemes"]) {
    if (components[key] !== undefined && !isRecord(components[key])) throw new GenBindingError(`${origin}: #/components/${key} is ${describe(components[key])}, not an object`);
  }
  try {
    return lowerDocument(value, components);
  } catch (error) {
    // Nesting beyond the limit: checkDepth finds and names the place (without recursion).
    if (error instanceof TooDeep) checkDepth(value, [], origin);
    throw error;
  }
}

class TooDeep extends Error {}

function lowerDocument(value: JsonObject, components: JsonObject): SwaggerDocument {
  const schemas = (components["schemas"] ?? {}) as JsonObject;
  const document: SwaggerDocument = {
    swagger: "2.0",
    definitions: lowerEach(schemas, 1, schemas),
    paths: mapEntries(value["paths"] as JsonObject, (item) => lowerPathItem(item, components)),
  };
  if (isRecord(value["info"])) document.info = value["info"] as SwaggerDocument["info"] & object;
  if (isRecord(components["parameters"])) document.parameters = mapEntries(components["parameters"], lowerParameter);
  if (isRecord(components["securitySchemes"])) document.securityDefinitions = mapEntries(components["securitySchemes"], lowerSecurityScheme);
  if (Array.isArray(value["security"])) document.security = value["security"];
  return document;
}

/**
 * A schema in the v2 shape; `depth` guards the recursion against hostile nesting. A node with nothing to
 * change, itself or below, is returned as it is: most are (a description and a type), and copying them all
 * would cost more than reading the document.
 */
function lowerSchema(node: unknown, depth: number, schemas: JsonObject): unknown {
  if (!isRecord(node)) return node;
  if (depth > MAX_DOCUMENT_DEPTH) throw new TooDeep();
  const ref = singleRefOf(node, schemas);
  let entries: Array<[string, unknown]> | undefined;
  const keys = Object.keys(node);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const child = node[key];
    let lowered: unknown = child;
    let drop = false;
    if (key === "$ref" && typeof child === "string") lowered = lowerRef(child, SCHEMA_REF, "#/definitions/");
    else if (key === "allOf" && ref !== undefined) lowered = lowerRef(ref, SCHEMA_REF, "#/definitions/");
    else if (key === "default") drop = isZeroValue(child);
    else if (key === "properties" && isRecord(child)) lowered = lowerEach(child, depth + 2, schemas);
    else if ((key === "items" || key === "additionalProperties" || key === "not") && isRecord(child)) lowered = lowerSchema(child, depth + 1, schemas);
    else if ((key === "allOf" || key === "anyOf" || key === "oneOf") && Array.isArray(child)) {
      const items = child.map((item) => lowerSchema(item, depth + 2, schemas));
      if (items.some((item, j) => item !== child[j])) lowered = items;
    }
    if (entries === undefined && (drop || lowered !== child || (key === "allOf" && ref !== undefined))) entries = keys.slice(0, i).map((k) => [k, node[k]]);
    if (entries !== undefined && !drop) entries.push([key === "allOf" && ref !== undefined ? "$ref" : key, lowered]);
  }
  // fromEntries defines own properties: a property named `__proto__` stays a property.
  return entries === undefined ? node : Object.fromEntries(entries);
}

/** Each schema of a `properties` map lowered; the map itself when none changed. */
function lowerEach(properties: JsonObject, depth: number, schemas: JsonObject): JsonObject {
  let changed = false;
  const entries = Object.keys(properties).map((name): [string, unknown] => {
    const value = properties[name];
    const lowered = lowerSchema(value, depth, schemas);
    changed ||= lowered !== value;
    return [name, lowered];
  });
  return changed ? Object.fromEntries(entries) : properties;
}

/**
 * The `$ref` of `allOf: [{ $ref }]` when everything beside it is an annotation or an extension, and it names
 * a schema of the document. A wrapper around a dangling or remote reference stays as it is, so that the
 * selector's message points at the `$ref` where the document has it (`.../allOf/0/$ref`).
 */
function singleRefOf(node: JsonObject, schemas: JsonObject): string | undefined {
  const allOf = node["allOf"];
  if (!Array.isArray(allOf) || allOf.length !== 1 || "$ref" in node) return undefined;
  const only = allOf[0];
  if (!isRecord(only) || typeof only["$ref"] !== "string" || Object.keys(only).length !== 1) return undefined;
  const ref = only["$ref"];
  // Names that need JSON-pointer decoding (`~1`, `%20`) keep their wrapper: openapi-typescript reads it the
  // same way, and the selector decodes and checks the reference itself.
  if (!ref.startsWith(SCHEMA_REF) || !Object.hasOwn(schemas, ref.slice(SCHEMA_REF.length))) return undefined;
  return Object.keys(node).every((key) => key === "allOf" || ANNOTATIONS.has(key) || key.startsWith("x-")) ? ref : undefined;
}

function schemasOf(components: JsonObject): JsonObject {
  return isRecord(components["schemas"]) ? components["schemas"] : {};
}

function lowerRef(ref: string, from: string, to: string): string {
  return ref.startsWith(from) ? to + ref.slice(from.length) : ref;
}

/** `""`, `0`, `false`, `{}`, `[]`: what Go's zero value looks like in JSON. */
function isZeroValue(value: unknown): boolean {
  if (value === "" || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).length === 0;
}

function lowerPathItem(item: unknown, components: JsonObject): unknown {
  if (!isRecord(item)) return item;
  const entries: Array<[string, unknown]> = [];
  for (const key of Object.keys(item)) {
    const child = item[key];
    if (key === "parameters" && Array.isArray(child)) entries.push([key, child.map(lowerParameter)]);
    else if ((METHODS as readonly string[]).includes(key) && isRecord(child)) entries.push([key, lowerOperation(child, components)]);
    else entries.push([key, child]);
  }
  return Object.fromEntries(entries);
}

function lowerOperation(operation: JsonObject, components: JsonObject): JsonObject {
  const entries: Array<[string, unknown]> = [];
  for (const key of Object.keys(operation)) {
    const child = operation[key];
    if (key === "parameters" && Array.isArray(child)) entries.push([key, child.map(lowerParameter)]);
    else if (key === "responses" && isRecord(child)) entries.push([key, mapEntries(child, (response) => lowerResponse(response, components))]);
    else if (key !== "requestBody") entries.push([key, child]);
  }
  const lowered = Object.fromEntries(entries);
  const body = resolveLocal(operation["requestBody"], components, "requestBodies");
  if (isRecord(body)) {
    const content = isRecord(body["content"]) ? body["content"] : {};
    const parameter: JsonObject = { in: "body", name: "body", required: body["required"] === true };
    if (typeof body["description"] === "string") parameter["description"] = body["description"];
    const schema = pickSchema(content);
    if (schema !== undefined) parameter["schema"] = lowerSchema(schema, 1, schemasOf(components));
    lowered["parameters"] = [...(Array.isArray(lowered["parameters"]) ? lowered["parameters"] : []), parameter];
    lowered["consumes"] = Object.keys(content);
  }
  return lowered;
}

/** A v3 parameter (`schema: { type }`) as v2 writes it (`type` on the parameter itself). */
function lowerParameter(parameter: unknown): unknown {
  if (!isRecord(parameter)) return parameter;
  if (typeof parameter["$ref"] === "string") return { ...parameter, $ref: lowerRef(parameter["$ref"], PARAMETER_REF, "#/parameters/") };
  const { schema, content: _content, style: _style, explode: _explode, ...rest } = parameter;
  if (!isRecord(schema)) return rest;
  const fromSchema: JsonObject = {};
  for (const key of ["type", "format", "items", "enum", "uniqueItems", "default"]) if (schema[key] !== undefined) fromSchema[key] = schema[key];
  return { ...rest, ...fromSchema };
}

function lowerResponse(response: unknown, components: JsonObject): unknown {
  const resolved = resolveLocal(response, components, "responses");
  if (!isRecord(resolved)) return resolved;
  const { content, ...rest } = resolved;
  const schema = isRecord(content) ? pickSchema(content) : undefined;
  return schema === undefined ? rest : { ...rest, schema: lowerSchema(schema, 1, schemasOf(components)) };
}

/** The schema of one media type: JSON's (what gen-binding's client and routes speak), else `*\/*`, else the first. */
function pickSchema(content: JsonObject): unknown {
  const types = Object.keys(content);
  const chosen = types.find((t) => t === "application/json") ?? types.find((t) => t === "*/*") ?? types.find((t) => /json/.test(t)) ?? types[0];
  const media = chosen === undefined ? undefined : content[chosen];
  return isRecord(media) ? media["schema"] : undefined;
}

/** A `#/components/<kind>/X` reference followed once; anything else as it is. */
function resolveLocal(value: unknown, components: JsonObject, kind: string): unknown {
  if (!isRecord(value) || typeof value["$ref"] !== "string") return value;
  const prefix = `#/components/${kind}/`;
  const table = components[kind];
  const name = value["$ref"].startsWith(prefix) ? value["$ref"].slice(prefix.length) : undefined;
  return name !== undefined && isRecord(table) && Object.hasOwn(table, name) ? table[name] : value;
}

function lowerSecurityScheme(scheme: unknown): unknown {
  if (isRecord(scheme) && scheme["type"] === "http" && String(scheme["scheme"]).toLowerCase() === "bearer") return { type: "apiKey", in: "header", name: "authorization" };
  return scheme;
}

function mapEntries(object: JsonObject, map: (value: unknown) => unknown): JsonObject {
  return Object.fromEntries(Object.keys(object).map((key) => [key, map(object[key])]));
}

/**
 * Runs a stage over a lowered document. For OpenAPI 3 input its messages then point where the document as
 * written has the thing (`#/components/schemas/X`), not where the lowered one has it (`#/definitions/X`).
 */
export function inDocumentTerms<T>(openapi3: boolean, stage: () => T): T {
  try {
    return stage();
  } catch (error) {
    if (!openapi3 || !(error instanceof GenBindingError)) throw error;
    throw new GenBindingError(error.message.replace(/#\/definitions\//g, SCHEMA_REF), error.exitCode);
  }
}
