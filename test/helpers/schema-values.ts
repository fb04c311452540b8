import fc from "fast-check";
import type { SchemaModel, SchemaNode } from "../../src/model.js";

/**
 * Values that a model's schema allows, made by fast-check arbitraries built from the schemas of the IR (the
 * same ones the models and the routes' shapes are emitted from), and values that break one rule of it.
 */

const REF_PREFIX = "#/components/schemas/";
/** Below this depth, optional properties are left out and arrays and maps are empty: recursive models end. */
const MAX_DEPTH = 4;

export type Schemas = ReadonlyMap<string, SchemaModel>;

/** The schema a node stands for, `$ref`s and single `allOf`s followed. */
function resolve(node: SchemaNode, schemas: Schemas): SchemaNode {
  let current = node;
  for (let hops = 0; hops < 50; hops++) {
    const ref = current["$ref"];
    const allOf = current["allOf"];
    if (typeof ref === "string") current = schemas.get(ref.slice(REF_PREFIX.length))!.schema;
    else if (Array.isArray(allOf) && allOf.length === 1) current = allOf[0] as SchemaNode;
    else return current;
  }
  return current;
}

const built = new WeakMap<Schemas, Map<string, fc.Arbitrary<unknown>>>();

/** An arbitrary of the values model `name` allows (its `apiVersion` and `kind` among its literals). */
export function modelArbitrary(name: string, schemas: Schemas, depth = 0): fc.Arbitrary<unknown> {
  let cache = built.get(schemas);
  if (!cache) built.set(schemas, (cache = new Map()));
  const key = `${name}@${depth}`;
  let arbitrary = cache.get(key);
  if (!arbitrary) {
    const model = schemas.get(name)!;
    cache.set(key, (arbitrary = nodeArbitrary(model.schema, schemas, depth, model.literals)));
  }
  return arbitrary;
}

function nodeArbitrary(node: SchemaNode, schemas: Schemas, depth: number, literals?: SchemaModel["literals"]): fc.Arbitrary<unknown> {
  if (node["nullable"] === true) {
    const { nullable: _, ...rest } = node;
    return fc.oneof(nodeArbitrary(rest, schemas, depth, literals), fc.constant(null));
  }
  const ref = node["$ref"];
  if (typeof ref === "string") return modelArbitrary(ref.slice(REF_PREFIX.length), schemas, depth);
  const variants = (node["oneOf"] ?? node["anyOf"] ?? (Array.isArray(node["allOf"]) && (node["allOf"] as unknown[]).length === 1 ? node["allOf"] : undefined)) as SchemaNode[] | undefined;
  if (variants) return fc.oneof(...variants.map((v) => nodeArbitrary(v, schemas, depth)));
  if (Array.isArray(node["enum"])) return fc.constantFrom(...(node["enum"] as unknown[]));
  const deeper = depth >= MAX_DEPTH ? 0 : 2;
  switch (node["type"]) {
    case "string":
      return node["format"] === "date-time" ? fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace(/\.\d+Z$/, "Z")) : fc.string({ maxLength: 8 });
    case "integer":
      return fc.integer({ min: -1000, max: 100_000 });
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return deeper ? fc.array(nodeArbitrary((node["items"] ?? {}) as SchemaNode, schemas, depth + 1), { maxLength: deeper }) : fc.constant([]);
    default:
      return objectArbitrary(node, schemas, depth, literals);
  }
}

function objectArbitrary(node: SchemaNode, schemas: Schemas, depth: number, literals?: SchemaModel["literals"]): fc.Arbitrary<unknown> {
  const properties = node["properties"] as Record<string, SchemaNode> | undefined;
  const additional = node["additionalProperties"];
  if (!properties) {
    if (depth >= MAX_DEPTH) return fc.constant({});
    const values = typeof additional === "object" && additional !== null ? nodeArbitrary(additional as SchemaNode, schemas, depth + 1) : fc.constant("any");
    return fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9./-]{0,6}$/), values, { maxKeys: 2 });
  }
  const required = new Set((node["required"] as string[] | undefined) ?? []);
  const members: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, schema] of Object.entries(properties)) {
    if (!required.has(name) && depth >= MAX_DEPTH) continue;
    if (literals && (name === "apiVersion" || name === "kind")) members[name] = fc.constantFrom(...literals[name]);
    else members[name] = nodeArbitrary(schema, schemas, depth + 1);
  }
  return fc.record(members, { requiredKeys: [...required].filter((name) => name in members) });
}

