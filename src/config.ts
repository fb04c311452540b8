import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GenBindingError } from "./errors.js";
import { parseKindQuery } from "./gvk.js";
import { describe, isRecord } from "./json.js";
import { isUrl } from "./load.js";
import { EMIT_PARTS, type EmitPart } from "./parts.js";

/**
 * The settings of `gen-binding.config.ts` (or `.mts`, `.js`, `.mjs`, `.json`), or of the `"gen-binding"` key
 * of package.json: the CLI's flags by the same names. Flags given on the command line win. Paths are
 * relative to the file that names them. A key left `undefined` counts as absent.
 *
 * ```ts
 * import { defineConfig } from "gen-binding";
 *
 * export default defineConfig({ spec: "k8s/swagger.json", out: "src/k8s", kinds: ["Binding", "Pod", "Node"] });
 * ```
 */
export interface GenBindingConfig {
  /**
   * The document: a path, an http(s) URL, or `"-"` for standard input; Swagger 2.0 (`kubectl get --raw
   * /openapi/v2`) or OpenAPI 3.0, JSON or YAML. Give `spec` or `specs`, not both (`--spec`).
   */
  spec?: string | undefined;
  /**
   * Several documents, merged into one output (the group-version documents of OpenAPI v3):
   * `["k8s/api__v1.json", "k8s/apis__apps__v1.json"]` (`--spec` repeated).
   */
  specs?: readonly string[] | undefined;
  /** The output folder (`--out`; default `out`). */
  out?: string | undefined;
  /**
   * The kinds: `"Binding"`, `"v1/Binding"`, `"core/v1/Binding"`, `"rbac.authorization.k8s.io/v1/RoleBinding"`,
   * or `"*"` for every kind of the document (`--kind`; default `["Binding"]`).
   */
  kinds?: readonly string[] | undefined;
  /** The parts to write (`--emit`; default all of them; `models` always comes along). */
  emit?: readonly EmitPart[] | undefined;
  /** Where your handlers file lives, a `.ts` file (`--handlers`; default `<out>/handlers.ts`). */
  handlers?: string | undefined;
  /** A folder of `.hbs` files that replace built-in templates of the same name (`--templates`). */
  templates?: string | undefined;
  /** How to print the outcome of a run (`--report`; default `"text"`). */
  report?: "text" | "json" | undefined;
  /**
   * Refuse a breaking change of the output's public API: write nothing and exit 1, on every run, until the
   * change is accepted with `--accept-breaking` (`--fail-on-breaking`).
   */
  failOnBreaking?: boolean | undefined;
}

/**
 * Types a config file's settings: `export default defineConfig({ ... })` in `gen-binding.config.ts`. It
 * returns its argument unchanged; the settings are checked again when the file is read.
 */
export function defineConfig(config: GenBindingConfig): GenBindingConfig {
  return config;
}

/** The settings of a config, checked, with paths resolved against the file's folder. */
export interface FileConfig {
  spec?: string;
  specs?: string[];
  out?: string;
  kinds?: string[];
  emit?: string[];
  handlers?: string;
  templates?: string;
  failOnBreaking?: boolean;
  report?: "text" | "json";
}

/** The names a config file may have in the working folder, in the order the README lists them. */
export const CONFIG_FILES = ["gen-binding.config.ts", "gen-binding.config.mts", "gen-binding.config.js", "gen-binding.config.mjs", "gen-binding.config.json"];

const STRING_KEYS = ["spec", "out", "templates", "handlers"] as const;
const LIST_KEYS = ["kinds", "kind", "emit"] as const;
const KNOWN_KEYS = ["spec", "specs", "out", "templates", "handlers", "kinds", "kind", "emit", "failOnBreaking", "report"];

/**
 * Reads the config: the file `path` (`--config`), else the one `gen-binding.config.*` of `cwd`, else the
 * `"gen-binding"` key of `cwd/package.json`; undefined when there is none. A `.ts` or `.mts` file is loaded
 * with jiti, and only then (it costs tens of milliseconds); a `.js` or `.mjs` file is imported. Every
 * problem is one line that names the file: two config files, a file that does not load, a setting that is
 * unknown or of the wrong type.
 */
export async function loadConfig(cwd: string, path?: string): Promise<{ config: FileConfig; source: string } | undefined> {
  if (path !== undefined) return readConfigFile(resolve(cwd, path), `--config ${path}`);
  const found = CONFIG_FILES.map((name) => join(cwd, name)).filter((file) => existsSync(file));
  if (found.length > 1) throw new GenBindingError(`${found.map((file) => basename(file)).join(" and ")} in ${cwd}: keep one config file (or choose with --config)`);
  const pkgFile = join(cwd, "package.json");
  const inPackage = packageSettings(pkgFile);
  if (found.length === 1) {
    if (inPackage !== undefined) throw new GenBindingError(`${found[0]} and the "gen-binding" key of ${pkgFile} both hold settings: keep one`);
    return readConfigFile(found[0]!, found[0]!);
  }
  if (inPackage === undefined) return undefined;
  return { config: checkConfig(inPackage, `${pkgFile} "gen-binding"`, cwd), source: pkgFile };
}

