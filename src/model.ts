import { GenBindingError, jsonPointer } from "./errors.js";
import { type GroupVersionKind, apiVersionOf, formatGvk } from "./gvk.js";
import { isRecord } from "./json.js";
import type { NameRule } from "./runtime/table.js";
import { assignTypeNames, operationNames, uniqueNames, watchOperationName } from "./names.js";
import { JSON_VALUE, type RefNamer, convertSchema, jsonValueSchema, saysDeprecated, specialSchema, typeMetaLiterals } from "./schema.js";
import { type JsonObject, type SelectedOperation, type Selection, compareOperations, definitionNameOf } from "./select.js";

/**
 * The intermediate representation between the selector and the emitters: plain data, sorted, with every
 * name already made safe for TypeScript. Emitters read it and nothing else.
 */
export interface ApiModel {
  /** The kinds of the output, sorted by `group/version/Kind`. */
  kinds: KindModel[];
  /** Model types, sorted by name: the kinds' `$ref` closure plus `Status`. */
  schemas: SchemaModel[];
  /** Grouped by kind. */
  operations: OperationModel[];
  /** Type name of `meta/v1 Status` (the error body, and some success bodies). */
  statusTypeName: string;
  /** Header the bearer token goes in, from the security definition. */
  authHeader: string;
  source: { title: string; version: string };
}

export interface KindModel extends GroupVersionKind {
  apiVersion: string;
  /** `core/v1/Binding` */
  id: string;
  typeName: string;
  /** How the apiserver validates the names of its objects. */
  nameRule: NameRule;
}


/** A JSON Schema node in the OpenAPI 3 shape, with `$ref`s pointing at `#/components/schemas/<typeName>`. */
export type SchemaNode = JsonObject;

export interface SchemaModel {
  /** Readable, unique TypeScript name (`Binding`, `ObjectMeta`). */
  name: string;
  /** The definition's name in the document (`io.k8s.api.core.v1.Binding`). */
  definitionName: string;
  deprecated: boolean;
  schema: SchemaNode;
  /**
   * The `apiVersion` and `kind` values of a definition that is the object of kinds (its
   * `x-kubernetes-group-version-kind`): the models type those properties as these literals. Kept beside the
   * schema, not in it, because the apiserver checks them with its own wording (400), not as an enum (422).
   */
  literals?: { apiVersion: string[]; kind: string[] };
}

export type ParameterType = "string" | "boolean" | "integer" | "number";

export interface ParameterModel {
  /** Name on the wire (query key or path placeholder). */
  name: string;
  in: "path" | "query";
  required: boolean;
  type: ParameterType;
  /** Allowed values, when Kubernetes restricts them (`dryRun: All`). */
  enum: string[] | undefined;
  description: string | undefined;
}

/**
 * How a 2xx answer is read: JSON; text (`type: string`, pod logs); or a watch, a stream of JSON events
 * (one per line), which a list operation that takes `watch` gives.
 */
export type AnswerKind = "json" | "text" | "watch";

export interface ResponseModel {
  status: number;
  description: string;
  /** Type names of the possible bodies; empty when the answer has no schema. */
  typeNames: string[];
}

export interface OperationModel {
  /** The operationId from the document. */
  operationId: string;
  /** Index into {@link ApiModel.kinds}. */
  kind: number;
  /** Function name users know (`createNamespacedBinding`). */
  name: string;
  method: string;
  /** Path template (`/api/v1/namespaces/{namespace}/bindings`). */
  path: string;
  action: string;
  description: string | undefined;
  deprecated: boolean;
  pathParams: ParameterModel[];
  queryParams: ParameterModel[];
  body: { typeName: string; required: boolean; description: string | undefined } | undefined;
  /** Content types the body may be sent as (besides JSON for patch); empty for plain JSON. */
  patchTypes: string[];
  /** 2xx answers, sorted by status. */
  responses: ResponseModel[];
  answer: AnswerKind;
  /**
   * For a list that takes `watch`: the name of its watch operation, which serves the same path with
   * `watch=true`; the list's own watch parameters are then left to it.
   */
  watchedBy: string | undefined;
}

