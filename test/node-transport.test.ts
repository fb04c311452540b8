import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasOpenssl, makeTestPki, type TestPki } from "./helpers/certificates.js";
import { loadGenerated } from "./helpers/generated.js";
import { listenLoopback, stopServer } from "./helpers/loopback.js";
import { tempDir } from "./helpers/run.js";
import { typecheckEntry } from "./helpers/typecheck.js";
import { CLIENT, SERVER, runtimeModules } from "./helpers/runtime-lists.js";

/**
 * The generated Node.js transport (node.ts and its runtime modules) against an https server on 127.0.0.1 that serves
 * the generated routes with a certificate made for this run, and asks for (but does not require) a client
 * certificate, as kube-apiserver does.
 */
let pki: TestPki;
let generated: Awaited<ReturnType<typeof loadGenerated>>;
let server: Server;
let baseUrl = "";
const seen: Array<{ token: string | undefined; clientCn: string | undefined }> = [];
let stall = false;

const SUCCESS = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
const BINDING = { metadata: { name: "web-1" }, target: { kind: "Node", name: "node-a" } };

const OPENSSL = hasOpenssl();
const NEEDS_OPENSSL = OPENSSL ? "" : " (skipped: the openssl command is missing, and the TLS tests need certificates)";

beforeAll(async () => {
  generated = await loadGenerated();
  if (!OPENSSL) return;
  pki = makeTestPki();
  const bound = () => ({ body: SUCCESS });
  const listener = generated.routes.createRequestListener({ createNamespacedBinding: bound, createNamespacedPodBinding: bound });
  server = createServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: false }, (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket as TLSSocket;
    const clientCn = socket.authorized ? String(socket.getPeerCertificate().subject?.CN) : undefined;
    seen.push({ token: /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1], clientCn });
    if (stall) return;
    listener(req, res);
  });
  baseUrl = await listenLoopback(server as any, "https");
});
afterAll(() => server && stopServer(server as any));

const bind = (options: Record<string, unknown>) => generated.client.createClient({ baseUrl, timeoutMs: 3000, ...options }).createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING });
const last = () => seen.at(-1);

describe.skipIf(!OPENSSL)("nodeFetch: https with the cluster's CA, client certificates, tokens" + NEEDS_OPENSSL, () => {
  it("binds over https when it trusts the cluster CA", async () => {
    await expect(bind({ token: "t", fetch: generated.node.nodeFetch({ ca: pki.ca }) })).resolves.toMatchObject({ status: 201, body: SUCCESS });
    expect(last()).toEqual({ token: "t", clientCn: undefined });
  });

  it.each([
    ["another CA", () => ({ ca: pki.otherCa })],
    ["Node's built-in CAs", () => ({})],
  ])("refuses the server when it trusts %s, with a message that names the certificate problem", async (_name, tls) => {
    const error = await bind({ fetch: generated.node.nodeFetch(tls()) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(generated.client.ApiError);
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/^POST \/api\/v1\/namespaces\/default\/pods\/web-1\/binding: request failed \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY): .*certificate.*\)$/);
  });

  it("refuses a certificate made for another name unless serverName says which", async () => {
    const wrongHost = generated.client.createClient({ baseUrl: baseUrl.replace("127.0.0.1", "localhost"), fetch: generated.node.nodeFetch({ ca: pki.ca, serverName: "kubernetes.default" }) });
    const error = await wrongHost.createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING }).catch((e: unknown) => e);
    expect(error.message).toContain("ERR_TLS_CERT_ALTNAME_INVALID");
    await expect(bind({ fetch: generated.node.nodeFetch({ ca: pki.ca, serverName: "localhost" }) })).resolves.toMatchObject({ status: 201 });
  });

  it("skips verification only when asked (insecureSkipTlsVerify)", async () => {
    await expect(bind({ fetch: generated.node.nodeFetch({ insecureSkipTlsVerify: true }) })).resolves.toMatchObject({ status: 201 });
  });

  it("presents a client certificate and key", async () => {
    await bind({ fetch: generated.node.nodeFetch({ ca: pki.ca, cert: pki.clientCert, key: pki.clientKey }) });
    expect(last()).toEqual({ token: undefined, clientCn: "example-scheduler" });
  });

  it("ends a stalled exchange at timeoutMs, as the global fetch does", async () => {
    stall = true;
    try {
      const error = await bind({ fetch: generated.node.nodeFetch({ ca: pki.ca }), timeoutMs: 150 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 0, message: "POST /api/v1/namespaces/default/pods/web-1/binding: no answer within 150 ms" });
    } finally {
      stall = false;
    }
  });

  it("the official client trusts the same CA and reaches the same routes", async () => {
    const config = new KubeConfig();
    config.loadFromClusterAndUser({ name: "tls", server: baseUrl, caData: Buffer.from(pki.ca).toString("base64"), skipTLSVerify: false }, { name: "u", token: "official" });
    const result = await config.makeApiClient(CoreV1Api).createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING });
    expect(result.kind).toBe("Status");
    expect(last()!.token).toBe("official");
  });
});

