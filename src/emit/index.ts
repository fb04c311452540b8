import type { ApiModel } from "../model.js";
import type { Templates } from "../templates.js";
import { emitClient } from "./client.js";
import { emitModels } from "./models.js";
import { operationViews } from "./operations.js";
import { emitRoutes } from "./routes.js";
import { fileHeader, kindLabel } from "./text.js";

/** One emitted file, before formatting. `userOwned` files are written only when absent. */
export interface EmittedFile {
  name: string;
  content: string;
  userOwned: boolean;
}

/**
 * Every artifact, in a fixed order: models, client, routes, handlers (user-owned), index, and the Node.js-only
 * transport (node.ts: custom CA, client certificates, in-cluster config) with its kubeconfig reader.
 */
export function emitAll(model: ApiModel, templates: Templates): EmittedFile[] {
  const header = fileHeader(model.kind.id);
  return [
    { name: "models.ts", content: templates.render("models.ts", { header, declarations: emitModels(model) }), userOwned: false },
    { name: "client.ts", content: emitClient(model, templates), userOwned: false },
    { name: "routes.ts", content: emitRoutes(model, templates), userOwned: false },
    { name: "handlers.ts", content: emitHandlers(model, templates), userOwned: true },
    { name: "index.ts", content: templates.render("index.ts", { header }), userOwned: false },
    { name: "node.ts", content: templates.render("node.ts", { header }), userOwned: false },
    { name: "kubeconfig.ts", content: templates.render("kubeconfig.ts", { header }), userOwned: false },
  ];
}

/** The stub of one handler method, as `handlers.ts` has it: appended to a user's file for a new operation. */
export function emitHandlerStub(model: ApiModel, templates: Templates, name: string): string {
  const view = operationViews(model).find((op) => op.name === name);
  if (!view) throw new Error(`internal error: no operation ${name}`);
  return templates.render("_handler", view);
}

/** `handlers.ts`: a kind without operations (a List, `DeleteOptions`) gets an empty object and no unused import. */
function emitHandlers(model: ApiModel, templates: Templates): string {
  const operations = operationViews(model);
  const imports = operations.length ? "statusAnswer, type Handlers" : "type Handlers";
  return templates.render("handlers.ts", { kindId: kindLabel(model.kind.id), imports, operations });
}