/**
 * Values Kubernetes accepts for its common query parameters. The document types them as plain strings
 * and lists the values only in prose; the apiserver rejects anything else.
 */
const KNOWN_QUERY_VALUES: Record<string, string[]> = {
  dryRun: ["All"],
  fieldValidation: ["Ignore", "Warn", "Strict"],
  propagationPolicy: ["Orphan", "Background", "Foreground"],
};

/**
 * Kinds whose create answer from a real apiserver is a `Status`, although the document says otherwise
 * (the registry for pods/binding and pods/eviction returns `metav1.Status{Status: Success}`).
 */
const ANSWERED_WITH_STATUS = new Set(["core/v1/Binding", "policy/v1/Eviction", "policy/v1beta1/Eviction"]);

/**
 * Builds the IR from a selection. Pure: the same selection always gives the same model. `reserved` names
 * are never given to a model type: the emit stage finds which names the generated modules declare
 * themselves, and builds the model again with those reserved when a model took one.
 */
export function buildModel(selection: Selection, origin = "spec", reserved: ReadonlySet<string> = new Set()): ApiModel {
  const names = operationNames(selection.operations.map((op) => ({ operationId: op.operationId, path: op.path, gvk: selection.kinds[op.kind]!.gvk })));
  const typeNames = assignTypeNames([...selection.definitions.map(([name]) => name), JSON_VALUE], reserved);
  let jsonValueUsed = false;
  const refName = (ref: string, where: string) => {
    if (ref === JSON_VALUE) return (jsonValueUsed = true), typeNames.get(JSON_VALUE)!;
    return typeNames.get(definitionNameOf(ref, where, origin))!;
  };
  const timestamps = new Set(selection.definitions.filter(([, schema]) => schema["type"] === "string" && schema["format"] === "date-time").map(([name]) => name));
  const isTimestamp = (ref: unknown) => typeof ref === "string" && timestamps.has(definitionNameOf(ref, "", origin));
  const schemas = selection.definitions.map(([definitionName, schema]): SchemaModel => {
    const converted = convertSchema(specialSchema(definitionName, schema, selection) ?? schema, ["definitions", definitionName], refName, isTimestamp);
    // Status keeps plain strings: the routes' runtime builds Status answers with its own, wider type.
    const literals = definitionName === selection.statusDefinitionName ? undefined : typeMetaLiterals(schema, converted);
    return { name: typeNames.get(definitionName)!, definitionName, deprecated: converted["deprecated"] === true, schema: converted, ...(literals && { literals }) };
  });
  if (jsonValueUsed) schemas.push(jsonValueSchema(typeNames.get(JSON_VALUE)!));
  const statusTypeName = selection.statusDefinitionName ? typeNames.get(selection.statusDefinitionName)! : "Status";
  if (!selection.statusDefinitionName) schemas.push(...fallbackStatusSchemas(new Set([...schemas.map((s) => s.name), ...reserved])));
  const kinds = selection.kinds.map(({ gvk, definitionName }): KindModel => {
    return { ...gvk, apiVersion: apiVersionOf(gvk), id: formatGvk(gvk), typeName: typeNames.get(definitionName)!, nameRule: nameRule(gvk) };
  });
  const operations = selection.operations.map((op, i) => buildOperation(op, names[i]!, refName, ANSWERED_WITH_STATUS.has(kinds[op.kind]!.id) ? statusTypeName : undefined, origin));
  return {
    kinds,
    schemas: schemas.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    operations: withWatchOperations(operations, kinds),
    statusTypeName,
    authHeader: selection.authHeader ?? "authorization",
    source: selection.info,
  };
}

/**
 * Adds, for each list that takes `watch`, its watch operation (`listNamespacedPod` -> `watchNamespacedPod`):
 * the same path with `watch=true`, answered by a stream of events of the listed kind. It takes the list's
 * query parameters but `watch`; the list keeps them all (a server still sees `?watch=true` on the list's path),
 * and the client leaves the watch ones to the watch operation.
 */
