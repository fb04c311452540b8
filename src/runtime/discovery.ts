// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/discovery.ts), never in an output: the next run would put it back.
import { encode, statusReply } from "./answer.js";
import { negotiateOutput } from "./negotiate.js";
import { OPENAPI_V2_PROTOBUF, openApiV2Protobuf } from "./openapi-proto.js";
import { resourcePath } from "./request-info.js";
import { type ApiTable, type DiscoveryDocument, apiVersionOf } from "./table.js";
import { compareVersions } from "./versions.js";

/** One entry of an APIResourceList: a resource or subresource this output serves. */
export interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  /** Set when the kind lives in another group or version than the path (`pods/eviction`: policy/v1). */
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
}

/** How an `x-kubernetes-action` shows in discovery; `connect` shows as the verb of its method. */
const ACTION_VERBS: Record<string, string> = {
  post: "create",
  get: "get",
  list: "list",
  put: "update",
  patch: "patch",
  delete: "delete",
  deletecollection: "deletecollection",
  watch: "watch",
  watchlist: "watch",
};
const CONNECT_VERBS: Record<string, string> = {
  GET: "get",
  POST: "create",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

/**
 * The APIResourceList of each group-version the table serves (`""/v1` is the core group), built as
 * kube-apiserver builds discovery: one entry per resource and subresource, verbs from the operations'
 * actions, sorted by name with sorted verbs.
 */
export function apiResourceLists(table: ApiTable): Map<string, ApiResource[]> {
  const lists = new Map<string, Map<string, ApiResource>>();
  for (const operation of Object.values(table.operations)) {
    const at = resourcePath(operation.path);
    const kind = table.kinds[operation.kind];
    const verb =
      operation.action === "connect"
        ? CONNECT_VERBS[operation.method]
        : ACTION_VERBS[operation.action];
    if (!at || !kind || !verb) continue;
    const groupVersion = apiVersionOf(at);
    const resources = lists.get(groupVersion) ?? new Map<string, ApiResource>();
    lists.set(groupVersion, resources);
    const name = at.subresource ? `${at.resource}/${at.subresource}` : at.resource;
    let entry = resources.get(name);
    if (!entry) {
      const foreign = kind.group !== at.group || kind.version !== at.version;
      entry = {
        name,
        singularName: at.subresource ? "" : kind.kind.toLowerCase(),
        namespaced: at.namespaced,
        ...(foreign ? { group: kind.group, version: kind.version } : {}),
        kind: kind.kind,
        verbs: [],
      };
      resources.set(name, entry);
    }
    if (!entry.verbs.includes(verb)) entry.verbs.push(verb);
  }
  const sorted = new Map<string, ApiResource[]>();
  for (const groupVersion of [...lists.keys()].sort()) {
    const entries = [...lists.get(groupVersion)!.values()].sort((a, b) => compare(a.name, b.name));
    for (const entry of entries) entry.verbs.sort(compare);
    sorted.set(groupVersion, entries);
  }
  return sorted;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A discovery document, or `/openapi/v2` (whose form the caller picks); undefined for any other path. */
type DiscoveryAnswer = { body: unknown } | { openapi: true } | undefined;

/**
 * The discovery documents kube-apiserver serves beside the resources, for the kinds of one table:
 * `/api` (APIVersions), `/api/v1` and `/apis/{group}/{version}` (APIResourceList), `/apis` (APIGroupList),
 * `/apis/{group}` (APIGroup), `/version`; `/openapi/v2` is answered by the caller, which picks its form.
 * A trailing slash is allowed (the Python client asks for `/api/v1/`). Undefined: not a discovery path.
 */
export function discoveryAnswer(
  path: string,
  lists: ReadonlyMap<string, readonly ApiResource[]>,
  document: DiscoveryDocument,
  serverAddress: string,
): DiscoveryAnswer {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  if (trimmed === "/version") return { body: document.version };
  if (trimmed === "/openapi/v2") return { openapi: true };
  const coreVersions = [...lists.keys()].filter((gv) => !gv.includes("/"));
  if (trimmed === "/api" && coreVersions.length)
    return {
      body: {
        kind: "APIVersions",
        versions: coreVersions.sort(compareVersions),
        serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
      },
    };
  const groups = new Map<string, string[]>();
  for (const gv of lists.keys()) {
    const [group, version] = gv.split("/");
    if (version !== undefined) groups.set(group!, [...(groups.get(group!) ?? []), version]);
  }
  const apiGroup = (name: string) => {
    const versions = groups.get(name)!.sort(compareVersions);
    const entry = (version: string) => ({ groupVersion: `${name}/${version}`, version });
    return { name, versions: versions.map(entry), preferredVersion: entry(versions[0]!) };
  };
  if (trimmed === "/apis")
    return {
      body: {
        kind: "APIGroupList",
        apiVersion: "v1",
        groups: [...groups.keys()].sort().map(apiGroup),
      },
    };
  const match = /^\/(?:api\/([^/]+)|apis\/([^/]+)(?:\/([^/]+))?)$/.exec(trimmed);
  if (!match) return undefined;
  const [, coreVersion, group, version] = match;
  if (coreVersion !== undefined) {
    const resources = lists.get(coreVersion);
    return resources && { body: { kind: "APIResourceList", groupVersion: coreVersion, resources } };
  }
  if (!groups.has(group!)) return undefined;
  if (version === undefined)
    return { body: { kind: "APIGroup", apiVersion: "v1", ...apiGroup(group!) } };
  const resources = lists.get(`${group}/${version}`);
  return (
    resources && {
      body: {
        kind: "APIResourceList",
        apiVersion: "v1",
        groupVersion: `${group}/${version}`,
        resources,
      },
    }
  );
}

const discoveryLists = new WeakMap<object, Map<string, ApiResource[]>>();
const protobufDocuments = new WeakMap<object, Uint8Array>();
const OPENAPI_V2_PROTOBUFS = [
  OPENAPI_V2_PROTOBUF,
  "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
];

/**
 * Serves the discovery documents of a table, with the document's slice at `/openapi/v2` as JSON, YAML or
 * the protobuf kubectl downloads; undefined for a path that is not discovery. The `serve` of an output's
 * `discovery.ts`.
 */
export const serveDiscovery: DiscoveryDocument["serve"] = (table, document, request) => {
  let lists = discoveryLists.get(table);
  if (!lists) discoveryLists.set(table, (lists = apiResourceLists(table)));
  const found = discoveryAnswer(request.path, lists, document, request.header("host") ?? "");
  if (!found) return undefined;
  const openapi = "openapi" in found;
  const output = negotiateOutput(
    request.header("accept"),
    { table: false, ...(openapi ? { extra: OPENAPI_V2_PROTOBUFS } : {}) },
    request.query.get("pretty"),
    request.header("user-agent"),
  );
  if ("error" in output)
    return encode(statusReply(output.error), { type: "application/json", pretty: false });
  if (!openapi) return encode({ status: 200, headers: {}, value: found.body }, output);
  if (!output.extra) return encode({ status: 200, headers: {}, value: document.openapi }, output);
  let bytes = protobufDocuments.get(document.openapi as object);
  if (!bytes)
    protobufDocuments.set(
      document.openapi as object,
      (bytes = openApiV2Protobuf(document.openapi)),
    );
  // kube-openapi answers both protobuf names with this one: Go's mime parser refuses the `@` of the other.
  return {
    status: 200,
    headers: { "content-type": "application/com.github.proto-openapi.spec.v2.v1.0+protobuf" },
    body: bytes,
  };
};
