import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { GenBindingError } from "./errors.js";
import { isRecord } from "./load.js";

/** Settings a config file may hold: the same as the CLI flags. */
export interface FileConfig {
  spec?: string;
  /** Several documents (the group-version documents of OpenAPI v3): `["k8s/api__v1.json", "k8s/apis__apps__v1.json"]`. */
  specs?: string[];
  out?: string;
  /** `["Binding", "Pod"]`; `kind: "Binding,Pod"` is read into it too. */
  kinds?: string[];
  /** `["client", "node"]` or `"client,node"`. */
  emit?: string[];
  handlers?: string;
  templates?: string;
  failOnBreaking?: boolean;
  report?: "text" | "json";
}

export const CONFIG_FILE = "gen-binding.config.json";

const STRING_KEYS = ["spec", "out", "templates", "handlers"] as const;
const LIST_KEYS = ["kinds", "kind", "emit"] as const;
const SPEC_LIST_KEY = "specs";

/**
 * Reads `gen-binding.config.json` from `cwd`, or else the `"gen-binding"` key of `cwd/package.json`.
 * Relative paths are resolved against the folder of the file that names them. Undefined when neither exists.
 */
export function loadConfig(cwd: string): { config: FileConfig; source: string } | undefined {
  const file = join(cwd, CONFIG_FILE);
  const own = readJson(file);
  if (own !== undefined) return { config: checkConfig(own, file), source: file };
  const pkgFile = join(cwd, "package.json");
  const pkg = readJson(pkgFile);
  if (isRecord(pkg) && pkg["gen-binding"] !== undefined) return { config: checkConfig(pkg["gen-binding"], `${pkgFile} "gen-binding"`), source: pkgFile };
  return undefined;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GenBindingError(`${path}: not valid JSON: ${(error as Error).message.split("\n")[0]}`);
  }
}

function checkConfig(value: unknown, where: string): FileConfig {
  if (!isRecord(value)) throw new GenBindingError(`${where}: must be an object`);
  const base = dirname(where.split(" ")[0]!);
  const config: FileConfig = {};
  for (const [key, item] of Object.entries(value)) {
    if ((STRING_KEYS as readonly string[]).includes(key)) {
      if (typeof item !== "string" || item === "") throw new GenBindingError(`${where}: "${key}" must be a non-empty string`);
      config[key as (typeof STRING_KEYS)[number]] = key === "spec" ? specPath(base, item) : resolve(base, item);
    } else if ((LIST_KEYS as readonly string[]).includes(key)) {
      const list = typeof item === "string" ? [item] : item;
      if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === "string" && v !== "")) {
        throw new GenBindingError(`${where}: "${key}" must be a non-empty string or a list of them`);
      }
      const target = key === "emit" ? "emit" : "kinds";
      if (key !== "emit" && config.kinds) throw new GenBindingError(`${where}: give "kinds" or "kind", not both`);
      config[target] = list as string[];
    } else if (key === SPEC_LIST_KEY) {
      if (!Array.isArray(item) || item.length === 0 || !item.every((v) => typeof v === "string" && v !== "")) {
        throw new GenBindingError(`${where}: "specs" must be a non-empty list of paths or URLs`);
      }
      if (Object.hasOwn(value, "spec")) throw new GenBindingError(`${where}: give "spec" or "specs", not both`);
      config.specs = item.map((spec: string) => specPath(base, spec));
    } else if (key === "failOnBreaking") {
      if (typeof item !== "boolean") throw new GenBindingError(`${where}: "failOnBreaking" must be true or false`);
      config.failOnBreaking = item;
    } else if (key === "report") {
      if (item !== "text" && item !== "json") throw new GenBindingError(`${where}: "report" must be "text" or "json"`);
      config.report = item;
    } else {
      throw new GenBindingError(`${where}: unknown setting "${key}" (known: ${["spec", SPEC_LIST_KEY, ...STRING_KEYS.slice(1), ...LIST_KEYS, "failOnBreaking", "report"].join(", ")})`);
    }
  }
  return config;
}

/** A spec named in a config file: a path relative to the file; URLs and `-` as they are. */
function specPath(base: string, spec: string): string {
  return spec === "-" || /^https?:\/\//i.test(spec) ? spec : resolve(base, spec);
}