/** A config file named by `--config` or found in the working folder; `flag` says how it was named, for messages. */
async function readConfigFile(file: string, named: string): Promise<{ config: FileConfig; source: string }> {
  if (!existsSync(file)) throw new GenBindingError(`${named}: no such file`);
  const base = dirname(file);
  if (basename(file) === "package.json") {
    const settings = packageSettings(file);
    if (settings === undefined) throw new GenBindingError(`${file} has no "gen-binding" key`);
    return { config: checkConfig(settings, `${file} "gen-binding"`, base), source: file };
  }
  const extension = extname(file);
  if (extension === ".json") return { config: checkConfig(readJson(file), file, base), source: file };
  if (![".ts", ".mts", ".js", ".mjs"].includes(extension)) {
    throw new GenBindingError(`${named}: a config file is .ts, .mts, .js, .mjs or .json (or a package.json with a "gen-binding" key)`);
  }
  return { config: checkConfig(await importDefault(file), file, base), source: file };
}

/** The default export of a config module: TypeScript through jiti, JavaScript through import(). */
async function importDefault(file: string): Promise<unknown> {
  let exported: Record<string, unknown>;
  try {
    if (file.endsWith("ts")) {
      // jiti, loaded only for a TypeScript config: Node 20 cannot import .ts itself.
      const { createJiti } = await import("jiti");
      const jiti = createJiti(import.meta.url, { alias: { "gen-binding": fileURLToPath(new URL("./index.js", import.meta.url)) } });
      exported = await jiti.import<Record<string, unknown>>(file);
    } else {
      exported = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    }
  } catch (error) {
    const esm = file.endsWith(".js") && /import statement outside a module|Unexpected token 'export'/.test(String((error as Error)?.message));
    throw new GenBindingError(`${file}: cannot load: ${oneLine(error)}${esm ? ' (a .js file holds ES module code only in a "type": "module" package: name it .mjs)' : ""}`);
  }
  if (!("default" in exported) || exported["default"] === undefined) {
    throw new GenBindingError(`${file}: no default export: export the settings as the default export (export default defineConfig({ ... }))`);
  }
  return exported["default"];
}

/** An error's message on one line (jiti puts the place of a syntax error on a line of its own). */
function oneLine(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split("\n").map((line) => line.trim());
  return lines.filter(Boolean).join(" ").slice(0, 500);
}

/** package.json's `"gen-binding"` value, or undefined when the file or the key is absent. */
function packageSettings(file: string): unknown {
  if (!existsSync(file)) return undefined;
  const pkg = readJson(file);
  return isRecord(pkg) ? pkg["gen-binding"] : undefined;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new GenBindingError(`${path}: cannot read: ${(error as NodeJS.ErrnoException).code ?? oneLine(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GenBindingError(`${path}: not valid JSON: ${oneLine(error)}`);
  }
}

/** Checks every setting (the file named in each message) and resolves paths against `base`. */
function checkConfig(value: unknown, where: string, base: string): FileConfig {
  if (!isRecord(value)) throw new GenBindingError(`${where}: the settings must be an object, not ${describe(value)}`);
  const config: FileConfig = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if ((STRING_KEYS as readonly string[]).includes(key)) {
      if (typeof item !== "string" || item === "") throw new GenBindingError(`${where}: "${key}" must be a non-empty string`);
      config[key as (typeof STRING_KEYS)[number]] = key === "spec" ? specPath(base, item) : resolve(base, item);
    } else if ((LIST_KEYS as readonly string[]).includes(key)) {
      const list = typeof item === "string" ? [item] : item;
      if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === "string" && v !== "")) {
        throw new GenBindingError(`${where}: "${key}" must be a non-empty string or a list of them`);
      }
      const words = list.flatMap((entry: string) => entry.split(",").map((word) => word.trim()));
      if (key === "emit") {
        const unknown = words.find((word) => !(EMIT_PARTS as readonly string[]).includes(word));
        if (unknown !== undefined) throw new GenBindingError(`${where}: "emit" has ${JSON.stringify(unknown)}, which is not a part: use ${EMIT_PARTS.join(", ")}`);
        config.emit = list;
      } else {
        if (config.kinds) throw new GenBindingError(`${where}: give "kinds" or "kind", not both`);
        const unknown = words.find((word) => parseKindQuery(word) === undefined);
        if (unknown !== undefined) throw new GenBindingError(`${where}: "${key}" has ${JSON.stringify(unknown)}, which is not a kind: use Kind, version/Kind, group/version/Kind or *`);
        config.kinds = list;
      }
    } else if (key === "specs") {
      if (!Array.isArray(item) || item.length === 0 || !item.every((v) => typeof v === "string" && v !== "")) {
        throw new GenBindingError(`${where}: "specs" must be a non-empty list of paths or URLs`);
      }
      if (value["spec"] !== undefined) throw new GenBindingError(`${where}: give "spec" or "specs", not both`);
      config.specs = item.map((spec: string) => specPath(base, spec));
    } else if (key === "failOnBreaking") {
      if (typeof item !== "boolean") throw new GenBindingError(`${where}: "failOnBreaking" must be true or false`);
      config.failOnBreaking = item;
    } else if (key === "report") {
      if (item !== "text" && item !== "json") throw new GenBindingError(`${where}: "report" must be "text" or "json"`);
      config.report = item;
    } else {
      throw new GenBindingError(`${where}: unknown setting "${key}" (known: ${KNOWN_KEYS.join(", ")})`);
    }
  }
  return config;
}

/** A spec named in a config file: a path relative to the file; URLs and `-` as they are. */
function specPath(base: string, spec: string): string {
  return spec === "-" || isUrl(spec) ? spec : resolve(base, spec);
}
