import type { ApiModel, SchemaNode } from "../model.js";
import { resourcePath } from "../runtime/request-info.js";
import type { Templates } from "../templates.js";
import { dataLiteral, propertyKey, stringLiteral } from "./text.js";
import type { OperationView } from "./views.js";
import { referencedTypes } from "./views.js";

/** The compact schema the routes check bodies against: runtime/validate.ts `Shape`, which documents it. */
import type { Shape } from "../runtime/validate.js";

/** `routes.ts`: view model for `templates/routes.ts.hbs`. */
export function emitRoutes(model: ApiModel, views: readonly OperationView[], templates: Templates, header: string, kinds: string): string {
  const shapes: Record<string, Shape> = {};
  for (const schema of model.schemas) shapes[schema.name] = toShape(schema.schema);
  return templates.render("routes.ts", {
    header,
    kinds,
    modelImports: referencedTypes(model, views).join(", "),
    usesQueryParameters: views.some((op) => op.routeQueryType.includes("Pick<QueryParameters")),
    statusType: model.statusTypeName,
    operations: views,
    shapesLiteral: stringLiteral(JSON.stringify(shapes)),
    columnTextLiteral: dataLiteral(columnText(model)),
    tableResources: tableResources(model),
  });
}

/** The document's words for ObjectMeta's `name` and `creationTimestamp`: the default Table's column descriptions. */
function columnText(model: ApiModel): { name: string | undefined; creationTimestamp: string | undefined } {
  const objectMeta = model.schemas.find((s) => s.definitionName.endsWith("meta.v1.ObjectMeta"));
  const properties = (objectMeta?.schema["properties"] ?? {}) as Record<string, SchemaNode>;
  const text = (field: string) => (typeof properties[field]?.["description"] === "string" ? (properties[field]!["description"] as string) : undefined);
  return { name: text("name"), creationTimestamp: text("creationTimestamp") };
}

/**
 * The resources a Table can be asked of (those with a get or list), keyed as the `tables` option takes
 * them (`pods`, `deployments.apps`), each with the model type of its objects.
 */
function tableResources(model: ApiModel): Array<{ key: string; type: string }> {
  const types = new Map<string, Set<string>>();
  for (const op of model.operations) {
    const at = resourcePath(op.path);
    if (!at || (op.action !== "get" && op.action !== "list")) continue;
    const key = at.group ? `${at.resource}.${at.group}` : at.resource;
    types.set(key, (types.get(key) ?? new Set()).add(model.kinds[op.kind]!.typeName));
  }
  return [...types.keys()].sort().map((key) => ({ key: propertyKey(key), type: [...types.get(key)!].sort().join(" | ") }));
}

function toShape(node: SchemaNode): Shape {
  const ref = node["$ref"];
  if (typeof ref === "string") return { t: "ref", r: ref.slice(ref.lastIndexOf("/") + 1) };
  const oneOf = node["oneOf"];
  if (Array.isArray(oneOf) && oneOf.length === 2 && oneOf.every((o) => ["integer", "string"].includes((o as SchemaNode)["type"] as string))) return { t: "int-or-string" };
  const allOf = node["allOf"];
  if (Array.isArray(allOf) && allOf.length === 1) return toShape(allOf[0] as SchemaNode);
  const enumValues = Array.isArray(node["enum"]) ? { e: node["enum"] } : {};
  switch (node["type"]) {
    case "string":
    case "integer":
    case "number":
    case "boolean":
      return { t: node["type"], ...enumValues };
    case "array":
      return { t: "array", i: toShape((node["items"] ?? {}) as SchemaNode) };
    case "object": {
      const properties = node["properties"] as Record<string, SchemaNode> | undefined;
      const additional = node["additionalProperties"];
      if (properties && Object.keys(properties).length && !additional) {
        // fromEntries defines own properties: a property named `__proto__` stays a property.
        const p: Record<string, Shape> = Object.fromEntries(Object.keys(properties).sort().map((name) => [name, toShape(properties[name]!)]));
        const required = Array.isArray(node["required"]) ? (node["required"] as string[]) : [];
        return required.length ? { t: "object", p, q: required } : { t: "object", p };
      }
      const values = typeof additional === "object" && additional !== null ? toShape(additional as SchemaNode) : { t: "any" };
      return { t: "map", v: values };
    }
    default:
      return { t: "any", ...enumValues };
  }
}
