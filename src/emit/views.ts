import type { ApiModel, OperationModel, ParameterModel } from "../model.js";
import { PATCH_MEDIA_TYPES } from "../runtime/table.js";
import { docComment, propertyKey, stringLiteral } from "./text.js";

/** One parameter as the client and the routes declare it. */
export interface ParameterView {
  /** The wire name, as the document has it (not escaped: for lookups, never for output). */
  name: string;
  /** Key in the params object (`namespace`, `"x-foo"`). */
  key: string;
  /** The wire name as a string literal. */
  nameLiteral: string;
  optional: boolean;
  type: string;
  doc: string;
}

/** One operation as the client and the routes present it. */
export interface OperationView {
  name: string;
  /** `CreateNamespacedBinding`: prefix of the operation's own type names. */
  typeName: string;
  doc: string;
  pathParams: ParameterView[];
  /** ` extends Pick<QueryParameters, "a" | "b">` for the client's params, or "". */
  clientExtends: string;
  /** Query parameters the client declares itself: other variants than the catalog's, and renamed ones. */
  clientQuery: ParameterView[];
  /** The type of the routes' `request.query`. */
  routeQueryType: string;
  hasBody: boolean;
  bodyType: string;
  bodyOptional: boolean;
  /** Union of the body types of all 2xx answers. */
  resultType: string;
  /** Union of the 2xx status codes (`200 | 201 | 202`). */
  statusType: string;
  /** Status a handler answers with when it sets none. */
  defaultStatus: number;
  /** The interface of the client's params: `XParams`, or for a patch `XTarget` (all but the body). */
  paramsInterface: string;
  /** A watch operation: the client gives its events as they arrive. */
  isWatch: boolean;
  /** The type of a watch's objects (`Pod`). */
  itemType: string;
  /** A text answer that a `follow: true` call streams (pod logs). */
  follows: boolean;
  /** A patch: the type it patches, and the union of the patch types it takes (`"merge" | "json"`). */
  patch: { target: string; types: string } | undefined;
}

/** The patch type of each media type a PATCH body may be sent as: the runtime's table, read backwards. */
const PATCH_TYPES: Record<string, string> = Object.fromEntries(Object.entries(PATCH_MEDIA_TYPES).map(([type, mediaType]) => [mediaType, type]));

/** Query parameters that only make sense with `watch`: a list that has a watch operation leaves them to it. */
const WATCH_ONLY_QUERY = new Set(["watch", "allowWatchBookmarks", "sendInitialEvents"]);

const TS_TYPES: Record<ParameterModel["type"], string> = { string: "string", boolean: "boolean", integer: "number", number: "number" };

/**
 * Query parameters are described once, in the `QueryParameters` interface, and operations pick theirs from
 * it: Kubernetes repeats a dozen parameters, with the same text, on a thousand operations. A name with
 * several variants (another type, text or requiredness) is catalogued with the variant most operations have;
 * the others are declared by their operations.
 */
export function queryCatalog(model: ApiModel): Map<string, ParameterModel> {
  const counts = new Map<string, Map<string, { parameter: ParameterModel; count: number }>>();
  for (const op of model.operations) {
    for (const parameter of op.queryParams) {
      const variants = counts.get(parameter.name) ?? new Map();
      const key = variantKey(parameter);
      variants.set(key, { parameter, count: (variants.get(key)?.count ?? 0) + 1 });
      counts.set(parameter.name, variants);
    }
  }
  const catalog = new Map<string, ParameterModel>();
  for (const name of [...counts.keys()].sort()) {
    const [best] = [...counts.get(name)!.entries()].sort(([ka, a], [kb, b]) => b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0));
    catalog.set(name, best![1].parameter);
  }
  return catalog;
}

const variantKeys = new WeakMap<ParameterModel, string>();

/** What tells two variants of a parameter apart (memoized: a thousand operations share a dozen parameters). */
function variantKey(parameter: ParameterModel): string {
  let key = variantKeys.get(parameter);
  if (key === undefined) variantKeys.set(parameter, (key = JSON.stringify([parameter.type, parameter.enum ?? null, parameter.description ?? null, parameter.required])));
  return key;
}

/** True when the operation's parameter is the catalogued variant of its name. */
export function isCatalogued(parameter: ParameterModel, catalog: ReadonlyMap<string, ParameterModel>): boolean {
  const entry = catalog.get(parameter.name);
  return entry !== undefined && variantKey(entry) === variantKey(parameter);
}

