import { type InterfaceDeclaration, Node, Project, type PropertySignature, type SourceFile } from "ts-morph";

/** A field of a model as users see it in the emitted TypeScript. */
export interface FieldSurface {
  type: string;
  optional: boolean;
  deprecated: boolean;
}

export interface ModelSurface {
  deprecated: boolean;
  /** For interfaces: fields by name. */
  fields?: Record<string, FieldSurface>;
  /** For type aliases: the aliased type. */
  type?: string;
}

export interface OperationSurface {
  method: string;
  path: string;
  /** Parameters by name (including `body`). */
  params: Record<string, FieldSurface>;
  /** Body type of a success answer. */
  result: string;
}

/** The public surface of an output folder: what a change to it can break for users. Sorted, plain data. */
export interface Surface {
  models: Record<string, ModelSurface>;
  operations: Record<string, OperationSurface>;
}

/**
 * Reads the public surface of emitted files (`models.ts`, `client.ts`, `routes.ts`) with ts-morph. Files
 * that are absent give an empty surface, so a first run compares against nothing.
 */
export function readSurface(files: ReadonlyArray<{ name: string; content: string }>): Surface {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  const source = (name: string) => {
    const file = files.find((f) => f.name === name);
    return file ? project.createSourceFile(`/out/${name}`, file.content) : undefined;
  };
  const models = source("models.ts");
  const client = source("client.ts");
  const routes = source("routes.ts");
  return { models: models ? readModels(models) : {}, operations: client && routes ? readOperations(client, routes) : {} };
}

function readModels(file: SourceFile): Record<string, ModelSurface> {
  const result: Record<string, ModelSurface> = {};
  for (const declaration of file.getInterfaces()) {
    result[declaration.getName()] = { deprecated: isDeprecated(declaration), fields: readFields(declaration) };
  }
  for (const alias of file.getTypeAliases()) {
    result[alias.getName()] = { deprecated: isDeprecated(alias), type: typeText(alias.getTypeNode()?.getText() ?? "unknown") };
  }
  return sortKeys(result);
}

function readFields(declaration: InterfaceDeclaration): Record<string, FieldSurface> {
  const fields: Record<string, FieldSurface> = {};
  for (const property of declaration.getProperties()) fields[propertyName(property)] = readField(property);
  return sortKeys(fields);
}

function readField(property: PropertySignature): FieldSurface {
  return { type: typeText(property.getTypeNode()?.getText() ?? "unknown"), optional: property.hasQuestionToken(), deprecated: isDeprecated(property) };
}

function readOperations(client: SourceFile, routes: SourceFile): Record<string, OperationSurface> {
  const table = new Map<string, { method: string; path: string }>();
  const initializer = routes.getVariableDeclaration("routes")?.getInitializer();
  const array = initializer && Node.isAsExpression(initializer) ? initializer.getExpression() : initializer;
  if (array && Node.isArrayLiteralExpression(array)) {
    for (const element of array.getElements()) {
      if (!Node.isObjectLiteralExpression(element)) continue;
      const text = (key: string) => {
        const property = element.getProperty(key);
        const value = property && Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
        return value && Node.isStringLiteral(value) ? value.getLiteralValue() : "";
      };
      table.set(text("name"), { method: text("method"), path: text("path") });
    }
  }
  const result: Record<string, OperationSurface> = {};
  for (const method of client.getInterface("Client")?.getMethods() ?? []) {
    const name = method.getName();
    const paramsType = method.getParameters()[0]?.getTypeNode()?.getText();
    const paramsInterface = paramsType ? client.getInterface(paramsType) : undefined;
    const returnType = typeText(method.getReturnTypeNode()?.getText() ?? "");
    const result_ = /ApiResponse<(.*),[^,]*>>$/.exec(returnType)?.[1] ?? returnType;
    result[name] = {
      method: table.get(name)?.method ?? "",
      path: table.get(name)?.path ?? "",
      params: paramsInterface ? readFields(paramsInterface) : {},
      result: result_.trim(),
    };
  }
  return sortKeys(result);
}

function propertyName(property: PropertySignature): string {
  const nameNode = property.getNameNode();
  return Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : property.getName();
}

function isDeprecated(node: Node): boolean {
  return Node.isJSDocable(node) && node.getJsDocs().some((doc) => doc.getTags().some((tag) => tag.getTagName() === "deprecated"));
}

function typeText(text: string): string {
  return text.replace(/\s+/g, " ").replace(/;\s*}/g, " }").trim();
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
