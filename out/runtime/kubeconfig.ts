// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/kubeconfig.ts), never in an output: the next run would put it back.
// Node.js only, like node.ts. Reads kubeconfig files without a YAML dependency: kubectl writes block-style
// YAML (or JSON), and the subset yaml-subset.ts parses covers what it writes; anything else is refused by name.
/// <reference types="node" />
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { type ClusterOptions, fileToken, nodeFetch } from "./node.js";
import { parseYamlSubset } from "./yaml-subset.js";

type Entry = Record<string, unknown>;

/**
 * What {@link fromKubeconfig} throws. `problem` says what is wrong and where; `advice`, where there is one,
 * says what a program can do instead (a plugin it does not run: pass a token). The message is both.
 */
export class KubeconfigError extends Error {
  override readonly name = "KubeconfigError";
  readonly problem: string;
  readonly advice: string | undefined;
  constructor(problem: string, advice?: string) {
    super(`fromKubeconfig: ${problem}${advice === undefined ? "" : `; ${advice}`}`);
    this.problem = problem;
    this.advice = advice;
  }
}

/**
 * Client options from a kubeconfig, as kubectl reads it: `path`, else every file in `$KUBECONFIG` (merged,
 * the first file that sets a name or the current context wins), else `~/.kube/config`; the given `context`,
 * else `current-context`. Supports `server`, `certificate-authority(-data)`, `insecure-skip-tls-verify`,
 * `tls-server-name`, `token`, `tokenFile`, `client-certificate(-data)` and `client-key(-data)`; refuses exec
 * and auth-provider plugins, basic auth and proxies with a message that says so.
 */
export function fromKubeconfig(path?: string, context?: string): ClusterOptions {
  const files = path !== undefined ? [path] : kubeconfigPaths();
  const where = files.join(delimiter);
  const loaded = files.filter((file) => path !== undefined || existsSync(file)).map(loadKubeconfig);
  if (loaded.length === 0) throw new KubeconfigError(`no kubeconfig found (looked at ${where})`);
  const contextName =
    context ??
    loaded
      .map((config) => own(config, "current-context"))
      .find((name) => typeof name === "string" && name !== "");
  if (typeof contextName !== "string")
    throw new KubeconfigError(`${where} sets no current-context; name a context`);
  const ctx = named(loaded, "contexts", "context", contextName, where);
  const clusterName = String(own(ctx, "cluster") ?? "");
  const userName = own(ctx, "user") === undefined ? undefined : String(own(ctx, "user"));
  const cluster = named(loaded, "clusters", "cluster", clusterName, where);
  const user = userName === undefined ? {} : named(loaded, "users", "user", userName, where);
  refuseUnsupported(cluster, user, clusterName, userName ?? "");

  const server = own(cluster, "server");
  if (typeof server !== "string" || server === "")
    throw new KubeconfigError(`cluster "${clusterName}" has no server`);
  const insecure = own(cluster, "insecure-skip-tls-verify") === true;
  const ca = bytes(cluster, "certificate-authority", `cluster "${clusterName}"`);
  if (insecure && ca !== undefined)
    throw new KubeconfigError(
      `cluster "${clusterName}" sets both a certificate authority and insecure-skip-tls-verify; kubectl refuses that too`,
    );
  const options: ClusterOptions = {
    baseUrl: server,
    fetch: nodeFetch({
      ca,
      cert: bytes(user, "client-certificate", `user "${userName}"`),
      key: bytes(user, "client-key", `user "${userName}"`),
      insecureSkipTlsVerify: insecure,
      serverName: optionalString(own(cluster, "tls-server-name")),
    }),
  };
  const token = own(user, "token");
  const tokenFile = own(user, "tokenFile");
  if (typeof token === "string" && token !== "") options.token = token;
  else if (typeof tokenFile === "string") options.token = fileToken(tokenFile);
  const namespace = own(ctx, "namespace");
  if (typeof namespace === "string" && namespace !== "") options.namespace = namespace;
  return options;
}

