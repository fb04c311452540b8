import { findAliasCycle } from "./cycles.js";
import { checkDepth } from "./depth.js";
import { GenBindingError, jsonPointer } from "./errors.js";
import { type GroupVersionKind, type KindQuery, compareGroupVersions, formatGvk, matchesQuery, readGvkExtension, sameGvk } from "./gvk.js";
import { isRecord } from "./json.js";
import type { SwaggerDocument } from "./load.js";

/** A JSON object from the document. */
export type JsonObject = Record<string, unknown>;

/** One operation of a selected kind, with its parameters merged and resolved. */
export interface SelectedOperation {
  operationId: string;
  method: string;
  path: string;
  /** `x-kubernetes-action`: post, get, list, put, patch, delete, deletecollection, watch, watchlist, connect. */
  action: string;
  /** Index into {@link Selection.kinds}: the kind whose GVK the operation carries. */
  kind: number;
  operation: JsonObject;
  /** Path-level then operation-level parameters, `#/parameters/...` resolved, operation-level winning. */
  parameters: JsonObject[];
}

/** A selected kind and the definition that describes it. */
export interface SelectedKind {
  gvk: GroupVersionKind;
  /** Name of the kind's definition in `#/definitions` (after following a deprecated alias). */
  definitionName: string;
}

/** The slice of the document that the output is made from: kinds, their operations, and the `$ref` closure. */
export interface Selection {
  /** Sorted by `group/version/Kind`, each once. */
  kinds: SelectedKind[];
  /** Grouped by kind, in the reference docs' order within each. */
  operations: SelectedOperation[];
  /** Every definition reachable by `$ref` from the kinds, their operations and `Status`, sorted by name. */
  definitions: Array<[name: string, schema: JsonObject]>;
  /** Name of the `meta/v1 Status` definition, or undefined when the document has none. */
  statusDefinitionName: string | undefined;
  /** Header that carries the bearer token, from `#/securityDefinitions` (Kubernetes: `authorization`). */
  authHeader: string | undefined;
  info: { title: string; version: string };
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;
const ACTION_ORDER = ["post", "get", "list", "put", "patch", "delete", "deletecollection", "watch", "watchlist", "connect"];

/**
 * Selects kinds the way Kubernetes tooling does: each definition by `x-kubernetes-group-version-kind`, the
 * operations by their GVK extension and `x-kubernetes-action`, never by path or name patterns. Every query
 * must find its kind (the error names the first that does not, with the closest matches); a kind asked for
 * twice is selected once.
 */
export function selectKinds(document: SwaggerDocument, queries: readonly KindQuery[], origin = "spec"): Selection {
  const all = listKinds(document);
  const byId = new Map<string, GroupVersionKind>();
  for (const query of queries) for (const gvk of resolveGvks(all, query, origin)) byId.set(formatGvk(gvk), gvk);
  const kinds = [...byId.keys()].sort().map((id): SelectedKind => {
    const gvk = byId.get(id)!;
    return { gvk, definitionName: findDefinition(document, gvk, origin) };
  });
  const operations = selectOperations(document, kinds.map((k) => k.gvk), origin);
  const statusDefinitionName = findStatusDefinition(document);
  const roots = kinds.map((k) => jsonPointer(["definitions", k.definitionName]));
  if (statusDefinitionName) roots.push(jsonPointer(["definitions", statusDefinitionName]));
  const names = collectRefs(document, roots, operations, origin);
  // The later stages recurse over what was selected: refuse hostile nesting there (and only there; the
  // rest of the document is never walked).
  for (const name of names) checkDepth(document.definitions[name], ["definitions", name], origin);
  for (const op of operations) {
    checkDepth(op.operation, ["paths", op.path, op.method], origin);
    op.parameters.forEach((parameter, index) => checkDepth(parameter, ["paths", op.path, op.method, "parameters", index], origin));
  }
  const cycle = findAliasCycle(document.definitions, [...names].sort(), (ref) => definitionNameOf(ref, "", origin));
  if (cycle) {
    throw new GenBindingError(`${origin}: $ref cycle with no object in between, which no type can express: ${cycle.map((name) => jsonPointer(["definitions", name])).join(" -> ")}`);
  }
  return {
    kinds,
    operations,
    definitions: [...names].sort().map((name) => [name, document.definitions[name] as JsonObject]),
    statusDefinitionName,
    authHeader: findAuthHeader(document),
    info: { title: String(document.info?.title ?? ""), version: String(document.info?.version ?? "") },
  };
}

/** One kind: {@link selectKinds} with a single query. */
export function selectKind(document: SwaggerDocument, query: KindQuery, origin = "spec"): Selection {
  return selectKinds(document, [query], origin);
}

/** Every GVK the document declares on a definition, sorted, for "did you mean" messages and `--kind` lists. */
export function listKinds(document: SwaggerDocument): GroupVersionKind[] {
  const seen = new Map<string, GroupVersionKind>();
  for (const schema of Object.values(document.definitions)) {
    if (!isRecord(schema)) continue;
    for (const gvk of readGvkExtension(schema["x-kubernetes-group-version-kind"])) seen.set(formatGvk(gvk), gvk);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, gvk]) => gvk);
}

