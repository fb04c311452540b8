// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/patch.ts), never in an output: the next run would put it back.
import { ApiError } from "./api-error.js";
import { PATCH_MEDIA_TYPES, type PatchType } from "./table.js";

export { PATCH_MEDIA_TYPES, type PatchType } from "./table.js";

/** One operation of a JSON Patch (RFC 6902): a PATCH body is an array of them. */
export type JsonPatchOperation =
  | { op: "add" | "replace" | "test"; path: string; value: unknown }
  | { op: "remove"; path: string }
  | { op: "move" | "copy"; from: string; path: string };

/**
 * A JSON merge patch (RFC 7386) of a `T`: any part of it; `null` removes a field; an array is replaced
 * whole, so it is given whole.
 */
export type MergePatch<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: MergePatch<T[K]> | null }
    : T;

/**
 * A strategic merge patch of a `T`: like a merge patch, but lists with a merge key merge item by item, so
 * items are partial too, and the directives (`$patch`, `$retainKeys`, `$setElementOrder/<list>`,
 * `$deleteFromPrimitiveList/<list>`) may appear.
 */
export type StrategicMergePatch<T> = T extends readonly (infer U)[]
  ? StrategicMergePatch<U>[]
  : T extends object
    ? { [K in keyof T]?: StrategicMergePatch<T[K]> | null } & PatchDirectives
    : T;

export interface PatchDirectives {
  $patch?: "replace" | "merge" | "delete";
  $retainKeys?: string[];
  [list: `$setElementOrder/${string}`]: unknown[];
  [list: `$deleteFromPrimitiveList/${string}`]: unknown[];
}

/**
 * The object a field manager owns, for server-side apply: any part of a `T` (lists included), with its
 * `apiVersion` and `kind` given.
 */
export type ApplyConfiguration<T> = DeepPartial<T> &
  ("apiVersion" extends keyof T
    ? { apiVersion: NonNullable<T["apiVersion" & keyof T]> }
    : unknown) &
  ("kind" extends keyof T ? { kind: NonNullable<T["kind" & keyof T]> } : unknown);

type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * The body of a PATCH of a `T` and how the server applies it: `patchType` (default `merge`) chooses the
 * body's type and the Content-Type it is sent with. `P` lists the patch types the operation takes. An
 * apply needs `fieldManager`, as the apiserver does.
 */
export type PatchRequest<T, P extends PatchType> =
  | ("merge" extends P ? { patchType?: "merge"; body: MergePatch<T> } : never)
  | ("json" extends P ? { patchType: "json"; body: JsonPatchOperation[] } : never)
  | ("strategic-merge" extends P
      ? { patchType: "strategic-merge"; body: StrategicMergePatch<T> }
      : never)
  | ("apply" extends P
      ? { patchType: "apply"; body: ApplyConfiguration<T>; fieldManager: string }
      : never);

/**
 * The Content-Type a patch is sent with: the one of its `patchType`, or the operation's first (merge).
 * A patch type the operation does not take is refused before anything is sent.
 */
export function patchMediaType(
  patchType: unknown,
  accepted: readonly string[],
  label: string,
): string {
  if (patchType === undefined) return accepted[0] ?? PATCH_MEDIA_TYPES.merge;
  const mediaType = Object.hasOwn(PATCH_MEDIA_TYPES, String(patchType))
    ? PATCH_MEDIA_TYPES[patchType as PatchType]
    : undefined;
  if (mediaType && accepted.includes(mediaType)) return mediaType;
  const known = Object.keys(PATCH_MEDIA_TYPES).filter((type) =>
    accepted.includes(PATCH_MEDIA_TYPES[type as PatchType]),
  );
  throw new ApiError(
    `${label}: patchType ${JSON.stringify(patchType)} is not one this operation takes (${known.join(", ")})`,
    { status: 0 },
  );
}
