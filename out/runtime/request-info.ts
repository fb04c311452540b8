// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/request-info.ts), never in an output: the next run would put it back.
import { quoted, shortened } from "./bounds.js";
import { isTrue } from "./query.js";
import { type Status, statusObject } from "./status.js";

/**
 * What a request is about, read from its method and path alone as kube-apiserver's `RequestInfoFactory`
 * reads it, before any route is matched: what `authorize` decides on.
 */
export interface RequestAttributes {
  /** False for `/version`, `/api`, `/apis`, `/openapi/v2`, ...: `verb` is then the method in lower case. */
  resourceRequest: boolean;
  /** get, list, watch, create, update, patch, delete, deletecollection (resource requests). */
  verb: string;
  /** The request path, as sent. */
  path: string;
  /** `""` for the core group. */
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  /** `pods`; `namespaces` for a namespace itself. */
  resource: string;
  /** `binding` in `pods/binding`, `status`, ... */
  subresource: string;
  name: string;
}

const METHOD_VERBS: Record<string, string> = {
  POST: "create",
  GET: "get",
  HEAD: "get",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

/** The apiserver's reading of a request path (`/apis/{group}/{version}/namespaces/{ns}/{resource}/{name}/{sub}`). */
export function requestAttributes(
  method: string,
  path: string,
  query: URLSearchParams,
): RequestAttributes {
  const upper = method.toUpperCase();
  const info: RequestAttributes = {
    resourceRequest: false,
    verb: upper.toLowerCase(),
    path,
    apiGroup: "",
    apiVersion: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
  };
  const parts = pathSegments(path);
  if (parts.length < 3 || (parts[0] !== "api" && parts[0] !== "apis")) return info;
  const grouped = parts[0] === "apis";
  if (grouped && parts.length < 4) return info;
  info.apiGroup = grouped ? parts[1]! : "";
  info.apiVersion = parts[grouped ? 2 : 1]!;
  // The parts after the group-version, from `at` on (an index, not copies of the array).
  let at = grouped ? 3 : 2;
  info.resourceRequest = true;
  const special = parts[at] === "watch" || parts[at] === "proxy";
  if (special) {
    info.verb = parts[at]!;
    at++;
    if (at === parts.length) return info;
  } else info.verb = METHOD_VERBS[upper] ?? "";
  if (parts[at] === "namespaces" && parts.length - at > 1) {
    info.namespace = parts[at + 1]!;
    // `namespaces/{name}/status` and `/finalize` are subresources of the namespace itself.
    if (parts.length - at > 2 && parts[at + 2] !== "status" && parts[at + 2] !== "finalize")
      at += 2;
  }
  info.resource = parts[at] ?? "";
  info.name = parts[at + 1] ?? "";
  if (parts.length - at >= 3 && info.verb !== "proxy") info.subresource = parts[at + 2]!;
  if (info.name === "" && info.verb === "get") {
    info.verb = isTrue(query.get("watch")) ? "watch" : "list";
    const byName = exactName(query.get("fieldSelector"));
    if (byName !== undefined) info.name = byName;
  }
  if (info.name === "" && info.verb === "delete") info.verb = "deletecollection";
  return info;
}

/** The non-empty segments of a path, each decoded (a segment with no `%` is its own decoding). */
function pathSegments(path: string): string[] {
  const parts: string[] = [];
  for (let start = 0; start <= path.length;) {
    let end = path.indexOf("/", start);
    if (end === -1) end = path.length;
    if (end > start) {
      const segment = path.slice(start, end);
      parts.push(segment.includes("%") ? decodeSegment(segment) : segment);
    }
    start = end + 1;
  }
  return parts;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `metadata.name=web-1` in a field selector names the one object a list or watch is about. */
function exactName(selector: string | null): string | undefined {
  for (const term of (selector ?? "").split(",")) {
    // Trimmed first: a lazy group before `\s*$` would make the regex quadratic in a long term.
    const match = /^metadata\.name\s*==?([\s\S]*)$/.exec(term.trim());
    const name = match?.[1]?.trim();
    if (name && name !== "." && name !== ".." && !/[/%]/.test(name)) return name;
  }
  return undefined;
}

/**
 * The apiserver's 403: `pods "web-1" is forbidden: User "alice" cannot create resource "pods/binding" in
 * API group "" in the namespace "default"`, with `reason` after a colon when the authorizer gave one.
 */
export function forbidden(
  attributes: RequestAttributes,
  userName: string,
  reason: string,
): Status & { code: number } {
  const a = attributes;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace ${quoted(a.namespace)}` : "at the cluster scope";
  let why = a.resourceRequest
    ? `User ${quoted(userName)} cannot ${a.verb} resource ${quoted(resource)} in API group ${quoted(a.apiGroup)} ${scope}`
    : `User ${quoted(userName)} cannot ${a.verb} path ${quoted(a.path)}`;
  if (reason) why += `: ${reason}`;
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const message = !qualified
    ? `forbidden: ${why}`
    : a.name
      ? `${qualified} ${quoted(a.name)} is forbidden: ${why}`
      : `${qualified} is forbidden: ${why}`;
  return statusObject(403, "Forbidden", message, {
    ...(a.name ? { name: shortened(a.name) } : {}),
    ...(a.apiGroup ? { group: a.apiGroup } : {}),
    ...(a.resource ? { kind: a.resource } : {}),
  });
}

/**
 * Where a path template sits (`/api/v1/namespaces/{namespace}/pods/{name}/binding`): its group, version,
 * resource and subresource, and whether it is namespaced; read as a request to it would be. Undefined for a
 * path that names no resource (`/version`, `/api/v1`).
 */
export function resourcePath(
  path: string,
):
  | { group: string; version: string; resource: string; subresource: string; namespaced: boolean }
  | undefined {
  const info = requestAttributes("GET", path, new URLSearchParams());
  if (!info.resourceRequest || !info.resource || info.resource.includes("{")) return undefined;
  return {
    group: info.apiGroup,
    version: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    namespaced: info.namespace === "{namespace}",
  };
}
