import { createRequire } from "node:module";
import type { GlobalContext, SchemaObject } from "openapi-typescript";
import type * as OpenApiTs from "openapi-typescript/dist/lib/ts.cjs";
import type * as OpenApiSchemaObject from "openapi-typescript/dist/transform/schema-object.cjs";
import type * as TypeScript from "typescript";
import { requireTypeScript } from "../typescript-peer.js";
import type { ApiModel, SchemaModel, SchemaNode } from "../model.js";
import { commentText } from "./text.js";

// CommonJS on purpose: an ESM import of typescript.js makes Node scan all 9 MB of it for export names
// (~0.3 s); require() skips that, and the code cache skips most of its compilation. openapi-typescript's
// CommonJS build then finds this same typescript instance in the require cache.
const ts = requireTypeScript();
const require = createRequire(import.meta.url);
const { addJSDocComment, astToString } = require("openapi-typescript/dist/lib/ts.cjs") as typeof OpenApiTs;
const transformSchemaObject = (require("openapi-typescript/dist/transform/schema-object.cjs") as typeof OpenApiSchemaObject).default;

const REF_PREFIX = "#/components/schemas/";

/**
 * `models.ts`: one exported declaration per schema, type expressions by openapi-typescript. Objects
 * become interfaces (readable in hovers and errors), everything else a type alias. References become
 * plain type names instead of openapi-typescript's `components["schemas"][...]` lookups.
 */
export function emitModels(model: ApiModel): string {
  const ctx = createContext(model.schemas);
  // One declaration at a time, so that a blank line separates them in the output.
  return model.schemas.map((schema) => astToString(declare(schema, ctx)).trim()).join("\n\n");
}

function declare(schema: SchemaModel, ctx: GlobalContext): TypeScript.Statement {
  const type = transformSchemaObject(withCommentText(withLiterals(schema)) as SchemaObject, { path: `${REF_PREFIX}${schema.name}`, ctx });
  const exported = [ts.factory.createModifier(ts.SyntaxKind.ExportKeyword)];
  const declaration = ts.isTypeLiteralNode(type)
    ? ts.factory.createInterfaceDeclaration(exported, schema.name, undefined, undefined, type.members)
    : ts.factory.createTypeAliasDeclaration(exported, schema.name, undefined, type);
  // Only what documents the type itself: its properties carry their own comments.
  const { description, deprecated, format, title } = withCommentText(schema.schema);
  addJSDocComment({ description, deprecated, format, title }, declaration);
  return declaration;
}

/** The schema with `apiVersion` and `kind` narrowed to the kind's own values (`"v1"`, `"Binding"`). */
function withLiterals({ schema, literals }: SchemaModel): SchemaNode {
  if (!literals) return schema;
  const properties = schema["properties"] as Record<string, SchemaNode>;
  const narrowed = { ...properties, apiVersion: { ...properties["apiVersion"], enum: literals.apiVersion }, kind: { ...properties["kind"], enum: literals.kind } };
  return { ...schema, properties: narrowed };
}

/** The texts openapi-typescript puts in JSDoc. */
const COMMENT_KEYS = new Set(["description", "title", "format"]);
/** Values that are data, not text for readers: enum members become literal types and must stay exact. */
const DATA_KEYS = new Set(["enum", "default"]);

/**
 * The schema with its JSDoc texts cleaned by {@link commentText}: openapi-typescript escapes `*\/` but
 * writes other line terminators and control characters into comments as they are.
 */
function withCommentText(node: SchemaNode): SchemaNode {
  const clean = (value: unknown, key: string): unknown => {
    if (typeof value === "string") return COMMENT_KEYS.has(key) ? commentText(value) : value;
    if (typeof value !== "object" || value === null || DATA_KEYS.has(key)) return value;
    if (Array.isArray(value)) return value.map((item) => clean(item, ""));
    // fromEntries keeps a property named `__proto__` a property.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v, key === "properties" ? "" : k)]));
  };
  return clean(node, "") as SchemaNode;
}

function createContext(schemas: readonly SchemaModel[]): GlobalContext {
  const byName = new Map(schemas.map((s) => [s.name, s.schema]));
  const refToType = (ref: string) => ts.factory.createTypeReferenceNode(ref.slice(REF_PREFIX.length));
  return {
    additionalProperties: false,
    alphabetize: false,
    arrayLength: false,
    defaultNonNullable: false,
    discriminators: { objects: {}, refsHandled: [] },
    emptyObjectsUnknown: true,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    propertiesRequiredByDefault: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    redoc: undefined as unknown as GlobalContext["redoc"],
    silent: true,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
    resolve<T>(ref: string): T | undefined {
      return (ref.startsWith(REF_PREFIX) ? byName.get(ref.slice(REF_PREFIX.length)) : undefined) as T | undefined;
    },
    // A property that is a `$ref` keeps its own description (openapi-typescript documents it), and its
    // type becomes the plain model name.
    transform(schemaObject) {
      return "$ref" in schemaObject && typeof schemaObject.$ref === "string" ? refToType(schemaObject.$ref) : undefined;
    },
    postTransform(type) {
      return replaceComponentRefs(type);
    },
    transformProperty: undefined,
  };
}

/** `components["schemas"]["ObjectMeta"]` -> `ObjectMeta`, anywhere inside a type. */
function replaceComponentRefs(type: TypeScript.TypeNode): TypeScript.TypeNode {
  const visit = (node: TypeScript.Node): TypeScript.Node => {
    const name = ts.isIndexedAccessTypeNode(node) ? componentName(node) : undefined;
    if (name !== undefined) return ts.factory.createTypeReferenceNode(name);
    return ts.visitEachChild(node, visit, undefined);
  };
  return visit(type) as TypeScript.TypeNode;
}

function componentName(node: TypeScript.IndexedAccessTypeNode): string | undefined {
  const inner = node.objectType;
  if (!ts.isIndexedAccessTypeNode(inner) || !ts.isTypeReferenceNode(inner.objectType)) return undefined;
  const base = inner.objectType.typeName;
  if (!ts.isIdentifier(base) || base.text !== "components") return undefined;
  const key = (n: TypeScript.TypeNode) => (ts.isLiteralTypeNode(n) && ts.isStringLiteral(n.literal) ? n.literal.text : undefined);
  return key(inner.indexType) === "schemas" ? key(node.indexType) : undefined;
}
