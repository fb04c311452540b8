import { type InterfaceDeclaration, Node, type ObjectLiteralExpression, Project, type PropertySignature, type SourceFile, SyntaxKind } from "ts-morph";

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
 * Reads the public surface of emitted files (`models.ts`, `operations.ts`, `client.ts`) with ts-morph. Files
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
  // Outputs of gen-binding before 0.2 kept the table in routes.ts (`routes`), and nothing in operations.ts.
  const table = source("operations.ts");
  const legacyRoutes = table ? undefined : source("routes.ts");
  const methods = table ? readOperationTable(table) : legacyRoutes ? readLegacyRouteTable(legacyRoutes) : undefined;
  return { models: models ? readModels(models) : {}, operations: client && methods ? readOperations(client, methods, table?.getInterface("QueryParameters")) : {} };
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

function readOperations(client: SourceFile, table: Map<string, { method: string; path: string }>, catalog: InterfaceDeclaration | undefined): Record<string, OperationSurface> {
  const result: Record<string, OperationSurface> = {};
  // `runtime.WatchEvent<Pod>` and `streaming.WatchEvent<Pod>` are one type: which runtime module the client
  // reaches it through is not part of its API.
  const namespaces = client.getImportDeclarations().flatMap((d) => d.getNamespaceImport()?.getText() ?? []);
  const unqualified = (text: string) => (namespaces.length ? text.replace(new RegExp(`\\b(?:${namespaces.join("|")})\\.`, "g"), "") : text);
  for (const method of client.getInterface("Client")?.getMethods() ?? []) {
    const name = method.getName();
    if (Object.hasOwn(result, name)) continue; // An overload (a followed log): the first one says it.
    const paramsType = method.getParameters()[0]?.getTypeNode()?.getText();
    // `XParams`, `XParams & { follow: true }`, or a patch's `type XParams = XTarget & PatchRequest<...>`.
    const named = paramsType?.match(/^\w+/)?.[0];
    const alias = named ? client.getTypeAlias(named)?.getTypeNode()?.getText().match(/^\w+/)?.[0] : undefined;
    const paramsInterface = named ? client.getInterface(alias ?? named) : undefined;
    const returnType = unqualified(typeText(method.getReturnTypeNode()?.getText() ?? ""));
    const result_ = /ApiResponse<(.*),[^,]*>>$/.exec(returnType)?.[1] ?? returnType;
    result[name] = {
      method: table.get(name)?.method ?? "",
      path: table.get(name)?.path ?? "",
      params: paramsInterface ? sortKeys({ ...pickedFields(paramsInterface, catalog), ...readFields(paramsInterface) }) : {},
      result: result_.trim(),
    };
  }
  return sortKeys(result);
}

/** `api.operations` of operations.ts: method and path of each operation. */
function readOperationTable(file: SourceFile): Map<string, { method: string; path: string }> {
  const table = new Map<string, { method: string; path: string }>();
  const initializer = file.getVariableDeclaration("api")?.getInitializer();
  const api = initializer && Node.isAsExpression(initializer) ? initializer.getExpression() : initializer;
  const operations = api && Node.isObjectLiteralExpression(api) ? api.getProperty("operations") : undefined;
  const literal = operations && Node.isPropertyAssignment(operations) ? operations.getInitializer() : undefined;
  if (!literal || !Node.isObjectLiteralExpression(literal)) return table;
  for (const property of literal.getProperties()) {
    if (!Node.isPropertyAssignment(property)) continue;
    const entry = property.getInitializer();
    if (!entry || !Node.isObjectLiteralExpression(entry)) continue;
    table.set(property.getName(), { method: stringMember(entry, "method"), path: stringMember(entry, "path") });
  }
  return table;
}

/** The `routes` array of a routes.ts written before 0.2. */
function readLegacyRouteTable(routes: SourceFile): Map<string, { method: string; path: string }> {
  const table = new Map<string, { method: string; path: string }>();
  const initializer = routes.getVariableDeclaration("routes")?.getInitializer();
  const array = initializer && Node.isAsExpression(initializer) ? initializer.getExpression() : initializer;
  if (!array || !Node.isArrayLiteralExpression(array)) return table;
  for (const element of array.getElements()) {
    if (!Node.isObjectLiteralExpression(element)) continue;
    table.set(stringMember(element, "name"), { method: stringMember(element, "method"), path: stringMember(element, "path") });
  }
  return table;
}

/** A string member of an object literal (`method: "POST"`), or "". */
function stringMember(object: ObjectLiteralExpression, key: string): string {
  const member = object.getProperty(key);
  const value = member && Node.isPropertyAssignment(member) ? member.getInitializer() : undefined;
  return value && Node.isStringLiteral(value) ? value.getLiteralValue() : "";
}

/** The fields a params interface takes from `QueryParameters` by `extends Pick<QueryParameters, "a" | "b">`. */
function pickedFields(declaration: InterfaceDeclaration, catalog: InterfaceDeclaration | undefined): Record<string, FieldSurface> {
  if (!catalog) return {};
  const fields: Record<string, FieldSurface> = {};
  const all = readFields(catalog);
  for (const heritage of declaration.getExtends()) {
    const [target, keys] = heritage.getTypeArguments();
    if (heritage.getExpression().getText() !== "Pick" || target?.getText() !== "QueryParameters" || !keys) continue;
    for (const literal of keys.getDescendantsOfKind(SyntaxKind.StringLiteral)) {
      const name = literal.getLiteralValue();
      if (Object.hasOwn(all, name)) fields[name] = all[name]!;
    }
  }
  return fields;
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
