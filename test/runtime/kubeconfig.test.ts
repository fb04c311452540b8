import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { fromKubeconfig, KubeconfigError } from "../../src/runtime/kubeconfig.js";

/**
 * What test/node-transport.test.ts does not cover: how $KUBECONFIG files are merged, where relative paths
 * point, and the refusals that need no server. Every file is written under a fresh temporary folder.
 */
const root = mkdtempSync(join(tmpdir(), "gen-binding-kubeconfig-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** Writes `files` (relative path -> text) under a new folder; returns the folder. */
function folder(files: Record<string, string>): string {
  const dir = join(root, `case-${++n}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A kubeconfig in kubectl's layout. */
function kubeconfig(parts: { current?: string; clusters?: Record<string, string>; users?: Record<string, string>; contexts?: Record<string, string> }): string {
  const list = (items: Record<string, string> | undefined, field: string) =>
    Object.entries(items ?? {})
      .map(([name, body]) => `- ${field}:\n${body.replace(/^/gm, "    ")}\n  name: ${name}\n`)
      .join("");
  return [
    "apiVersion: v1\nkind: Config\n",
    `clusters:\n${list(parts.clusters, "cluster")}`,
    `contexts:\n${list(parts.contexts, "context")}`,
    parts.current ? `current-context: ${parts.current}\n` : "",
    `users:\n${list(parts.users, "user")}`,
  ].join("");
}

const saved = { KUBECONFIG: process.env["KUBECONFIG"], HOME: process.env["HOME"] };
beforeEach(() => {
  delete process.env["KUBECONFIG"];
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const picked = (options: ReturnType<typeof fromKubeconfig>) => ({ baseUrl: options.baseUrl, namespace: options.namespace, token: typeof options.token === "function" ? options.token() : options.token });

describe("fromKubeconfig: $KUBECONFIG", () => {
  const first = kubeconfig({
    current: "one",
    clusters: { shared: "server: https://first.test" },
    users: { alice: "token: alice-from-first" },
    contexts: { one: "cluster: shared\nuser: alice\nnamespace: ns-first" },
  });
  const second = kubeconfig({
    current: "two",
    clusters: { shared: "server: https://second.test", own: "server: https://own.test" },
    users: { alice: "token: alice-from-second", bob: "token: bob" },
    contexts: { one: "cluster: own\nuser: bob", two: "cluster: own\nuser: bob\nnamespace: ns-second", mixed: "cluster: shared\nuser: bob" },
  });

  it.each([
    ["the first file's current-context and entries", undefined, { baseUrl: "https://first.test", namespace: "ns-first", token: "alice-from-first" }],
    ["a context only the second file has", "two", { baseUrl: "https://own.test", namespace: "ns-second", token: "bob" }],
    ["a context of the second file naming a cluster both have: the first file's", "mixed", { baseUrl: "https://first.test", namespace: undefined, token: "bob" }],
  ])("merges as kubectl does: %s", (_name, context, want) => {
    const dir = folder({ "first.yaml": first, "second.yaml": second });
    process.env["KUBECONFIG"] = [join(dir, "first.yaml"), join(dir, "second.yaml")].join(delimiter);
    expect(picked(fromKubeconfig(undefined, context))).toEqual(want);
  });

  it("takes the current-context from the first file that sets one, skipping missing files and empty entries", () => {
    const dir = folder({ "no-current.yaml": kubeconfig({ clusters: { c: "server: https://c.test" } }), "second.yaml": second });
    process.env["KUBECONFIG"] = ["", join(dir, "missing.yaml"), join(dir, "no-current.yaml"), "", join(dir, "second.yaml")].join(delimiter);
    expect(picked(fromKubeconfig())).toEqual({ baseUrl: "https://own.test", namespace: "ns-second", token: "bob" });
  });

  it("says where it looked when every $KUBECONFIG file is missing", () => {
    const dir = folder({});
    process.env["KUBECONFIG"] = [join(dir, "a"), join(dir, "b")].join(delimiter);
    expect(() => fromKubeconfig()).toThrow(`fromKubeconfig: no kubeconfig found (looked at ${join(dir, "a")}${delimiter}${join(dir, "b")})`);
  });

  it.each([
    ["without $KUBECONFIG", undefined],
    ["with an empty $KUBECONFIG", ""],
  ])("reads ~/.kube/config %s", (_name, variable) => {
    const home = folder({ ".kube/config": kubeconfig({ current: "h", clusters: { h: "server: https://home.test" }, contexts: { h: "cluster: h" } }) });
    process.env["HOME"] = home;
    if (variable !== undefined) process.env["KUBECONFIG"] = variable;
    expect(picked(fromKubeconfig())).toEqual({ baseUrl: "https://home.test", namespace: undefined, token: undefined });
  });

  it("reads only the given path, whatever $KUBECONFIG says", () => {
    const dir = folder({ "first.yaml": first, "second.yaml": second });
    process.env["KUBECONFIG"] = join(dir, "first.yaml");
    expect(picked(fromKubeconfig(join(dir, "second.yaml")))).toEqual({ baseUrl: "https://own.test", namespace: "ns-second", token: "bob" });
  });
});

describe("fromKubeconfig: files it names", () => {
  it("resolves a relative tokenFile against the kubeconfig that names it, not the first one or the working directory", () => {
    const a = folder({ "config": kubeconfig({ current: "x", contexts: { x: "cluster: c\nuser: u" } }), token: "wrong\n" });
    const b = folder({ "config": kubeconfig({ clusters: { c: "server: https://c.test" }, users: { u: "tokenFile: secrets/token" } }), "secrets/token": "  right-token\n" });
    process.env["KUBECONFIG"] = [join(a, "config"), join(b, "config")].join(delimiter);
    expect(picked(fromKubeconfig())).toEqual({ baseUrl: "https://c.test", namespace: undefined, token: "right-token" });
  });

  it("reads a relative certificate authority next to its kubeconfig, and names the path it tried when it is missing", () => {
    const good = folder({ "kube/config": kubeconfig({ current: "x", clusters: { c: "server: https://c.test\ncertificate-authority: ../pki/ca.crt" }, contexts: { x: "cluster: c" } }), "pki/ca.crt": "not checked until a connection" });
    const bad = folder({ "kube/config": kubeconfig({ current: "x", clusters: { c: "server: https://c.test\ncertificate-authority: ../pki/ca.crt" }, contexts: { x: "cluster: c" } }) });
    expect(fromKubeconfig(join(good, "kube", "config")).baseUrl).toBe("https://c.test");
    expect(() => fromKubeconfig(join(bad, "kube", "config"))).toThrow(`fromKubeconfig: cannot read the certificate-authority of cluster "c", ${join(bad, "pki", "ca.crt")}: ENOENT`);
  });

  it("keeps an absolute path as it is", () => {
    const pki = folder({ "client.crt": "c", "client.key": "k" });
    const dir = folder({ config: kubeconfig({ current: "x", clusters: { c: "server: https://c.test" }, users: { u: `client-certificate: ${join(pki, "client.crt")}\nclient-key: ${join(pki, "missing.key")}` }, contexts: { x: "cluster: c\nuser: u" } }) });
    expect(() => fromKubeconfig(join(dir, "config"))).toThrow(`fromKubeconfig: cannot read the client-key of user "u", ${join(pki, "missing.key")}: ENOENT`);
  });

  it("prefers an inline token over a tokenFile", () => {
    const dir = folder({ config: kubeconfig({ current: "x", clusters: { c: "server: https://c.test" }, users: { u: "token: inline\ntokenFile: /nonexistent/token" }, contexts: { x: "cluster: c\nuser: u" } }) });
    expect(picked(fromKubeconfig(join(dir, "config"))).token).toBe("inline");
  });

  it("reads JSON that starts after blank lines", () => {
    const json = { "current-context": "x", clusters: [{ name: "c", cluster: { server: "https://json.test" } }], contexts: [{ name: "x", context: { cluster: "c", namespace: "" } }] };
    const dir = folder({ config: `\n  ${JSON.stringify(json)}` });
    expect(picked(fromKubeconfig(join(dir, "config")))).toEqual({ baseUrl: "https://json.test", namespace: undefined, token: undefined });
  });
});

describe("fromKubeconfig: refusals", () => {
  const cluster = { c: "server: https://c.test" };
  it.each([
    ["no current-context and no context named", kubeconfig({ clusters: cluster, contexts: { x: "cluster: c" } }), undefined, (file: string) => `fromKubeconfig: ${file} sets no current-context; name a context`],
    ["a context naming a user that no file has", kubeconfig({ current: "x", clusters: cluster, users: { a: "token: t" }, contexts: { x: "cluster: c\nuser: ghost" } }), undefined, (file: string) => `fromKubeconfig: user "ghost" not found in ${file} (users: a)`],
    ["a context naming a cluster that no file has", kubeconfig({ current: "x", contexts: { x: "cluster: gone" } }), undefined, (file: string) => `fromKubeconfig: cluster "gone" not found in ${file}`],
    ["a cluster without a server", kubeconfig({ current: "x", clusters: { c: "insecure-skip-tls-verify: true" }, contexts: { x: "cluster: c" } }), undefined, () => 'fromKubeconfig: cluster "c" has no server'],
    ["a proxy-url", kubeconfig({ current: "x", clusters: { c: "server: https://c.test\nproxy-url: http://proxy:3128" }, contexts: { x: "cluster: c" } }), undefined, () => 'fromKubeconfig: cluster "c" sets proxy-url, which this client does not support'],
    ["YAML it does not read, with the file and the line", "apiVersion: v1\nclusters:\n- cluster: &c\n", undefined, (file: string) => `fromKubeconfig: ${file}: line 3: "&c": flow collections, anchors, aliases, tags and block scalars are not supported in kubeconfig files here`],
    ["a file that is not a mapping", "- a\n- b\n", undefined, (file: string) => `fromKubeconfig: ${file} is not a kubeconfig (expected a mapping at the top)`],
    ["JSON that does not parse", "{ not json", "x", (file: string) => `fromKubeconfig: ${file}: `],
  ])("refuses %s", (_name, text, context, message) => {
    const file = join(folder({ config: text }), "config");
    expect(() => fromKubeconfig(file, context)).toThrow(message(file));
  });
});

describe("fromKubeconfig: what it throws", () => {
  /** The error `fromKubeconfig(file)` throws. */
  const thrown = (text: string): unknown => {
    const file = join(folder({ config: text }), "config");
    try {
      fromKubeconfig(file);
    } catch (error) {
      return error;
    }
    throw new Error("fromKubeconfig did not throw");
  };

  it("is a KubeconfigError whose problem and advice a program (or gen-binding's CLI) can tell apart", () => {
    const error = thrown(kubeconfig({ current: "x", clusters: { c: "server: https://c.test" }, users: { u: "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: aws" }, contexts: { x: "cluster: c\nuser: u" } }));
    expect(error).toBeInstanceOf(KubeconfigError);
    expect(error).toMatchObject({
      name: "KubeconfigError",
      problem: 'user "u" gets its credentials from an exec plugin ("aws"), which this client does not run',
      advice: "run it yourself and pass the token as the token option",
      message: 'fromKubeconfig: user "u" gets its credentials from an exec plugin ("aws"), which this client does not run; run it yourself and pass the token as the token option',
    });
    const provider = thrown(kubeconfig({ current: "x", clusters: { c: "server: https://c.test" }, users: { u: "auth-provider:\n  name: oidc" }, contexts: { x: "cluster: c\nuser: u" } }));
    expect(provider).toMatchObject({ problem: 'user "u" uses the auth-provider plugin "oidc", which this client does not run', advice: "pass a token as the token option" });
  });

  it("has no advice where there is nothing else to do", () => {
    const error = thrown(kubeconfig({ current: "x", clusters: { c: "insecure-skip-tls-verify: true" }, contexts: { x: "cluster: c" } }));
    expect(error).toMatchObject({ name: "KubeconfigError", problem: 'cluster "c" has no server', advice: undefined, message: 'fromKubeconfig: cluster "c" has no server' });
  });
});

describe("fromKubeconfig: keys are plain data", () => {
  const json = (context: Record<string, unknown>, user: Record<string, unknown> = {}) =>
    `{"current-context":"x","clusters":[{"name":"c","cluster":{"server":"https://c.test"}}],"users":[{"name":"u","user":${JSON.stringify(user)}}],"contexts":[{"name":"x","context":${JSON.stringify({ cluster: "c", user: "u", ...context }).replace("}", ',"__proto__":{"namespace":"from-proto","user":"ghost"}}')}}]}`;

  // Regression (issue 14: the kubeconfig reader treated a `__proto__:` key as a prototype, so keys under it were read: context.__proto__.namespace).
  it.each([
    ["YAML", kubeconfig({ current: "x", clusters: { c: "server: https://c.test" }, users: { u: "token: t" }, contexts: { x: "cluster: c\nuser: u\n__proto__:\n  namespace: from-proto\n  user: ghost" } })],
    ["JSON", json({}, { token: "t" })],
  ])("reads nothing under a __proto__ key (%s)", (_name, text) => {
    const file = join(folder({ config: text }), "config");
    expect(picked(fromKubeconfig(file))).toEqual({ baseUrl: "https://c.test", namespace: undefined, token: "t" });
    expect(({} as Record<string, unknown>)["namespace"]).toBeUndefined();
  });

  // Regression (issue 14): every setting was read with `entry[key]`, so what Object.prototype carries (put there by other code) counted as set.
  it("takes no setting an entry only inherits", () => {
    const file = join(folder({ config: json({}, {}) }), "config");
    const prototype = Object.prototype as Record<string, unknown>;
    try {
      Object.assign(prototype, { token: "inherited-token", namespace: "inherited-ns", exec: { command: "evil" }, "proxy-url": "http://proxy.test" });
      const options = fromKubeconfig(file);
      expect([options.baseUrl, Object.hasOwn(options, "namespace"), Object.hasOwn(options, "token")]).toEqual(["https://c.test", false, false]);
    } finally {
      for (const key of ["token", "namespace", "exec", "proxy-url"]) delete prototype[key];
    }
  });
});
