import { jsonPointer } from "./errors.js";
import { apiVersionOf, readGvkExtension } from "./gvk.js";
import { isRecord } from "./json.js";
import type { SchemaModel, SchemaNode } from "./model.js";
import type { JsonObject, Selection } from "./select.js";

/**
 * The schemas of the IR: Swagger 2.0 definitions converted to the OpenAPI 3 nodes openapi-typescript reads,
 * with what the document leaves open made exact (JSON values, nullable timestamps) and deprecation read from
 * the prose.
 */

/**
 * Kubernetes marks deprecation in prose: "Deprecated in 1.7, ...", "DEPRECATED - ...", "Deprecated: ...",
 * "Deprecated. ...". A description that starts with a field named `deprecated` ("deprecated indicates ...")
 * does not say it.
 */
const DEPRECATED_TEXT = /(^|[.!]\s+|\n\s*)deprecated(?=\s*[:.]|\s+-\s|\s+in\s+v?\d)/i;

/** The list of enum values the generator appends to a description: what it says is about a value, not the field. */
const ENUM_VALUES_SECTION = /\n\s*Possible enum values:/;

/** True when a description says that what it describes is deprecated (not one of its enum values). */
export function saysDeprecated(description: unknown): boolean {
  if (typeof description !== "string") return false;
  const section = ENUM_VALUES_SECTION.exec(description);
  return DEPRECATED_TEXT.test(section ? description.slice(0, section.index) : description);
}

/** The name the IR gives the JSON value type that schemaless definitions (`apiextensions/v1 JSON`) become. */
export const JSON_VALUE = "JsonValue";

export type RefNamer = (ref: string, where: string) => string;

/**
 * Swagger 2.0 schema -> OpenAPI 3 schema for openapi-typescript: refs renamed, int-or-string as a
 * union, deprecation read from the description. Extensions and examples are dropped. What the document
 * leaves open becomes JSON: a schema with no type any JSON value, an object with no properties an object of
 * JSON values. An optional timestamp may be `null`: `metav1.Time` marshals its zero value as null, and the
 * apiserver sends it (`creationTimestamp: null`, `lastProbeTime: null`); a required one is never zero.
 */
export function convertSchema(node: unknown, at: (string | number)[], refName: RefNamer, isTimestamp: (ref: unknown) => boolean): SchemaNode {
  if (!isRecord(node)) return {};
  const result: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-") || key === "example") continue;
    if (key === "$ref" && typeof value === "string") result["$ref"] = `#/components/schemas/${refName(value, jsonPointer([...at, "$ref"]))}`;
    else if (key === "properties" && isRecord(value)) {
      const required = Array.isArray(node["required"]) ? node["required"] : [];
      const property = (name: string) => {
        const converted = convertSchema(value[name], [...at, key, name], refName, isTimestamp);
        if (required.includes(name) || !isRecord(value[name]) || !isTimestamp(value[name]["$ref"])) return converted;
        const { $ref, ...rest } = converted;
        return { ...rest, allOf: [{ $ref }], nullable: true };
      };
      // fromEntries defines own properties: a property named `__proto__` stays a property.
      result[key] = Object.fromEntries(Object.keys(value).map((name) => [name, property(name)]));
    } else if ((key === "items" || key === "additionalProperties") && isRecord(value)) result[key] = convertSchema(value, [...at, key], refName, isTimestamp);
    else if ((key === "allOf" || key === "anyOf" || key === "oneOf") && Array.isArray(value)) result[key] = value.map((v, i) => convertSchema(v, [...at, key, i], refName, isTimestamp));
    else if (key === "required" && Array.isArray(value)) result[key] = value.filter((v) => typeof v === "string");
    else if (key === "type" || key === "format" || key === "description" || key === "enum" || key === "default" || key === "title" || key === "additionalProperties") result[key] = value;
  }
  if (result["format"] === "int-or-string" || node["x-kubernetes-int-or-string"] === true) {
    delete result["type"];
    result["oneOf"] = [{ type: "integer" }, { type: "string" }];
  }
  const jsonValue = () => `#/components/schemas/${refName(JSON_VALUE, "")}`;
  if (!SCHEMA_KEYS.some((key) => key in result)) result["$ref"] = jsonValue();
  else if (result["type"] === "object" && !("properties" in result) && !("additionalProperties" in result)) result["additionalProperties"] = { $ref: jsonValue() };
  if (saysDeprecated(result["description"])) result["deprecated"] = true;
  return result;
}

/** Keys that say what a value is; a schema with none of them allows any JSON value. */
const SCHEMA_KEYS = ["$ref", "type", "properties", "items", "additionalProperties", "allOf", "anyOf", "oneOf", "enum"];

/** The JSON value type: what a schemaless definition allows. */
export function jsonValueSchema(name: string): SchemaModel {
  const ref = { $ref: `#/components/schemas/${name}` };
  const schema = {
    description: "Any JSON value: where the API document says nothing about a value's shape.",
    oneOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }, { type: "null" }, { type: "array", items: ref }, { type: "object", additionalProperties: ref }],
  };
  return { name, definitionName: JSON_VALUE, deprecated: false, schema };
}

/**
 * Definitions the document leaves schemaless although Kubernetes says exactly what they hold: the
 * apiextensions `JSONSchemaPropsOr...` types marshal as a schema or an array, a boolean, a string array.
 */
export function specialSchema(definitionName: string, schema: JsonObject, selection: Selection): JsonObject | undefined {
  const match = /^(.*\.apiextensions\.v1(?:beta1)?\.)JSONSchemaPropsOr(Array|Bool|StringArray)$/.exec(definitionName);
  if (!match || SCHEMA_KEYS.some((key) => key in schema)) return undefined;
  const props = `${match[1]}JSONSchemaProps`;
  if (!selection.definitions.some(([name]) => name === props)) return undefined;
  const ref = { $ref: `#/definitions/${props}` };
  const other = { Array: { type: "array", items: ref }, Bool: { type: "boolean" }, StringArray: { type: "array", items: { type: "string" } } }[match[2] as "Array" | "Bool" | "StringArray"];
  return { ...schema, oneOf: [ref, other] };
}

/**
 * The `apiVersion` and `kind` of the objects a definition is the schema of (its GVKs), when it has those
 * properties as strings.
 */
export function typeMetaLiterals(schema: JsonObject, converted: SchemaNode): SchemaModel["literals"] {
  const gvks = readGvkExtension(schema["x-kubernetes-group-version-kind"]);
  const properties = converted["properties"];
  if (gvks.length === 0 || !isRecord(properties)) return undefined;
  const isString = (name: string) => Object.hasOwn(properties, name) && isRecord(properties[name]) && properties[name]["type"] === "string";
  if (!isString("apiVersion") || !isString("kind")) return undefined;
  const sorted = (values: string[]) => [...new Set(values)].sort();
  return { apiVersion: sorted(gvks.map(apiVersionOf)), kind: sorted(gvks.map((g) => g.kind)) };
}