/** A kubeconfig as kubectl writes it (block YAML, sequences at their key's indentation). */
function kubectlYaml(server: string, user: string, extra = ""): string {
  return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${Buffer.from(pki.ca).toString("base64")}
    server: ${server}
  name: test
- cluster:
    server: https://elsewhere.invalid:6443
  name: other
contexts:
- context:
    cluster: test
    namespace: team-a   # the default namespace
    user: ${user}
  name: test
- context:
    cluster: other
    user: ${user}
  name: other
current-context: test
kind: Config
preferences: {}
users:
${extra}
`;
}

describe.skipIf(!OPENSSL)("fromKubeconfig" + NEEDS_OPENSSL, () => {
  const write = (name: string, text: string) => {
    const file = join(tempDir("kubeconfig"), name);
    writeFileSync(file, text);
    return file;
  };
  const certUser = () => `- name: cert-user
  user:
    client-certificate-data: ${Buffer.from(pki.clientCert).toString("base64")}
    client-key-data: ${Buffer.from(pki.clientKey).toString("base64")}
- name: token-user
  user:
    token: "kubeconfig-token"`;

  it("reads kubectl's YAML: server, CA data, client certificate data, current-context, namespace", async () => {
    const options = generated.node.fromKubeconfig(write("config", kubectlYaml(baseUrl, "cert-user", certUser())));
    expect(options).toMatchObject({ baseUrl, namespace: "team-a" });
    await bind(options);
    expect(last()).toEqual({ token: undefined, clientCn: "example-scheduler" });
  });

  it("takes the token user, and a context other than the current one when named", async () => {
    const file = write("config", kubectlYaml(baseUrl, "token-user", certUser()));
    await bind(generated.node.fromKubeconfig(file, "test"));
    expect(last()).toEqual({ token: "kubeconfig-token", clientCn: undefined });
    expect(generated.node.fromKubeconfig(file, "other")).toMatchObject({ baseUrl: "https://elsewhere.invalid:6443" });
  });

  it("reads file paths relative to the kubeconfig, a JSON kubeconfig, and $KUBECONFIG with several files", async () => {
    const dir = tempDir("kubeconfig");
    mkdirSync(join(dir, "pki"));
    writeFileSync(join(dir, "pki", "ca.crt"), pki.ca);
    writeFileSync(join(dir, "pki", "client.crt"), pki.clientCert);
    writeFileSync(join(dir, "pki", "client.key"), pki.clientKey);
    const json = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "json", cluster: { server: baseUrl, "certificate-authority": "pki/ca.crt" } }],
      users: [{ name: "files", user: { "client-certificate": "pki/client.crt", "client-key": "pki/client.key" } }],
      contexts: [{ name: "json", context: { cluster: "json", user: "files" } }],
    };
    writeFileSync(join(dir, "first.json"), JSON.stringify(json));
    writeFileSync(join(dir, "second.yaml"), "current-context: json\n");
    const previous = process.env["KUBECONFIG"];
    process.env["KUBECONFIG"] = [join(dir, "missing"), join(dir, "second.yaml"), join(dir, "first.json")].join(":");
    try {
      await bind(generated.node.fromKubeconfig());
    } finally {
      if (previous === undefined) delete process.env["KUBECONFIG"];
      else process.env["KUBECONFIG"] = previous;
    }
    expect(last()).toEqual({ token: undefined, clientCn: "example-scheduler" });
  });

  it.each([
    ["an exec plugin", "- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: aws\n", /user "u" gets its credentials from an exec plugin \("aws"\), which this client does not run/],
    ["an auth-provider", "- name: u\n  user:\n    auth-provider:\n      name: oidc\n", /user "u" uses the auth-provider plugin "oidc", which this client does not run/],
    ["basic auth", "- name: u\n  user:\n    username: admin\n    password: secret\n", /basic auth/],
  ])("refuses %s with a clear message", (_name, users, message) => {
    expect(() => generated.node.fromKubeconfig(write("config", kubectlYaml(baseUrl, "u", users)))).toThrow(message);
  });

  it("reads a tokenFile, relative to the kubeconfig, again when it changes", async () => {
    const file = write("config", kubectlYaml(baseUrl, "file-user", "- name: file-user\n  user:\n    tokenFile: token.txt\n"));
    const tokenPath = join(file, "..", "token.txt");
    writeFileSync(tokenPath, "from-file\n");
    const options = generated.node.fromKubeconfig(file);
    await bind(options);
    expect(last()!.token).toBe("from-file");
    writeFileSync(tokenPath, "from-file-rotated\n");
    await bind(options);
    expect(last()!.token).toBe("from-file-rotated");
  });

  it("honours insecure-skip-tls-verify, and refuses it together with a CA as kubectl does", async () => {
    const insecure = "apiVersion: v1\nclusters:\n- cluster:\n    insecure-skip-tls-verify: true\n    server: SERVER\n  name: c\ncontexts:\n- context:\n    cluster: c\n  name: x\ncurrent-context: x\n";
    await expect(bind(generated.node.fromKubeconfig(write("config", insecure.replace("SERVER", baseUrl))))).resolves.toMatchObject({ status: 201 });
    const both = insecure.replace("SERVER", `${baseUrl}\n    certificate-authority-data: ${Buffer.from(pki.ca).toString("base64")}`);
    expect(() => generated.node.fromKubeconfig(write("config", both))).toThrow('cluster "c" sets both a certificate authority and insecure-skip-tls-verify');
  });

  it("says which contexts exist when the one asked for does not, and which file was missing", () => {
    const file = write("config", kubectlYaml(baseUrl, "token-user", certUser()));
    expect(() => generated.node.fromKubeconfig(file, "prod")).toThrow(`fromKubeconfig: context "prod" not found in ${file} (contexts: test, other)`);
    expect(() => generated.node.fromKubeconfig(join(tempDir("kubeconfig"), "nope"))).toThrow(/cannot read .*nope: ENOENT/);
  });
});

describe("browser safety", () => {
  it("index.ts and every module it reaches use no Node.js API and compile without @types/node", () => {
    const { diagnostics, files } = typecheckEntry(join(generated.dir, "index.ts"), "bundler");
    expect(diagnostics).toEqual([]);
    const reached = files.filter((file) => file.startsWith(generated.dir)).map((file) => file.slice(generated.dir.length + 1)).sort();
    expect(reached).toEqual(["client.ts", "index.ts", "models.ts", "operations.ts", "routes.ts", ...runtimeModules(CLIENT, SERVER)]);
    for (const file of reached) expect(readFileSync(join(generated.dir, file), "utf8"), file).not.toMatch(/from "node:|\bBuffer\b|\bprocess\.|reference types="node"/);
  });
});

describe.skipIf(!OPENSSL)("inCluster" + NEEDS_OPENSSL, () => {
  it("uses the service account's CA, namespace and token, and re-reads the token file when kubelet rotates it", async () => {
    const dir = tempDir("serviceaccount");
    writeFileSync(join(dir, "ca.crt"), pki.ca);
    writeFileSync(join(dir, "namespace"), "kube-system\n");
    writeFileSync(join(dir, "token"), "first-token\n");
    const options = generated.node.inCluster({ dir, env: { KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: new URL(baseUrl).port } });
    expect(options).toMatchObject({ baseUrl, namespace: "kube-system" });
    const client = generated.client.createClient(options);
    await client.createNamespacedPodBinding({ namespace: "kube-system", name: "web-1", body: BINDING });
    expect(last()!.token).toBe("first-token");
    writeFileSync(join(dir, "token"), "rotated-token-with-another-length\n");
    await client.createNamespacedPodBinding({ namespace: "kube-system", name: "web-1", body: BINDING });
    expect(last()!.token).toBe("rotated-token-with-another-length");
  });

  it("says it is not in a cluster when the service variables are missing", () => {
    expect(() => generated.node.inCluster({ env: {} })).toThrow("inCluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set");
  });
});
