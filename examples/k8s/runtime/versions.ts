// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/versions.ts), never in an output: the next run would put it back.

/**
 * Orders Kubernetes versions the way the apiserver prefers them: GA before beta before alpha, and higher
 * numbers first within each (v2 > v1 > v1beta2 > v1beta1 > v1alpha1); others last, by name. Negative when
 * `a` is preferred. (Discovery lists versions in this order; gen-binding picks a kind's version by it.)
 */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    return [m[2] === "alpha" ? 2 : m[2] === "beta" ? 1 : 0, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || (a < b ? -1 : a > b ? 1 : 0);
}