/** The GVKs a query names: every kind for `*`, else the best match (the core group, then the preferred version). */
function resolveGvks(all: GroupVersionKind[], query: KindQuery, origin: string): GroupVersionKind[] {
  if (query.kind === "*" && query.group === undefined && query.version === undefined) return all;
  const exact = all.filter((gvk) => matchesQuery(gvk, query));
  // `pod` finds `Pod` (the CLI notes how it is spelled), unless kinds of the document differ only in case.
  const candidates = exact.length ? exact : all.filter((gvk) => matchesQuery(gvk, query, { ignoreCase: true }));
  const spellings = [...new Set(candidates.map((gvk) => gvk.kind))];
  if (spellings.length > 1) {
    throw new GenBindingError(`kind ${query.kind} not found in ${origin}; kinds that differ from it only in case: ${candidates.map(formatGvk).join(", ")}: give one as it is spelled`);
  }
  if (candidates.length === 0) {
    const wanted = [query.group === undefined ? undefined : query.group || "core", query.version, query.kind].filter((p) => p !== undefined).join("/");
    const closest = closestKinds(all, query.kind).map(formatGvk);
    const hint = closest.length ? `; closest: ${closest.join(", ")}` : "";
    throw new GenBindingError(`kind ${wanted} not found in ${origin} (no definition has it in x-kubernetes-group-version-kind)${hint}`);
  }
  // Unqualified `Binding` means the core group if it has one, then the preferred version.
  return [[...candidates].sort(compareGroupVersions)[0]!];
}