function withWatchOperations(operations: OperationModel[], kinds: readonly KindModel[]): OperationModel[] {
  const lists = operations.filter((op) => op.action === "list" && op.queryParams.some((p) => p.name === "watch"));
  const unique = uniqueNames([...operations.map((op) => op.name), ...lists.map((op) => watchOperationName(op.name))]).slice(operations.length);
  const watches = lists.map((list, i): OperationModel => {
    list.watchedBy = unique[i]!;
    return {
      ...list,
      name: unique[i]!,
      action: "watchlist",
      description: `Watches the objects \`${list.name}\` lists: each change to them as an event, until the server ends the watch (\`timeoutSeconds\`).`,
      deprecated: false,
      queryParams: list.queryParams.filter((p) => p.name !== "watch"),
      responses: [{ status: 200, description: "OK", typeNames: [kinds[list.kind]!.typeName] }],
      answer: "watch",
      watchedBy: undefined,
    };
  });
  return [...operations, ...watches].sort((a, b) => a.kind - b.kind || compareOperations(a, b));
}

/**
 * How the apiserver validates names of a kind: most kinds need a DNS-1123 subdomain; RBAC and cluster
 * trust bundles accept any path segment (`system:controller:x`), namespaces a DNS-1123 label, services a
 * DNS-1035 label.
 */
function nameRule(kind: GroupVersionKind): NameRule {
  if (kind.group === "rbac.authorization.k8s.io") return "segment";
  if (kind.group === "certificates.k8s.io" && kind.kind === "ClusterTrustBundle") return "segment";
  if (kind.group === "" && kind.kind === "Namespace") return "label";
  if (kind.group === "" && kind.kind === "Service") return "label1035";
  return "subdomain";
}

function buildOperation(op: SelectedOperation, name: string, refName: RefNamer, statusTypeName: string | undefined, origin: string): OperationModel {
  const at = ["paths", op.path, op.method];
  const pathOrder = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const parameters = op.parameters.filter((p) => p["in"] === "path" || p["in"] === "query").map(toParameterModel);
  for (const placeholder of pathOrder) {
    if (!parameters.some((p) => p.in === "path" && p.name === placeholder)) {
      throw new GenBindingError(`${origin}: ${jsonPointer(at)} has {${placeholder}} in its path but no path parameter named "${placeholder}"`);
    }
  }
  const bodyParameter = op.parameters.find((p) => p["in"] === "body");
  const body = bodyParameter ? buildBody(bodyParameter, [...at, "parameters"], refName) : undefined;
  const responses = buildResponses(op.operation["responses"], [...at, "responses"], refName, statusTypeName);
  const consumes = Array.isArray(op.operation["consumes"]) ? op.operation["consumes"].filter((c): c is string => typeof c === "string") : [];
  return {
    operationId: op.operationId,
    kind: op.kind,
    name,
    method: op.method.toUpperCase(),
    path: op.path,
    action: op.action,
    description: typeof op.operation["description"] === "string" ? op.operation["description"] : undefined,
    deprecated: op.operation["deprecated"] === true || saysDeprecated(op.operation["description"]),
    pathParams: pathOrder.map((placeholder) => parameters.find((p) => p.in === "path" && p.name === placeholder)!),
    queryParams: parameters.filter((p) => p.in === "query").sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    body,
    patchTypes: op.method === "patch" ? orderPatchTypes(consumes) : [],
    responses,
    answer: responses.some((r) => r.typeNames.includes("string")) ? "text" : "json",
    watchedBy: undefined,
  };
}

