// A program that only binds a pod with @kubernetes/client-node (bundled and gzipped for the size figure).
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { BINDING } from "./binding.js";

const config = new KubeConfig();
// skipTLSVerify: the client refuses plain http:// (the loopback server) without it.
config.loadFromClusterAndUser({ name: "local", server: process.env["K8S_URL"] ?? "http://127.0.0.1:8080", skipTLSVerify: true }, { name: "me" });
const result = await config.makeApiClient(CoreV1Api).createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING });
console.log(result.kind);
