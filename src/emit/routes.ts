import type { GroupVersionKind } from "../gvk.js";
import type { ApiModel, SchemaNode } from "../model.js";
import type { Templates } from "../templates.js";
import { operationViews, referencedTypes } from "./operations.js";
import { fileHeader, kindLabel, stringLiteral } from "./text.js";

/** Compact schema the emitted validator walks (see the `Shape` type in `templates/routes.ts.hbs`). */
interface Shape {
  t: string;
  p?: Record<string, Shape>;
  q?: string[];
  i?: Shape;
  v?: Shape;
  r?: string;
  e?: unknown[];
}

/** `routes.ts`: view model for `templates/routes.ts.hbs`. */
export function emitRoutes(model: ApiModel, templates: Templates): string {
  const operations = operationViews(model);
  const shapes: Record<string, Shape> = {};
  for (const schema of model.schemas) shapes[schema.name] = toShape(schema.schema);
  return templates.render("routes.ts", {
    header: fileHeader(model.kind.id),
    kindId: kindLabel(model.kind.id),
    imports: referencedTypes(model, operations).join(", "),
    statusType: model.statusTypeName,
    operations,
    routeTable: operations.map((op) => {
      const path = model.operations.find((o) => o.name === op.name)!.path;
      return {
        ...op,
        pattern: `new RegExp(${stringLiteral(pathPattern(path))})`,
        bodySpec: op.hasBody
          ? `{ type: ${stringLiteral(op.bodyType)}, required: ${!op.bodyOptional}, contentTypes: ${op.contentTypesLiteral}, patch: ${op.patchTypes.length > 0} }`
          : "undefined",
        resourceLiteral: stringLiteral(resourceOf(path)),
      };
    }),
    nameRuleLiteral: stringLiteral(nameRule(model.kind)),
    groupLiteral: stringLiteral(model.kind.group),
    kindLiteral: stringLiteral(model.kind.kind),
    apiVersionLiteral: stringLiteral(model.kind.apiVersion),
    kindTypeLiteral: stringLiteral(model.kind.typeName),
    authHeaderLiteral: stringLiteral(model.authHeader),
    shapesLiteral: stringLiteral(JSON.stringify(shapes)),
  });
}

/** `/api/v1/namespaces/{namespace}/pods/{name}/binding` -> `pods`: the resource `{name}` names. */
function resourceOf(path: string): string {
  const segments = path.split("/");
  const index = segments.indexOf("{name}");
  return index > 0 ? segments[index - 1]! : (segments.filter((s) => s && !s.startsWith("{")).at(-1) ?? "");
}

/**
 * How the apiserver validates names of this kind: most kinds need a DNS-1123 subdomain; RBAC and cluster
 * trust bundles accept any path segment (`system:controller:x`), namespaces a DNS-1123 label, services a
 * DNS-1035 label.
 */
function nameRule(kind: GroupVersionKind): "subdomain" | "label" | "label1035" | "segment" {
  if (kind.group === "rbac.authorization.k8s.io") return "segment";
  if (kind.group === "certificates.k8s.io" && kind.kind === "ClusterTrustBundle") return "segment";
  if (kind.group === "" && kind.kind === "Namespace") return "label";
  if (kind.group === "" && kind.kind === "Service") return "label1035";
  return "subdomain";
}

/** `/api/v1/namespaces/{namespace}/bindings` -> `^/api/v1/namespaces/([^/]+)/bindings$` */
function pathPattern(path: string): string {
  const escaped = path
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{.+\}$/.test(part) ? "([^/]+)" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return `^${escaped}$`;
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
