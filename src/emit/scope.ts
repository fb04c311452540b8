import type * as TypeScript from "typescript";
import { requireTypeScript } from "../typescript-peer.js";
import { scanOutline } from "./outline-scan.js";

const ts = requireTypeScript();

/** What the emit stage needs to know of an emitted module, read with the TypeScript parser. */
export interface ModuleOutline {
  /**
   * The names it declares at its top level: its own declarations, what it imports (except from `models.js`,
   * which are the model names themselves) and what it re-exports.
   */
  declared: Set<string>;
  /**
   * Where top-level statements start, their leading comments included: where the module may be cut for
   * formatting in batches. Every statement's start from the parser; from the scanner, most of them.
   */
  statementStarts: number[];
}

/**
 * Reads the top level of an emitted module. A model type must take none of the names it declares: the model
 * would clash where the module imports it, or in `index.ts`, which re-exports models beside the modules. The
 * list comes from the emitted text itself, never from a list kept by hand. The scanner reads what
 * gen-binding emits (see outline-scan.ts); what it cannot read for sure is parsed.
 */
export function outlineModule(fileName: string, text: string): ModuleOutline {
  return scanOutline(ts, text) ?? parseOutline(fileName, text);
}

/** {@link outlineModule} with the TypeScript parser: exact for any module, slower, and a syntax tree in memory. */
export function parseOutline(fileName: string, text: string): ModuleOutline {
  // JSDoc is not parsed: only the statements matter here, and parsing the docs costs five times as much.
  const file = ts.createSourceFile(fileName, text, { languageVersion: ts.ScriptTarget.ES2022, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, ts.ScriptKind.TS);
  const declared = new Set<string>();
  const addBinding = (name: TypeScript.BindingName) => {
    if (ts.isIdentifier(name)) declared.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const from = ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : "";
      const clause = statement.importClause;
      if (!clause || from === "./models.js") continue;
      if (clause.name) declared.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) declared.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) declared.add(element.name.text);
    } else if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause && ts.isNamedExports(clause)) for (const element of clause.elements) declared.add(element.name.text);
      if (clause && ts.isNamespaceExport(clause)) declared.add(clause.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) addBinding(declaration.name);
    } else if (isNamedDeclaration(statement) && statement.name && ts.isIdentifier(statement.name)) {
      declared.add(statement.name.text);
    }
  }
  return { declared, statementStarts: file.statements.map((s) => s.getFullStart()) };
}

function isNamedDeclaration(node: TypeScript.Statement): node is TypeScript.DeclarationStatement {
  return ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node);
}
