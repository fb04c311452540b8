import type { ApiModel } from "../model.js";
import { type OperationView, type ParameterView, operationViews, referencedTypes } from "./operations.js";
import { fileHeader, kindLabel, propertyAccess, propertyKey, stringLiteral } from "./text.js";
import type { Templates } from "../templates.js";

/** `client.ts`: view model for `templates/client.ts.hbs`. */
export function emitClient(model: ApiModel, templates: Templates): string {
  const operations = operationViews(model);
  return templates.render("client.ts", {
    header: fileHeader(model.kind.id),
    kindId: kindLabel(model.kind.id),
    imports: referencedTypes(model, operations).join(", "),
    statusType: model.statusTypeName,
    authHeaderLiteral: stringLiteral(model.authHeader),
    hasPathParams: operations.some((op) => op.pathParams.length > 0),
    operations: operations.map((op) => ({
      ...op,
      queryParams: queryParamsWithFreeKeys(op),
      pathExpression: pathExpression(op, model),
      contentTypeExpression: contentTypeExpression(op),
    })),
  });
}

/** `"/api/v1/namespaces/" + segment(params.namespace, "namespace") + "/bindings"` */
function pathExpression(op: OperationView, model: ApiModel): string {
  const source = model.operations.find((o) => o.name === op.name)!;
  const parts = source.path.split(/(\{[^}]+\})/).filter((part) => part !== "");
  return parts
    .map((part) => {
      const param = /^\{(.+)\}$/.exec(part) ? op.pathParams.find((p) => p.name === part.slice(1, -1)) : undefined;
      return param ? `segment(${param.access}, ${param.nameLiteral})` : stringLiteral(part);
    })
    .join(" + ");
}

function contentTypeExpression(op: OperationView): string {
  return op.patchTypes.length ? `params.contentType ?? ${op.patchTypes[0]}` : stringLiteral("application/json");
}

/**
 * The client takes path parameters, the body and query parameters in one flat object, so a query parameter
 * named like another member (`body`, `contentType`, a path parameter) gets a `Query` suffix there; it is
 * still sent under its own name.
 */
function queryParamsWithFreeKeys(op: OperationView): ParameterView[] {
  const taken = new Set([...op.pathParams.map((p) => p.key), ...op.queryParams.map((p) => p.key)]);
  const reserved = new Set([...op.pathParams.map((p) => p.key), ...(op.hasBody ? ["body"] : []), ...(op.patchTypes.length ? ["contentType"] : [])]);
  return op.queryParams.map((param) => {
    if (!reserved.has(param.key)) return param;
    let name = `${param.name}Query`;
    while (taken.has(propertyKey(name))) name += "_";
    taken.add(propertyKey(name));
    return { ...param, key: propertyKey(name), access: propertyAccess("params", name) };
  });
}
