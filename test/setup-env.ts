/**
 * The suite runs gen-binding and generated programs in child processes, which inherit this environment.
 * These variables change what they print or where they look, so the environment the suite is started in
 * (a CI runner that sets FORCE_COLOR, a developer with $KUBECONFIG, a pod with KUBERNETES_SERVICE_HOST)
 * must not decide an outcome. Tests that are about one of them set it themselves.
 */
const decisive = [
  "FORCE_COLOR",
  "NO_COLOR",
  "NODE_DISABLE_COLORS",
  "GEN_BINDING_TIMING",
  "GEN_BINDING_WORKERS",
  "GEN_BINDING_CODE_CACHE",
  "KUBECONFIG",
  "KUBERNETES_SERVICE_HOST",
  "KUBERNETES_SERVICE_PORT",
];
for (const name of decisive) delete process.env[name];
