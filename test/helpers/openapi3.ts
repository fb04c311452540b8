/**
 * OpenAPI v3 documents derived in the test from a Swagger 2.0 document, printed the way a cluster prints its
 * `/openapi/v3/<group-version>` documents (kube-openapi): one document per group-version holding its paths
 * and every schema they reach; a `$ref` with a description wrapped as `allOf: [{ $ref }]`; zero-value
 * `default`s on references to objects, array items and required strings; parameters with a `schema`; bodies
 * in `requestBody` (`*\/*`, or the patch types); JSON, YAML, protobuf and CBOR answers per status;
 * `components.securitySchemes`; `Quantity` as `oneOf` string or number and `IntOrString` as `oneOf` integer
 * or string. Nothing of the real documents is committed: they are derived at run time, into temp folders.
 */
type Json = any;

const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"];

/** The v3 document of one group-version (`api/v1`, `apis/apps/v1`) of a Swagger 2.0 document. */
export function deriveOpenApi3(v2: Json, groupVersion: string): Json {
  const prefix = `/${groupVersion}`;
  const paths: Json = {};
  for (const [path, item] of Object.entries<Json>(v2.paths)) {
    if (path === prefix || path === `${prefix}/` || path.startsWith(`${prefix}/`)) paths[path] = pathItem(v2, item);
  }
  const schemas: Json = {};
  for (const name of refClosure(v2, paths).sort()) schemas[name] = schema(v2, v2.definitions[name], name);
  return {
    components: { schemas, securitySchemes: v2.securityDefinitions ?? {} },
    info: v2.info,
    openapi: "3.0.0",
    paths,
  };
}

function pathItem(v2: Json, item: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries<Json>(item)) {
    if (key === "parameters") out.parameters = value.map((p: Json) => parameter(resolve(v2, p)));
    else if (METHODS.includes(key)) out[key] = operation(v2, value);
    else out[key] = value;
  }
  return out;
}

function operation(v2: Json, op: Json): Json {
  const { consumes, produces, schemes: _schemes, parameters, responses, ...rest } = op;
  const out: Json = { ...rest };
  const all = (parameters ?? []).map((p: Json) => resolve(v2, p));
  const body = all.find((p: Json) => p.in === "body");
  const others = all.filter((p: Json) => p.in !== "body").map(parameter);
  if (others.length) out.parameters = others;
  if (body) {
    out.requestBody = { content: Object.fromEntries((consumes ?? ["*/*"]).map((type: string) => [type, { schema: reference(body.schema) }])) };
    if (body.required) out.requestBody.required = true;
  }
  out.responses = {};
  for (const [status, response] of Object.entries<Json>(responses ?? {})) {
    out.responses[status] = { description: response.description };
    if (response.schema) out.responses[status].content = Object.fromEntries((produces ?? ["application/json"]).map((type: string) => [type, { schema: reference(response.schema) }]));
  }
  return out;
}

function parameter(p: Json): Json {
  const { type, format, items, enum: values, uniqueItems, default: fallback, ...rest } = p;
  const schema: Json = { type };
  if (format !== undefined) schema.format = format;
  if (items !== undefined) schema.items = items;
  if (values !== undefined) schema.enum = values;
  if (uniqueItems !== undefined) schema.uniqueItems = uniqueItems;
  if (fallback !== undefined) schema.default = fallback;
  return { ...rest, schema };
}

function resolve(v2: Json, p: Json): Json {
  return typeof p.$ref === "string" ? v2.parameters[p.$ref.slice("#/parameters/".length)] : p;
}

/** A body or response schema: a bare reference, as Kubernetes prints those. */
function reference(s: Json): Json {
  return typeof s.$ref === "string" ? { $ref: rename(s.$ref) } : schema(undefined, s, "");
}

function rename(ref: string): string {
  return ref.replace("#/definitions/", "#/components/schemas/");
}

/** A definition or property schema in kube-openapi's v3 form. */
function schema(v2: Json, s: Json, name: string, context: { item?: boolean; required?: boolean } = {}): Json {
  if (name === QUANTITY) return { description: s.description, oneOf: [{ type: "string" }, { type: "number" }] };
  if (name === INT_OR_STRING) return { description: s.description, format: "int-or-string", oneOf: [{ type: "integer" }, { type: "string" }] };
  if (typeof s.$ref === "string") {
    const { $ref, ...siblings } = s;
    const target = v2?.definitions?.[$ref.slice("#/definitions/".length)];
    const zero = (context.item || context.required) && target?.type === "object" ? { default: {} } : {};
    if (Object.keys(siblings).length === 0 && !("default" in zero)) return { $ref: rename($ref) };
    return { allOf: [{ $ref: rename($ref) }], ...zero, ...siblings };
  }
  const out: Json = {};
  for (const [key, value] of Object.entries<Json>(s)) {
    if (key === "properties") {
      out.properties = Object.fromEntries(Object.entries<Json>(value).map(([prop, child]) => [prop, schema(v2, child, "", { required: (s.required ?? []).includes(prop) })]));
    } else if (key === "items" || key === "additionalProperties") {
      out[key] = typeof value === "object" ? schema(v2, value, "", { item: true }) : value;
    } else out[key] = value;
  }
  if ((context.item || context.required) && out.type === "string" && out.default === undefined && out.enum === undefined) out.default = "";
  return out;
}

/** Every definition reachable by `$ref` from the paths (a v3 document carries exactly those). */
function refClosure(v2: Json, paths: Json): string[] {
  const found = new Set<string>();
  const stack: Json[] = [paths];
  while (stack.length) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries<Json>(value)) {
        if (key === "$ref" && typeof child === "string") {
          const name = child.replace(/^#\/(definitions|components\/schemas)\//, "");
          if (!found.has(name) && v2.definitions[name]) {
            found.add(name);
            stack.push(v2.definitions[name]);
          }
        } else stack.push(child);
      }
    }
  }
  return [...found];
}

/** `api__v1.json`, `apis__apps__v1.json`: the file name kubernetes uses for a group-version's document. */
export function documentFileName(groupVersion: string): string {
  return `${groupVersion.replace(/\//g, "__")}_openapi.json`;
}
