import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A CA and a serving certificate it signed, for 127.0.0.1 and localhost (PEM). */
export interface ServingCertificates {
  ca: string;
  cert: string;
  key: string;
}

/**
 * Makes a self-signed CA and a serving certificate for 127.0.0.1 with the openssl command (Node cannot
 * write X.509 certificates itself); EC P-256 keys, valid for 30 days. The files are removed afterwards.
 */
export function makeServingCertificates(): ServingCertificates {
  const dir = mkdtempSync(join(tmpdir(), "gen-binding-example-tls-"));
  const openssl = (args: string[]) => {
    try {
      execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(code === "ENOENT" ? "--tls needs the openssl command, which is not installed" : `openssl ${args[0]} failed: ${String((error as { stderr?: unknown }).stderr ?? error)}`);
    }
  };
  try {
    for (const name of ["ca", "server"]) openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", `${name}.key`]);
    openssl(["req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=gen-binding-example-ca", "-days", "30", "-out", "ca.crt", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    openssl(["req", "-new", "-key", "server.key", "-subj", "/CN=kube-apiserver", "-out", "server.csr"]);
    writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n");
    openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "30", "-extfile", "server.ext", "-out", "server.crt"]);
    const read = (file: string) => readFileSync(join(dir, file), "utf8");
    return { ca: read("ca.crt"), cert: read("server.crt"), key: read("server.key") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A kubeconfig (the YAML kubectl writes) for one cluster, trusted by its CA, and one bearer token. */
export function kubeconfigText(server: string, ca: string | undefined, token: string | undefined): string {
  const lines = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: gen-binding-example",
    "  cluster:",
    `    server: ${server}`,
    ...(ca ? [`    certificate-authority-data: ${Buffer.from(ca).toString("base64")}`] : []),
    "users:",
    "- name: example-user",
    ...(token ? ["  user:", `    token: ${token}`] : ["  user: {}"]),
    "contexts:",
    "- name: gen-binding-example",
    "  context:",
    "    cluster: gen-binding-example",
    "    user: example-user",
    "    namespace: default",
    "current-context: gen-binding-example",
    "",
  ];
  return lines.join("\n");
}
