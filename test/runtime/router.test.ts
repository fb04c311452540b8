import { describe, expect, it } from "vitest";
import { createRouter, resourceOf } from "../../src/runtime/router.js";
import type { ApiTable, OperationSpec } from "../../src/runtime/table.js";

const op = (method: string, path: string, kind = 0): OperationSpec => ({ method, path, operationId: `${method} ${path}`, action: "get", kind, query: [], status: 200 });

/** Pods (kind 0) and RBAC roles (kind 1), with a literal route beside a placeholder one and a mixed segment. */
const table: Pick<ApiTable, "kinds" | "operations"> = {
  kinds: [
    { group: "", version: "v1", kind: "Pod", type: "Pod", names: "subdomain" },
    { group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", type: "Role", names: "segment" },
  ],
  operations: {
    listPods: op("GET", "/api/v1/namespaces/{namespace}/pods"),
    createPod: op("POST", "/api/v1/namespaces/{namespace}/pods"),
    readPod: op("GET", "/api/v1/namespaces/{namespace}/pods/{name}"),
    readDefaultPod: op("GET", "/api/v1/namespaces/default/pods/{name}"),
    replaceNamed: op("PUT", "/things/{name}"),
    readLatest: op("GET", "/things/latest"),
    readFile: op("GET", "/files/{name}.json"),
    readPair: op("GET", "/pairs/{first}-{second}"),
    readEarlyLiteral: op("GET", "/mix/b/{y}/{z}"),
    readMoreLiterals: op("GET", "/mix/{x}/c/d"),
    readRole: op("GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles/{name}", 1),
  },
};
const router = createRouter(table);

/** What a match says, in one comparable value: the operation and its raw parameters, or the allowed methods, or nothing. */
function matched(method: string, path: string) {
  const match = router.match(method, path);
  if (!match) return "no route";
  return "allowed" in match ? { allowed: match.allowed } : { name: match.route.name, raw: match.raw };
}

describe("createRouter", () => {
  it.each([
    ["a placeholder route", "GET", "/api/v1/namespaces/team-a/pods/web-1", { name: "readPod", raw: ["team-a", "web-1"] }],
    ["the literal route over the placeholder one", "GET", "/api/v1/namespaces/default/pods/web-1", { name: "readDefaultPod", raw: ["web-1"] }],
    ["a literal segment of another method not hiding this method's placeholder", "PUT", "/things/latest", { name: "replaceNamed", raw: ["latest"] }],
    ["the literal segment for its own method", "GET", "/things/latest", { name: "readLatest", raw: [] }],
    ["the route with more literal segments, even when its first placeholder comes earlier", "GET", "/mix/b/c/d", { name: "readMoreLiterals", raw: ["b"] }],
    ["the other route where only it matches", "GET", "/mix/b/c/e", { name: "readEarlyLiteral", raw: ["c", "e"] }],
    ["the method of several on one path (GET)", "GET", "/api/v1/namespaces/a/pods", { name: "listPods", raw: ["a"] }],
    ["the method of several on one path (POST)", "POST", "/api/v1/namespaces/a/pods", { name: "createPod", raw: ["a"] }],
    ["a method in lower case", "post", "/api/v1/namespaces/a/pods", { name: "createPod", raw: ["a"] }],
    ["a mixed segment, the text around the placeholder removed", "GET", "/files/report.json", { name: "readFile", raw: ["report"] }],
    ["a mixed segment whose value holds the literal text", "GET", "/files/a.json.json", { name: "readFile", raw: ["a.json"] }],
    ["two placeholders in one segment", "GET", "/pairs/a-b", { name: "readPair", raw: ["a", "b"] }],
    ["raw values, still percent-encoded", "GET", "/api/v1/namespaces/de%66ault/pods/a%2Fb", { name: "readPod", raw: ["de%66ault", "a%2Fb"] }],
  ])("finds %s", (_name, method, path, want) => {
    expect(matched(method, path)).toEqual(want);
  });

  it.each([
    ["an empty placeholder segment", "/api/v1/namespaces//pods"],
    ["a trailing slash (an empty {name})", "/api/v1/namespaces/a/pods/"],
    ["a value that spans two segments", "/api/v1/namespaces/a/b/pods"],
    ["an extra segment", "/api/v1/namespaces/a/pods/b/c"],
    ["a mixed segment with nothing for its placeholder", "/files/.json"],
    ["a mixed segment with other literal text", "/files/report.yaml"],
    ["an unknown path", "/apis"],
    ["the empty path", ""],
  ])("matches nothing for %s", (_name, path) => {
    expect(matched("GET", path)).toBe("no route");
  });

  it.each([
    ["the methods of every operation on the path", "DELETE", "/api/v1/namespaces/a/pods", ["GET", "POST"]],
    ["each method once, when two routes of the path share it", "POST", "/api/v1/namespaces/default/pods/web-1", ["GET"]],
    ["the literal and the placeholder routes' methods", "DELETE", "/things/latest", ["GET", "PUT"]],
  ])("lists %s when the method is not allowed", (_name, method, path, allowed) => {
    expect(matched(method, path)).toEqual({ allowed });
  });

  it("compiles each operation with its own kind, path parameters and resource", () => {
    const pod = router.match("GET", "/api/v1/namespaces/a/pods/b");
    const role = router.match("GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/a/roles/system:x");
    expect(pod && "route" in pod && { kind: pod.route.kind.kind, params: pod.route.pathParams, resource: pod.route.resource }).toEqual({ kind: "Pod", params: ["namespace", "name"], resource: "pods" });
    expect(role && "route" in role && { kind: role.route.kind.kind, params: role.route.pathParams, resource: role.route.resource, operation: role.route.operation }).toEqual({
      kind: "Role",
      params: ["namespace", "name"],
      resource: "roles",
      operation: table.operations["readRole"],
    });
  });

  it("refuses a table whose operation names a kind it does not have", () => {
    expect(() => createRouter({ kinds: table.kinds, operations: { broken: op("GET", "/x", 2) } })).toThrow("operation broken names kind 2, which the table does not have");
  });

  it("matches nothing with an empty table", () => {
    expect(createRouter({ kinds: [], operations: {} }).match("GET", "/")).toBeUndefined();
  });
});

describe("resourceOf", () => {
  it.each([
    ["/api/v1/namespaces/{namespace}/pods/{name}/binding", "pods"],
    ["/api/v1/namespaces/{namespace}/pods/{name}", "pods"],
    ["/api/v1/namespaces/{namespace}/bindings", "bindings"],
    ["/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}", "clusterroles"],
    ["/api/v1/nodes/{name}/proxy/{path}", "nodes"],
    ["/files/{name}.json", "files"],
    ["/", ""],
  ])("%s names %s", (path, want) => {
    expect(resourceOf(path)).toBe(want);
  });
});
