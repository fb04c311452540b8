// A program that only binds a pod with gen-binding's client (bundled and gzipped for the size figure).
import { createClient } from "../../out/client.js";
import { BINDING } from "./binding.js";

const client = createClient({ baseUrl: process.env["K8S_URL"] ?? "http://127.0.0.1:8080" });
const { status } = await client.createNamespacedPodBinding({ namespace: "default", name: "web-1", body: BINDING });
console.log(status);