/** JSON patch types the body can be sent as, merge patch first (the default); CBOR is not sent. */
function orderPatchTypes(consumes: string[]): string[] {
  const json = consumes.filter((c) => /^application\/[a-z-]*patch\+(json|yaml)$/.test(c));
  const rank = (c: string) => (c === "application/merge-patch+json" ? 0 : 1);
  return [...new Set(json)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
}

function toParameterModel(parameter: JsonObject): ParameterModel {
  const name = parameter["name"] as string;
  const declared = parameter["type"];
  const type: ParameterType = declared === "boolean" || declared === "integer" || declared === "number" ? declared : "string";
  const ownEnum = Array.isArray(parameter["enum"]) ? parameter["enum"].map(String) : undefined;
  return {
    name,
    in: parameter["in"] === "path" ? "path" : "query",
    required: parameter["in"] === "path" || parameter["required"] === true,
    type,
    enum: ownEnum ?? (type === "string" && Object.hasOwn(KNOWN_QUERY_VALUES, name) ? KNOWN_QUERY_VALUES[name] : undefined),
    description: typeof parameter["description"] === "string" ? parameter["description"] : undefined,
  };
}

function buildBody(parameter: JsonObject, at: (string | number)[], refName: RefNamer): OperationModel["body"] {
  const schema = parameter["schema"];
  const ref = isRecord(schema) && typeof schema["$ref"] === "string" ? schema["$ref"] : undefined;
  return {
    typeName: ref ? refName(ref, jsonPointer([...at, "schema", "$ref"])) : "unknown",
    required: parameter["required"] === true,
    description: typeof parameter["description"] === "string" ? parameter["description"] : undefined,
  };
}

function buildResponses(responses: unknown, at: (string | number)[], refName: RefNamer, statusTypeName: string | undefined): ResponseModel[] {
  if (!isRecord(responses)) return [];
  const result: ResponseModel[] = [];
  for (const [code, response] of Object.entries(responses)) {
    const status = Number(code);
    if (!Number.isInteger(status) || status < 200 || status > 299 || !isRecord(response)) continue;
    const schema = response["schema"];
    const typeNames: string[] = [];
    if (isRecord(schema) && typeof schema["$ref"] === "string") typeNames.push(refName(schema["$ref"], jsonPointer([...at, code, "schema", "$ref"])));
    else if (isRecord(schema)) typeNames.push(schema["type"] === "string" ? "string" : "unknown");
    if (statusTypeName && !typeNames.includes(statusTypeName)) typeNames.push(statusTypeName);
    result.push({ status, description: typeof response["description"] === "string" ? response["description"] : "", typeNames });
  }
  return result.sort((a, b) => a.status - b.status);
}

/**
 * `meta/v1 Status` for documents that lack it (trimmed fixtures): the shape the apiserver answers errors
 * with, so the client and routes always have a typed error body.
 */
function fallbackStatusSchemas(taken: Set<string>): SchemaModel[] {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const schemas: Array<[string, SchemaNode]> = [
    [
      "Status",
      {
        description: "Status is a return value for calls that don't return other objects.",
        type: "object",
        properties: {
          apiVersion: { type: "string" },
          kind: { type: "string" },
          metadata: { type: "object", properties: { resourceVersion: { type: "string" }, selfLink: { type: "string" }, continue: { type: "string" } } },
          status: { type: "string", description: 'Status of the operation. One of: "Success" or "Failure".' },
          message: { type: "string" },
          reason: { type: "string" },
          details: ref("StatusDetails"),
          code: { type: "integer", format: "int32" },
        },
      },
    ],
    [
      "StatusDetails",
      {
        type: "object",
        properties: {
          name: { type: "string" },
          group: { type: "string" },
          kind: { type: "string" },
          uid: { type: "string" },
          causes: { type: "array", items: ref("StatusCause") },
          retryAfterSeconds: { type: "integer", format: "int32" },
        },
      },
    ],
    ["StatusCause", { type: "object", properties: { reason: { type: "string" }, message: { type: "string" }, field: { type: "string" } } }],
  ];
  return schemas.filter(([name]) => !taken.has(name)).map(([name, schema]) => ({ name, definitionName: name, deprecated: false, schema }));
}
