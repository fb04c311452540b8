// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/status.ts), never in an output: the next run would put it back.

/** What a Kubernetes `Status` carries (meta/v1): every error answer, and some success answers. */
export interface Status {
  kind?: string;
  apiVersion?: string;
  metadata?: {
    resourceVersion?: string;
    selfLink?: string;
    continue?: string;
    remainingItemCount?: number;
  };
  /** `Success` or `Failure`. */
  status?: string;
  message?: string;
  /** `NotFound`, `Conflict`, `Invalid`, `Unauthorized`, ... */
  reason?: string;
  details?: StatusDetails;
  /** The HTTP status. */
  code?: number;
}

/** The object a `Status` is about, and why it failed (`causes`, one per field for `Invalid`). */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** A `Status` as the apiserver writes it: `status` is `Success` below 400, `Failure` from 400. */
export function statusObject(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): Status & { code: number } {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: code < 400 ? "Success" : "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/**
 * True for a Kubernetes `Status` object: errors, and the success answer of a binding. The type parameter
 * lets generated code narrow to its own `Status` model.
 */
export function isStatus<S = Status>(value: unknown): value is S {
  return (
    typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "Status"
  );
}
