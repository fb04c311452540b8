import { describe, expect, it } from "vitest";
import { requestAttributes, resourcePath } from "../../src/runtime/request-info.js";

describe("requestAttributes: a request read as kube-apiserver's RequestInfoFactory reads it", () => {
  const none = { apiGroup: "", apiVersion: "", namespace: "", resource: "", subresource: "", name: "" };
  it.each([
    ["GET", "/version", { ...none, resourceRequest: false, verb: "get" }],
    ["GET", "/api/v1", { ...none, resourceRequest: false, verb: "get" }],
    ["GET", "/apis/apps/v1", { ...none, resourceRequest: false, verb: "get" }],
    ["GET", "/api/v1/namespaces", { ...none, resourceRequest: true, verb: "list", apiVersion: "v1", resource: "namespaces" }],
    ["GET", "/api/v1/namespaces/default", { ...none, resourceRequest: true, verb: "get", apiVersion: "v1", namespace: "default", resource: "namespaces", name: "default" }],
    ["PUT", "/api/v1/namespaces/default/finalize", { ...none, resourceRequest: true, verb: "update", apiVersion: "v1", namespace: "default", resource: "namespaces", name: "default", subresource: "finalize" }],
    ["POST", "/api/v1/namespaces/default/pods/web-1/binding", { ...none, resourceRequest: true, verb: "create", apiVersion: "v1", namespace: "default", resource: "pods", name: "web-1", subresource: "binding" }],
    ["GET", "/api/v1/namespaces/default/pods?watch=true", { ...none, resourceRequest: true, verb: "watch", apiVersion: "v1", namespace: "default", resource: "pods" }],
    ["GET", "/api/v1/watch/namespaces/default/pods/web-1", { ...none, resourceRequest: true, verb: "watch", apiVersion: "v1", namespace: "default", resource: "pods", name: "web-1" }],
    ["GET", "/api/v1/pods?fieldSelector=metadata.name%3Dweb-1", { ...none, resourceRequest: true, verb: "list", apiVersion: "v1", resource: "pods", name: "web-1" }],
    ["DELETE", "/apis/rbac.authorization.k8s.io/v1/clusterroles", { ...none, resourceRequest: true, verb: "deletecollection", apiGroup: "rbac.authorization.k8s.io", apiVersion: "v1", resource: "clusterroles" }],
    ["PATCH", "/apis/apps/v1/namespaces/a/deployments/d/scale", { ...none, resourceRequest: true, verb: "patch", apiGroup: "apps", apiVersion: "v1", namespace: "a", resource: "deployments", name: "d", subresource: "scale" }],
    ["GET", "/api/v1/namespaces/a/pods/p/proxy/some/path", { ...none, resourceRequest: true, verb: "get", apiVersion: "v1", namespace: "a", resource: "pods", name: "p", subresource: "proxy" }],
  ])("%s %s", (method, target, want) => {
    const [path, search = ""] = target.split("?");
    expect(requestAttributes(method, path!, new URLSearchParams(search))).toEqual({ ...want, path });
  });
});

describe("resourcePath: where an operation's path template sits, for discovery and Table columns", () => {
  it.each([
    ["/api/v1/namespaces/{namespace}/pods/{name}/binding", { group: "", version: "v1", resource: "pods", subresource: "binding", namespaced: true }],
    ["/api/v1/watch/namespaces/{namespace}/pods", { group: "", version: "v1", resource: "pods", subresource: "", namespaced: true }],
    ["/api/v1/namespaces/{name}/status", { group: "", version: "v1", resource: "namespaces", subresource: "status", namespaced: false }],
    ["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", { group: "apps", version: "v1", resource: "deployments", subresource: "scale", namespaced: true }],
    ["/api/v1/nodes/{name}/proxy/{path}", { group: "", version: "v1", resource: "nodes", subresource: "proxy", namespaced: false }],
    ["/api/v1", undefined],
    ["/version", undefined],
  ])("%s", (path, want) => {
    expect(resourcePath(path)).toEqual(want);
  });
});