function closestKinds(all: GroupVersionKind[], kind: string): GroupVersionKind[] {
  const scored = all.map((gvk) => ({ gvk, score: editDistance(gvk.kind.toLowerCase(), kind.toLowerCase()) }));
  const limit = Math.max(2, Math.floor(kind.length / 3));
  return scored
    .filter((s) => s.score <= limit || s.gvk.kind.toLowerCase().includes(kind.toLowerCase()))
    .sort((a, b) => a.score - b.score || (formatGvk(a.gvk) < formatGvk(b.gvk) ? -1 : 1))
    .slice(0, 5)
    .map((s) => s.gvk);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The definition that carries the GVK. Several may (a deprecated alias that only `$ref`s the real one):
 * aliases are followed, and the real definition wins.
 */
function findDefinition(document: SwaggerDocument, gvk: GroupVersionKind, origin: string): string {
  const names = Object.keys(document.definitions)
    .filter((name) => {
      const schema = document.definitions[name];
      return isRecord(schema) && readGvkExtension(schema["x-kubernetes-group-version-kind"]).some((g) => sameGvk(g, gvk));
    })
    .sort();
  const resolved = names.map((name) => followAlias(document, name, origin));
  const real = resolved.find((name) => !isAlias(document.definitions[name])) ?? resolved[0];
  if (real === undefined) throw new GenBindingError(`kind ${formatGvk(gvk)} has no definition in ${origin}`);
  return real;
}

function isAlias(schema: unknown): boolean {
  return isRecord(schema) && typeof schema["$ref"] === "string";
}

function followAlias(document: SwaggerDocument, name: string, origin: string): string {
  const seen = new Set<string>();
  let current = name;
  while (isAlias(document.definitions[current])) {
    if (seen.has(current)) throw new GenBindingError(`${origin}: ${jsonPointer(["definitions", name])} is an alias that refers to itself in a cycle`);
    seen.add(current);
    const ref = (document.definitions[current] as JsonObject)["$ref"] as string;
    const target = definitionNameOf(ref, jsonPointer(["definitions", current, "$ref"]), origin);
    if (!Object.hasOwn(document.definitions, target)) throw danglingRef(ref, jsonPointer(["definitions", current, "$ref"]), origin);
    current = target;
  }
  return current;
}

function selectOperations(document: SwaggerDocument, gvks: readonly GroupVersionKind[], origin: string): SelectedOperation[] {
  const selected: SelectedOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const declared = readGvkExtension(operation["x-kubernetes-group-version-kind"]);
      const kind = gvks.findIndex((gvk) => declared.some((g) => sameGvk(g, gvk)));
      if (kind === -1) continue;
      const action = typeof operation["x-kubernetes-action"] === "string" ? operation["x-kubernetes-action"] : method;
      // The deprecated one-shot forms under /watch/: the lists' watch operations (model.ts) replace them.
      if (action === "watch" || action === "watchlist") continue;
      const pointer = ["paths", path, method];
      selected.push({
        operationId: typeof operation["operationId"] === "string" ? operation["operationId"] : `${method}${path}`,
        method,
        path,
        action,
        kind,
        operation,
        parameters: mergeParameters(document, item["parameters"], operation["parameters"], pointer, origin),
      });
    }
  }
  return selected.sort((a, b) => a.kind - b.kind || compareOperations(a, b));
}

/** What orders operations. */
type OrderedOperation = Pick<SelectedOperation, "action" | "path" | "method">;