/** One rule of the schema broken: where, and how. */
export interface Mutation {
  rule: "wrong type" | "missing required field" | "wrong literal";
  /** `spec.containers[0].name` */
  field: string;
  value: unknown;
}

interface Site {
  path: Array<string | number>;
  node: SchemaNode;
}

/**
 * The places in a value where a rule can be broken: each value whose schema has one JSON type (a wrong type
 * is then any other type, `null` aside: Kubernetes reads null as "not set"), and each object that has a
 * required field.
 */
function sites(value: unknown, node: SchemaNode, schemas: Schemas, path: Array<string | number> = [], found: Site[] = []): Site[] {
  const schema = resolve(node, schemas);
  found.push({ path, node: schema });
  if (Array.isArray(value) && schema["type"] === "array") value.forEach((item, i) => sites(item, schema["items"] as SchemaNode, schemas, [...path, i], found));
  const properties = schema["properties"] as Record<string, SchemaNode> | undefined;
  if (properties && typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [name, item] of Object.entries(value)) if (Object.hasOwn(properties, name)) sites(item, properties[name]!, schemas, [...path, name], found);
  }
  return found;
}

const WRONG_TYPE: Record<string, unknown> = { string: 7, integer: "7", number: "7", boolean: "yes", array: "not a list", object: "not an object" };

/** A copy of `value` with one rule of the schema broken, chosen by `pick`; undefined when none can be. */
export function mutate(value: unknown, model: SchemaModel, schemas: Schemas, pick: (n: number) => number): Mutation | undefined {
  const candidates: Array<() => Mutation> = [];
  if (model.literals && typeof value === "object" && value !== null)
    candidates.push(() => ({ rule: "wrong literal", field: "apiVersion", value: { ...value, apiVersion: "wrong.example.com/v9" } }));
  for (const { path, node } of sites(value, model.schema, schemas)) {
    const type = node["type"] as string | undefined;
    const isIntOrString = Array.isArray(node["oneOf"]) && (node["oneOf"] as SchemaNode[]).every((o) => o["type"] === "integer" || o["type"] === "string");
    const wrong = isIntOrString ? true : type === "object" && !node["properties"] ? undefined : type && Object.hasOwn(WRONG_TYPE, type) ? WRONG_TYPE[type] : undefined;
    if (wrong !== undefined) candidates.push(() => ({ rule: "wrong type", field: fieldOf(path), value: replaced(value, path, wrong) }));
    const present = (get(value, path) ?? {}) as Record<string, unknown>;
    for (const name of (node["required"] as string[] | undefined) ?? [])
      if (Object.hasOwn(present, name)) candidates.push(() => ({ rule: "missing required field", field: fieldOf([...path, name]), value: replaced(value, [...path, name], undefined) }));
  }
  return candidates.length ? candidates[pick(candidates.length)]!() : undefined;
}

function get(value: unknown, path: Array<string | number>): unknown {
  return path.reduce<unknown>((at, key) => (at as Record<string | number, unknown> | undefined)?.[key], value);
}

/** A deep copy with the value at `path` replaced (`undefined`: removed). */
function replaced(value: unknown, path: Array<string | number>, by: unknown): unknown {
  if (path.length === 0) return by;
  const [key, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  if (rest.length === 0 && by === undefined) delete copy[key!];
  else copy[key!] = replaced(copy[key!], rest, by);
  return copy;
}

function fieldOf(path: Array<string | number>): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("") || "<body>";
}
