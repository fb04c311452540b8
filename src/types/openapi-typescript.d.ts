// openapi-typescript publishes types for its package root only. gen-binding requires the two modules it
// uses directly, so that loading it does not also load @redocly/openapi-core and the CLI machinery.
declare module "openapi-typescript/dist/transform/schema-object.cjs" {
  import type { ReferenceObject, SchemaObject, TransformNodeOptions } from "openapi-typescript";
  import type ts from "typescript";
  export default function transformSchemaObject(schemaObject: SchemaObject | ReferenceObject, options: TransformNodeOptions): ts.TypeNode;
}

declare module "openapi-typescript/dist/lib/ts.cjs" {
  import type ts from "typescript";
  export function addJSDocComment(schemaObject: object, node: ts.Node): void;
  export function astToString(ast: ts.Node | ts.Node[]): string;
}