/** Fixed verb order, namespaced paths first, then by path: the order the reference docs use. */
export function compareOperations(a: OrderedOperation, b: OrderedOperation): number {
  const rank = (op: OrderedOperation) => {
    const i = ACTION_ORDER.indexOf(op.action);
    return i === -1 ? ACTION_ORDER.length : i;
  };
  const namespaced = (op: OrderedOperation) => (op.path.includes("{namespace}") ? 0 : 1);
  return rank(a) - rank(b) || namespaced(a) - namespaced(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || (a.method < b.method ? -1 : 1);
}

function mergeParameters(document: SwaggerDocument, pathLevel: unknown, operationLevel: unknown, pointer: string[], origin: string): JsonObject[] {
  const merged = new Map<string, JsonObject>();
  const add = (list: unknown, at: (string | number)[]) => {
    if (list === undefined) return;
    if (!Array.isArray(list)) throw new GenBindingError(`${origin}: ${jsonPointer(at)} must be an array of parameters`);
    list.forEach((entry, index) => {
      const parameter = resolveParameter(document, entry, [...at, index], origin);
      merged.set(`${parameter["in"]}:${parameter["name"]}`, parameter);
    });
  };
  add(pathLevel, pointer.slice(0, 2).concat("parameters"));
  add(operationLevel, [...pointer, "parameters"]);
  return [...merged.values()];
}

function resolveParameter(document: SwaggerDocument, entry: unknown, at: (string | number)[], origin: string): JsonObject {
  if (!isRecord(entry)) throw new GenBindingError(`${origin}: ${jsonPointer(at)} is not a parameter object`);
  let parameter = entry;
  if (typeof entry["$ref"] === "string") {
    const ref = entry["$ref"];
    const where = jsonPointer([...at, "$ref"]);
    if (!ref.startsWith("#")) throw remoteRef(ref, where, origin);
    const match = /^#\/parameters\/(.+)$/.exec(ref);
    const target = match ? document.parameters?.[decodePointerToken(match[1]!)] : undefined;
    if (!isRecord(target)) throw danglingRef(ref, where, origin);
    parameter = target;
  }
  if (typeof parameter["name"] !== "string" || typeof parameter["in"] !== "string") {
    throw new GenBindingError(`${origin}: ${jsonPointer(at)} is a parameter without a string "name" and "in"`);
  }
  return parameter;
}

function findStatusDefinition(document: SwaggerDocument): string | undefined {
  const status: GroupVersionKind = { group: "", version: "v1", kind: "Status" };
  const names = Object.keys(document.definitions).sort();
  return (
    names.find((name) => {
      const schema = document.definitions[name];
      return isRecord(schema) && !isAlias(schema) && readGvkExtension(schema["x-kubernetes-group-version-kind"]).some((g) => sameGvk(g, status));
    }) ?? names.find((name) => /(^|\.)meta\.v1\.Status$/.test(name) && !isAlias(document.definitions[name]))
  );
}

function findAuthHeader(document: SwaggerDocument): string | undefined {
  for (const scheme of Object.values(document.securityDefinitions ?? {})) {
    if (isRecord(scheme) && scheme["type"] === "apiKey" && scheme["in"] === "header" && typeof scheme["name"] === "string") return scheme["name"];
  }
  return undefined;
}

/**
 * Collects the names of every definition reachable by `$ref` from the roots and the operations' bodies
 * and responses. Refs must be local (`#/definitions/...`): gen-binding never fetches a `$ref`.
 */
function collectRefs(document: SwaggerDocument, roots: string[], operations: SelectedOperation[], origin: string): Set<string> {
  const found = new Set<string>();
  const stack: Array<{ value: unknown; at: (string | number)[]; names?: boolean }> = roots.map((ref) => ({ value: { $ref: ref }, at: [] }));
  for (const op of operations) {
    op.parameters.forEach((p, i) => stack.push({ value: p["schema"], at: ["paths", op.path, op.method, "parameters", i, "schema"] }));
    stack.push({ value: op.operation["responses"], at: ["paths", op.path, op.method, "responses"] });
  }
  while (stack.length) {
    const { value, at, names } = stack.pop()!;
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, at: [...at, i] }));
      continue;
    }
    if (!isRecord(value)) continue;
    if (names) {
      // Under `properties` every key is a property name, not a keyword: `x-kubernetes-validations`,
      // `default` and `enum` of JSONSchemaProps are properties whose schemas hold refs.
      for (const [key, child] of Object.entries(value)) stack.push({ value: child, at: [...at, key] });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") {
        const name = definitionNameOf(child, jsonPointer([...at, "$ref"]), origin);
        if (found.has(name)) continue;
        const target = Object.hasOwn(document.definitions, name) ? document.definitions[name] : undefined;
        if (!isRecord(target)) throw danglingRef(child, jsonPointer([...at, "$ref"]), origin);
        found.add(name);
        stack.push({ value: target, at: ["definitions", name] });
      } else if (key !== "example" && key !== "default" && key !== "enum" && !key.startsWith("x-")) {
        stack.push({ value: child, at: [...at, key], names: key === "properties" || key === "patternProperties" || key === "definitions" });
      }
    }
  }
  return found;
}

/** The definition name a `#/definitions/...` ref points at; refuses remote and non-definition refs. */
export function definitionNameOf(ref: string, where: string, origin: string): string {
  if (!ref.startsWith("#")) throw remoteRef(ref, where, origin);
  const match = /^#\/definitions\/(.+)$/.exec(ref);
  if (!match) throw new GenBindingError(`${origin}: ${where} is "${ref}"; only refs to #/definitions/... are supported there`);
  return decodePointerToken(match[1]!);
}

function decodePointerToken(token: string): string {
  let text = token;
  try {
    text = decodeURIComponent(token);
  } catch {
    // Not percent-encoded: use as is.
  }
  return text.replace(/~1/g, "/").replace(/~0/g, "~");
}

function danglingRef(ref: string, where: string, origin: string): GenBindingError {
  return new GenBindingError(`${origin}: dangling $ref at ${where}: ${JSON.stringify(ref)} points to nothing in the document`);
}

function remoteRef(ref: string, where: string, origin: string): GenBindingError {
  return new GenBindingError(`${origin}: remote $ref refused at ${where}: ${JSON.stringify(ref)} (gen-binding never fetches a $ref; inline it or use a bundled document)`);
}
