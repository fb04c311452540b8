// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/answer.ts), never in an output: the next run would put it back.
import { type Output, negotiateOutput } from "./negotiate.js";
import { type Status, statusObject } from "./status.js";
import { toYaml } from "./yaml-write.js";

/** An answer ready to send. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** An answer whose value is still to be written in the negotiated form. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  value: unknown;
}

/** A `Status` as a reply, with its code as the HTTP status. */
export function statusReply(
  body: Status & { code: number },
  headers: Record<string, string> = {},
): Reply {
  return { status: body.code, headers, value: body };
}

/**
 * Writes a value as JSON (indented for `pretty`) or YAML. A value JSON cannot write (a BigInt, a cycle)
 * throws, and the caller answers 500.
 */
export function encode(reply: Reply, output: Pick<Output, "type" | "pretty">): Answer {
  const json = JSON.stringify(reply.value, null, output.pretty ? 2 : undefined);
  const body =
    json === undefined ? "" : output.type === "application/yaml" ? toYaml(JSON.parse(json)) : json;
  return {
    status: reply.status,
    headers: { "content-type": output.type, ...reply.headers },
    body,
  };
}

/**
 * Writes an error as the apiserver's `ErrorNegotiated` does: in the form the client accepts (YAML for
 * `Accept: application/yaml`), and in JSON when it accepts nothing we write.
 */
export function encodeError(
  reply: Reply,
  accept: string | undefined,
  prettyQuery: string | null,
  userAgent: string | undefined,
): Answer {
  const output = negotiateOutput(accept, { table: false }, prettyQuery, userAgent);
  return encode(reply, "error" in output ? { type: "application/json", pretty: false } : output);
}

/** The 500 every unexpected failure becomes: no message or stack from the handler reaches the client. */
export function internalError(): Answer {
  return {
    status: 500,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(
      statusObject(
        500,
        "InternalError",
        "Internal error occurred: the request could not be completed",
      ),
    ),
  };
}
