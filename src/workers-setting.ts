/**
 * `GEN_BINDING_WORKERS`: unset (or not a number) for the automatic choice by output size; `0` to do
 * everything on the main thread; `N` for a render thread and N format workers whatever the size (tests).
 */
export function workersSetting(): number | undefined {
  const value = process.env["GEN_BINDING_WORKERS"];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