/** Computes the per-operation view shared by the client and route emitters. */
export function operationViews(model: ApiModel, catalog: ReadonlyMap<string, ParameterModel> = queryCatalog(model)): OperationView[] {
  return model.operations.map((op) => {
    const resultTypes = [...new Set(op.responses.flatMap((r) => r.typeNames))];
    const statuses = op.responses.map((r) => r.status);
    const clientKeys = clientQueryKeys(op);
    const clientParams = op.watchedBy ? op.queryParams.filter((p) => !WATCH_ONLY_QUERY.has(p.name)) : op.queryParams;
    const clientPicked = clientParams.filter((p) => isCatalogued(p, catalog) && clientKeys.get(p.name) === p.name);
    const patch = patchView(op);
    const typeName = op.name[0]!.toUpperCase() + op.name.slice(1);
    const routePicked = op.queryParams.filter((p) => isCatalogued(p, catalog));
    const routeOwn = op.queryParams.filter((p) => !isCatalogued(p, catalog)).map((p) => parameterView(p));
    return {
      name: op.name,
      typeName,
      doc: operationDoc(op, "  "),
      pathParams: op.pathParams.map((p) => parameterView(p)),
      clientExtends: clientPicked.length ? ` extends Pick<QueryParameters, ${clientPicked.map((p) => stringLiteral(p.name)).join(" | ")}>` : "",
      clientQuery: clientParams.filter((p) => !clientPicked.includes(p)).map((p) => parameterView(p, clientKeys.get(p.name))),
      routeQueryType: routeQueryType(routePicked, routeOwn),
      hasBody: op.body !== undefined,
      bodyType: op.body?.typeName ?? "never",
      bodyOptional: op.body !== undefined && !op.body.required,
      resultType: resultTypes.length ? resultTypes.join(" | ") : "unknown",
      statusType: statuses.length ? statuses.join(" | ") : "number",
      defaultStatus: defaultStatus(op),
      paramsInterface: patch ? `${typeName}Target` : `${typeName}Params`,
      isWatch: op.answer === "watch",
      itemType: op.answer === "watch" ? (resultTypes[0] ?? "unknown") : "unknown",
      follows: op.answer === "text" && op.queryParams.some((p) => p.name === "follow" && p.type === "boolean"),
      patch,
    };
  });
}

/** What a patch operation patches: the object its answer is (`Pod`, `Scale`), else its kind's; and the patch types it takes. */
function patchView(op: OperationModel): OperationView["patch"] {
  const types = op.patchTypes.map((t) => PATCH_TYPES[t]).filter((t): t is string => t !== undefined);
  if (op.method !== "PATCH" || types.length === 0) return undefined;
  const target = op.responses.flatMap((r) => r.typeNames).find((name) => name !== "unknown" && name !== "string");
  return { target: target ?? "unknown", types: [...new Set(types)].map(stringLiteral).join(" | ") };
}

/** The status a handler answers with when it sets none: 201 for creates that declare it, else 200 or the first 2xx. */
export function defaultStatus(op: OperationModel): number {
  const statuses = op.responses.map((r) => r.status);
  const preferred = op.action === "post" ? 201 : 200;
  return statuses.includes(preferred) ? preferred : (statuses[0] ?? 200);
}

/**
 * The client takes path parameters, the body and query parameters in one flat object, so a query parameter
 * named like another member (`body`, `patchType`, a path parameter) gets a `Query` suffix there; it is
 * still sent under its own name. Returns wire name -> key.
 */
export function clientQueryKeys(op: OperationModel): Map<string, string> {
  const reserved = new Set([...op.pathParams.map((p) => p.name), ...(op.body ? ["body"] : []), ...(op.patchTypes.length ? ["patchType"] : [])]);
  const taken = new Set([...reserved, ...op.queryParams.map((p) => p.name)]);
  const keys = new Map<string, string>();
  for (const param of op.queryParams) {
    if (!reserved.has(param.name)) {
      keys.set(param.name, param.name);
      continue;
    }
    let name = `${param.name}Query`;
    while (taken.has(name)) name += "_";
    taken.add(name);
    keys.set(param.name, name);
  }
  return keys;
}

function routeQueryType(picked: readonly ParameterModel[], own: readonly ParameterView[]): string {
  const pick = picked.length ? `Pick<QueryParameters, ${picked.map((p) => stringLiteral(p.name)).join(" | ")}>` : "";
  if (own.length === 0) return pick || "{}";
  const members = own.map((p) => `${p.doc ? `${p.doc}\n` : ""}    ${p.key}${p.optional ? "?" : ""}: ${p.type};`).join("\n");
  return `${pick ? `${pick} & ` : ""}{\n${members}\n  }`;
}

function operationDoc(op: OperationModel, indent: string): string {
  return docComment([op.description, `\`${op.method} ${op.path}\` (operationId \`${op.operationId}\`)`, op.deprecated ? "@deprecated" : undefined], indent);
}

/** A parameter's TypeScript type: its allowed values, or its JSON type. */
export function parameterType(parameter: ParameterModel): string {
  return parameter.enum ? parameter.enum.map(stringLiteral).join(" | ") : TS_TYPES[parameter.type];
}

export function parameterView(parameter: ParameterModel, key = parameter.name): ParameterView {
  return {
    name: parameter.name,
    key: propertyKey(key),
    nameLiteral: stringLiteral(parameter.name),
    optional: !parameter.required,
    type: parameterType(parameter),
    doc: docComment([parameter.description], "  "),
  };
}

/** The model type names the operations refer to, for the emitted `import type` line. */
export function referencedTypes(model: ApiModel, views: readonly OperationView[]): string[] {
  return knownTypes(model, views.flatMap((view) => [view.bodyType, view.resultType]));
}

/**
 * The model type names the client refers to: a patch's body is typed from the object it patches, a watch's
 * events from the object it watches.
 */
export function clientReferencedTypes(model: ApiModel, views: readonly OperationView[]): string[] {
  return knownTypes(
    model,
    views.flatMap((view) => (view.patch ? [view.patch.target, view.resultType] : view.isWatch ? [view.itemType] : [view.bodyType, view.resultType])),
  );
}

function knownTypes(model: ApiModel, types: readonly string[]): string[] {
  const known = new Set(model.schemas.map((s) => s.name));
  const names = new Set<string>([model.statusTypeName]);
  for (const type of types) for (const part of type.split(" | ")) if (known.has(part)) names.add(part);
  return [...names].sort();
}

