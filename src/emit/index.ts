import type { ApiModel } from "../model.js";
import type { EmitPart } from "../parts.js";
import type { Selection } from "../select.js";
import type { Templates } from "../templates.js";
import { emitClient } from "./client.js";
import { emitDiscovery } from "./discovery.js";
import { emitModels } from "./models.js";
import { emitRoutes } from "./routes.js";
import { emitOperationsTable } from "./table.js";
import { fileHeader, kindsLabel, stringLiteral } from "./text.js";
import { type OperationView, operationViews, queryCatalog } from "./views.js";

/** One emitted file, before formatting. `userOwned` files are written only when absent. */
export interface EmittedFile {
  /** Path relative to the output folder (the handlers file may live outside it: `../handlers.ts`). */
  name: string;
  content: string;
  userOwned: boolean;
}

export interface EmitOptions {
  parts: ReadonlySet<EmitPart>;
  /** The handlers file, relative to the output folder (default `handlers.ts`). */
  handlersFile: string;
  /** How the handlers file imports `routes.ts` (`./routes.js`, `../out/routes.js`). */
  routesImport: string;
  /** The selected slice of the document: the `discovery` part serves it as OpenAPI. */
  selection?: Selection;
}

/**
 * The generated files of the chosen parts, in a fixed order: models, the operations table (for the client
 * and the routes), client, routes, the user's handlers, index, the Node.js entry (node.ts) and the
 * discovery data (discovery.ts). The
 * runtime modules they import are copied beside them verbatim (see runtime-files.ts), never rendered here.
 */
export function emitAll(model: ApiModel, templates: Templates, options: EmitOptions): EmittedFile[] {
  const kindIds = model.kinds.map((k) => k.id);
  const header = fileHeader(kindIds);
  const kinds = kindsLabel(kindIds);
  const catalog = queryCatalog(model);
  const views = operationViews(model, catalog);
  const { parts } = options;
  const client = parts.has("client");
  const routes = parts.has("routes");
  const files: EmittedFile[] = [{ name: "models.ts", content: templates.render("models.ts", { header, declarations: emitModels(model) }), userOwned: false }];
  if (client || routes) files.push({ name: "operations.ts", content: emitOperationsTable(model, catalog, templates, header), userOwned: false });
  if (client) files.push({ name: "client.ts", content: emitClient(model, views, templates, header, kinds), userOwned: false });
  if (routes) {
    files.push({ name: "routes.ts", content: emitRoutes(model, views, templates, header, kinds), userOwned: false });
    files.push({ name: options.handlersFile, content: emitHandlers(views, templates, kinds, options.routesImport), userOwned: true });
  }
  files.push({ name: "index.ts", content: templates.render("index.ts", { header, client, routes, operations: client || routes }), userOwned: false });
  if (parts.has("node")) files.push({ name: "node.ts", content: templates.render("node.ts", { header }), userOwned: false });
  if (parts.has("discovery")) {
    if (!options.selection) throw new Error("internal error: the discovery part needs the selection");
    files.push({ name: "discovery.ts", content: emitDiscovery(model, options.selection, templates, header, kinds), userOwned: false });
  }
  return files;
}

/** The stub of one handler method, as the handlers file has it: inserted into a user's file for a new operation. */
export function emitHandlerStub(model: ApiModel, templates: Templates, name: string): string {
  const view = operationViews(model).find((op) => op.name === name);
  if (!view) throw new Error(`internal error: no operation ${name}`);
  return templates.render("_handler", view);
}

/** The handlers file: an output without operations gets an empty object and no unused import. */
function emitHandlers(operations: readonly OperationView[], templates: Templates, kinds: string, routesImport: string): string {
  const imports = operations.length ? "statusAnswer, type Handlers" : "type Handlers";
  return templates.render("handlers.ts", { kinds, imports, routesImport: stringLiteral(routesImport), operations });
}
