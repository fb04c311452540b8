import type { ApiModel } from "../model.js";
import type { VersionInfo } from "../runtime/table.js";
import type { Selection } from "../select.js";
import type { Templates } from "../templates.js";
import { dataLiteral, stringLiteral } from "./text.js";

/**
 * `discovery.ts`: what the routes serve at `/openapi/v2` and `/version` when they are given it (the
 * discovery lists themselves are computed from the operations table). View model for
 * `templates/discovery.ts.hbs`.
 */
export function emitDiscovery(model: ApiModel, selection: Selection, templates: Templates, header: string, kinds: string): string {
  return templates.render("discovery.ts", {
    header,
    kinds,
    openapiLiteral: stringLiteral(JSON.stringify(openApiSlice(selection, model.authHeader))),
    versionLiteral: dataLiteral(versionInfo(selection.info.version)),
  });
}

/**
 * The selected kinds as a Swagger 2.0 document of their own: their operations (each with its path-level
 * and shared parameters merged in and resolved, so no `#/parameters` are needed), the definitions they
 * reach, and bearer-token security. Extensions stay: kubectl finds a kind's schema by its
 * `x-kubernetes-group-version-kind`.
 */
export function openApiSlice(selection: Selection, authHeader: string): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of selection.operations) {
    const item = (paths[op.path] ??= {});
    item[op.method] = { ...op.operation, parameters: op.parameters };
  }
  return {
    swagger: "2.0",
    info: { title: selection.info.title, version: selection.info.version },
    paths,
    definitions: Object.fromEntries(selection.definitions),
    securityDefinitions: { BearerToken: { type: "apiKey", in: "header", name: authHeader, description: "Bearer token authentication" } },
    security: [{ BearerToken: [] }],
  };
}

/**
 * `GET /version` from the document's `info.version`: `v1.36` or `v1.36.2` gives major, minor and a
 * semantic gitVersion (kubectl compares it with its own); anything else (`unversioned`, what the documents
 * in the Kubernetes repository say) is kept as gitVersion with empty major and minor. What no document
 * says (commit, build date, Go version) is empty: pass your own `version` beside the document to set it.
 */
export function versionInfo(documentVersion: string): VersionInfo {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?(.*)$/.exec(documentVersion);
  return {
    major: match ? match[1]! : "",
    minor: match ? match[2]! : "",
    gitVersion: match ? `v${match[1]}.${match[2]}.${match[3] ?? "0"}${match[4]}` : documentVersion,
    gitCommit: "",
    gitTreeState: "",
    buildDate: "",
    goVersion: "",
    compiler: "",
    platform: "",
  };
}
