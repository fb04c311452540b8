import type { ApiModel, ParameterModel } from "../model.js";
import type { Templates } from "../templates.js";
import { clientQueryKeys, defaultStatus, isCatalogued, parameterView } from "./views.js";
import { dataLiteral } from "./text.js";

/**
 * `operations.ts`: the `QueryParameters` catalog and the `api` table (kinds, query parameter types,
 * operations) that the client and the routes run on. View model for `templates/operations.ts.hbs`.
 */
export function emitOperationsTable(model: ApiModel, catalog: ReadonlyMap<string, ParameterModel>, templates: Templates, header: string): string {
  return templates.render("operations.ts", {
    header,
    queryParameters: [...catalog.values()].map((p) => parameterView(p)),
    apiLiteral: dataLiteral(apiTable(model, catalog)),
  });
}

/** The data of the `api` table, in the shape of the runtime's `ApiTable`. */
function apiTable(model: ApiModel, catalog: ReadonlyMap<string, ParameterModel>) {
  const querySpec = (p: ParameterModel) => ({ type: p.type, enum: p.enum });
  const operations: Record<string, unknown> = {};
  for (const op of model.operations) {
    const keys = clientQueryKeys(op);
    const query = op.queryParams.map((p) => {
      const key = keys.get(p.name)!;
      const sameSpec = isCatalogued(p, catalog) || JSON.stringify(querySpec(catalog.get(p.name)!)) === JSON.stringify(querySpec(p));
      if (sameSpec && key === p.name) return p.name;
      return { name: p.name, key: key === p.name ? undefined : key, spec: sameSpec ? undefined : querySpec(p) };
    });
    // defineProperty-free: operation names are identifiers (names.ts), never `__proto__`.
    operations[op.name] = {
      method: op.method,
      path: op.path,
      operationId: op.operationId,
      action: op.action,
      kind: op.kind,
      query,
      body: op.body ? { type: op.body.typeName, required: op.body.required, contentTypes: op.patchTypes.length ? op.patchTypes : undefined } : undefined,
      status: defaultStatus(op),
      answer: op.answer === "json" ? undefined : op.answer,
    };
  }
  return {
    authHeader: model.authHeader,
    kinds: model.kinds.map((k) => ({ group: k.group, version: k.version, kind: k.kind, type: k.typeName, names: k.nameRule })),
    query: Object.fromEntries([...catalog.entries()].map(([name, p]) => [name, querySpec(p)])),
    operations,
  };
}
