// `npm run example:server [-- --port 8080] [-- --tls --kubeconfig <file>]`: an API server with three pending
// pods and two nodes. With --tls it serves HTTPS on a certificate it makes, and --kubeconfig writes a
// kubeconfig for kubectl (the CA and a bearer token).
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createExampleServer, listen } from "./server.js";
import { exampleCluster } from "./seed.js";
import { kubeconfigText, makeServingCertificates } from "./tls.js";

const flag = (name: string) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : (process.argv[at + 1] ?? "");
};
const port = Number(flag("--port") ?? process.env["PORT"] ?? 8080);
const tls = process.argv.includes("--tls");
const kubeconfig = flag("--kubeconfig");
// kubectl sends no token to an http:// server: with a kubeconfig, a token only makes sense over TLS.
const token = process.env["EXAMPLE_TOKEN"] ?? (kubeconfig && tls ? randomBytes(16).toString("hex") : undefined);
const certificates = tls ? makeServingCertificates() : undefined;
const server = createExampleServer(exampleCluster(), { ...(token ? { token } : {}), ...(certificates ? { tls: certificates } : {}) });
const url = await listen(server, port);
console.log(`example API server on ${url}${token ? " (bearer token required)" : ""}`);
if (kubeconfig) {
  writeFileSync(kubeconfig, kubeconfigText(url, certificates?.ca, token), { mode: 0o600 });
  console.log(`  kubeconfig:    ${kubeconfig} (export KUBECONFIG=${kubeconfig}; kubectl get pods -o wide)`);
}
console.log(`  pending pods:  curl -s${certificates ? "k" : ""} '${url}/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName='${token ? ` -H 'Authorization: Bearer ${token}'` : ""}`);
console.log(`  schedule them: ${kubeconfig ? `KUBECONFIG=${kubeconfig} npm run example:scheduler` : `npm run example:scheduler -- --server ${url}${token ? ` --token ${token}` : ""}`}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
