import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLE_SPEC } from "./run.js";

/** The example document, edited by `patch`, written to `dir/name`; returns its path. */
export function writeVariant(dir: string, name: string, patch: (doc: any) => void): string {
  const doc = JSON.parse(readFileSync(EXAMPLE_SPEC, "utf8"));
  patch(doc);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(doc, null, 2));
  return path;
}

/** Adds a third Binding operation (a cluster-scoped create), as a newer API might. */
export function addBindingOperation(doc: any): void {
  const existing = doc.paths["/api/v1/namespaces/{namespace}/bindings"].post;
  doc.paths["/api/v1/bindings"] = {
    post: { ...existing, operationId: "createCoreV1Binding", description: "create a Binding in no namespace" },
  };
}
