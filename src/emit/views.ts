import type { ApiModel, OperationModel, ParameterModel } from "../model.js";
import { docComment, propertyAccess, propertyKey, stringLiteral } from "./text.js";

/** One parameter as both the client and the routes present it. */
export interface ParameterView {
  /** The wire name, as the document has it (not escaped: for lookups, never for output). */
  name: string;
  /** Key in the params object (`namespace`, `"x-foo"`). */
  key: string;
  /** The wire name as a string literal. */
  nameLiteral: string;
  /** `params.namespace` */
  access: string;
  optional: boolean;
  type: string;
  doc: string;
  /** Runtime description for the routes' query parser. */
  spec: string;
}

/** One operation as both the client and the routes present it. */
export interface OperationView {
  name: string;
  /** `CreateNamespacedBinding`: prefix of the operation's own type names. */
  typeName: string;
  doc: string;
  method: string;
  methodLiteral: string;
  pathLiteral: string;
  operationIdLiteral: string;
  pathParams: ParameterView[];
  queryParams: ParameterView[];
  hasBody: boolean;
  bodyType: string;
  bodyOptional: boolean;
  /** Union of the body types of all 2xx answers. */
  resultType: string;
  /** Union of the 2xx status codes (`200 | 201 | 202`). */
  statusType: string;
  /** Status a route stub answers with by default. */
  defaultStatus: number;
  patchTypes: string[];
  patchTypeUnion: string;
  contentTypesLiteral: string;
}

const TS_TYPES: Record<ParameterModel["type"], string> = { string: "string", boolean: "boolean", integer: "number", number: "number" };

/** Computes the per-operation view shared by the client and route emitters. */
export function operationViews(model: ApiModel): OperationView[] {
  return model.operations.map((op) => {
    const resultTypes = [...new Set(op.responses.flatMap((r) => r.typeNames))];
    const statuses = op.responses.map((r) => r.status);
    const patchTypes = op.patchTypes.map(stringLiteral);
    return {
      name: op.name,
      typeName: op.name[0]!.toUpperCase() + op.name.slice(1),
      doc: operationDoc(op, "  "),
      method: op.method,
      methodLiteral: stringLiteral(op.method),
      pathLiteral: stringLiteral(op.path),
      operationIdLiteral: stringLiteral(op.operationId),
      pathParams: op.pathParams.map(parameterView),
      queryParams: op.queryParams.map(parameterView),
      hasBody: op.body !== undefined,
      bodyType: op.body?.typeName ?? "never",
      bodyOptional: op.body !== undefined && !op.body.required,
      resultType: resultTypes.length ? resultTypes.join(" | ") : "unknown",
      statusType: statuses.length ? statuses.join(" | ") : "number",
      defaultStatus: statuses.includes(op.action === "post" ? 201 : 200) ? (op.action === "post" ? 201 : 200) : (statuses[0] ?? 200),
      patchTypes,
      patchTypeUnion: patchTypes.join(" | "),
      contentTypesLiteral: `[${(op.patchTypes.length ? op.patchTypes : ["application/json"]).map(stringLiteral).join(", ")}]`,
    };
  });
}

function operationDoc(op: OperationModel, indent: string): string {
  return docComment([op.description, `\`${op.method} ${op.path}\` (operationId \`${op.operationId}\`)`, op.deprecated ? "@deprecated" : undefined], indent);
}

function parameterView(parameter: ParameterModel): ParameterView {
  const type = parameter.enum ? parameter.enum.map(stringLiteral).join(" | ") : TS_TYPES[parameter.type];
  const spec = { type: parameter.type, ...(parameter.enum ? { enum: parameter.enum } : {}) };
  return {
    name: parameter.name,
    key: propertyKey(parameter.name),
    nameLiteral: stringLiteral(parameter.name),
    access: propertyAccess("params", parameter.name),
    optional: !parameter.required,
    type,
    doc: docComment([parameter.description], "  "),
    spec: JSON.stringify(spec).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029"),
  };
}

/** The model type names the operations refer to, for the emitted `import type` line. */
export function referencedTypes(model: ApiModel, views: readonly OperationView[]): string[] {
  const known = new Set(model.schemas.map((s) => s.name));
  const names = new Set<string>([model.statusTypeName]);
  for (const view of views) for (const part of `${view.bodyType} | ${view.resultType}`.split(" | ")) if (known.has(part)) names.add(part);
  return [...names].sort();
}
