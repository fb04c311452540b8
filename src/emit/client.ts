import type { ApiModel } from "../model.js";
import { type OperationView, operationViews, referencedTypes } from "./operations.js";
import { fileHeader, stringLiteral } from "./text.js";
import type { Templates } from "../templates.js";

/** `client.ts`: view model for `templates/client.ts.hbs`. */
export function emitClient(model: ApiModel, templates: Templates): string {
  const operations = operationViews(model);
  return templates.render("client.ts", {
    header: fileHeader(model.kind.id),
    kindId: model.kind.id,
    imports: referencedTypes(model, operations).join(", "),
    statusType: model.statusTypeName,
    authHeaderLiteral: stringLiteral(model.authHeader),
    operations: operations.map((op) => ({ ...op, pathExpression: pathExpression(op, model), contentTypeExpression: contentTypeExpression(op) })),
  });
}

/** `"/api/v1/namespaces/" + segment(params.namespace, "namespace") + "/bindings"` */
function pathExpression(op: OperationView, model: ApiModel): string {
  const source = model.operations.find((o) => o.name === op.name)!;
  const parts = source.path.split(/(\{[^}]+\})/).filter((part) => part !== "");
  return parts
    .map((part) => {
      const param = /^\{(.+)\}$/.exec(part) ? op.pathParams.find((p) => p.nameLiteral === stringLiteral(part.slice(1, -1))) : undefined;
      return param ? `segment(${param.access}, ${param.nameLiteral})` : stringLiteral(part);
    })
    .join(" + ");
}

function contentTypeExpression(op: OperationView): string {
  return op.patchTypes.length ? `params.contentType ?? ${op.patchTypes[0]}` : stringLiteral("application/json");
}