function kubeconfigPaths(): string[] {
  const variable = process.env["KUBECONFIG"];
  const listed = variable?.split(delimiter).filter((file) => file !== "") ?? [];
  return listed.length ? listed : [join(homedir(), ".kube", "config")];
}

/** Reads one kubeconfig; file paths in it become absolute, relative to the file, as kubectl resolves them. */
function loadKubeconfig(file: string): Entry {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new KubeconfigError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let config: unknown;
  try {
    config = text.trimStart().startsWith("{") ? JSON.parse(text) : parseYamlSubset(text);
  } catch (error) {
    throw new KubeconfigError(`${file}: ${(error as Error).message}`);
  }
  if (!isEntry(config))
    throw new KubeconfigError(`${file} is not a kubeconfig (expected a mapping at the top)`);
  for (const [list, field, keys] of [
    ["clusters", "cluster", ["certificate-authority"]],
    ["users", "user", ["client-certificate", "client-key", "tokenFile"]],
  ] as const) {
    for (const item of listOf(config, list)) {
      const entry = isEntry(item) ? own(item, field) : undefined;
      for (const key of keys) {
        const path = isEntry(entry) ? own(entry, key) : undefined;
        if (isEntry(entry) && typeof path === "string" && !isAbsolute(path))
          entry[key] = resolve(dirname(file), path);
      }
    }
  }
  return config;
}

function named(configs: Entry[], list: string, field: string, name: string, where: string): Entry {
  const names: string[] = [];
  for (const config of configs) {
    for (const item of listOf(config, list)) {
      if (!isEntry(item)) continue;
      const entry = own(item, field);
      if (own(item, "name") === name) return isEntry(entry) ? entry : {};
      names.push(String(own(item, "name")));
    }
  }
  throw new KubeconfigError(
    `${field} "${name}" not found in ${where}${names.length ? ` (${list}: ${names.join(", ")})` : ""}`,
  );
}

function refuseUnsupported(
  cluster: Entry,
  user: Entry,
  clusterName: string,
  userName: string,
): void {
  const exec = own(user, "exec");
  if (isEntry(exec)) {
    throw new KubeconfigError(
      `user "${userName}" gets its credentials from an exec plugin (${JSON.stringify(own(exec, "command"))}), which this client does not run`,
      "run it yourself and pass the token as the token option",
    );
  }
  const authProvider = own(user, "auth-provider");
  if (isEntry(authProvider)) {
    throw new KubeconfigError(
      `user "${userName}" uses the auth-provider plugin ${JSON.stringify(own(authProvider, "name"))}, which this client does not run`,
      "pass a token as the token option",
    );
  }
  if (own(user, "username") !== undefined || own(user, "password") !== undefined)
    throw new KubeconfigError(
      `user "${userName}" uses basic auth (username/password), which this client does not support`,
    );
  if (own(cluster, "proxy-url") !== undefined)
    throw new KubeconfigError(
      `cluster "${clusterName}" sets proxy-url, which this client does not support`,
    );
}

/** `<key>-data` (base64) or the file `<key>` names; `owner` names the entry in messages. */
function bytes(entry: Entry, key: string, owner: string): Uint8Array | undefined {
  const data = own(entry, `${key}-data`);
  if (typeof data === "string" && data !== "") return Buffer.from(data, "base64");
  const file = own(entry, key);
  if (typeof file !== "string" || file === "") return undefined;
  try {
    return readFileSync(file);
  } catch (error) {
    throw new KubeconfigError(
      `cannot read the ${key} of ${owner}, ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * A key of the file, only if the file sets it: never one an object inherits (`toString`, or whatever code
 * elsewhere may have put on `Object.prototype`). `__proto__` is plain data in both readers: JSON.parse and
 * yaml-subset.ts define it as an own key, so nothing under it is ever read as a setting.
 */
function own(entry: Entry, key: string): unknown {
  return Object.hasOwn(entry, key) ? entry[key] : undefined;
}

function listOf(config: Entry, list: string): unknown[] {
  const items = own(config, list);
  return Array.isArray(items) ? items : [];
}

function isEntry(value: unknown): value is Entry {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
