// gen-binding runtime: copied byte for byte into every output's runtime/ folder. Edit it in gen-binding's
// repository (src/runtime/openapi-proto.ts), never in an output: the next run would put it back.
import { toYaml } from "./yaml-write.js";

/**
 * The media type kubectl (client-go's `OpenAPISchema`) asks `/openapi/v2` for; it reads no other. The body
 * is the document as gnostic's `openapi.v2.Document` protobuf message (OpenAPIv2.proto).
 */
export const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

type Json = Record<string, unknown>;

/** Protobuf wire format: fields in number order, proto3 defaults (empty, false, 0) left out. */
class Message {
  private readonly parts: Uint8Array[] = [];
  private static readonly encoder = new TextEncoder();

  string(field: number, value: unknown): this {
    if (typeof value === "string" && value !== "") this.bytes(field, Message.encoder.encode(value));
    return this;
  }

  strings(field: number, values: unknown): this {
    if (Array.isArray(values))
      for (const v of values)
        if (typeof v === "string") this.bytes(field, Message.encoder.encode(v));
    return this;
  }

  bool(field: number, value: unknown): this {
    if (value === true) this.parts.push(varint(field << 3), varint(1));
    return this;
  }

  int64(field: number, value: unknown): this {
    if (typeof value === "number" && Number.isInteger(value) && value > 0)
      this.parts.push(varint(field << 3), varint(value));
    return this;
  }

  double(field: number, value: unknown): this {
    if (typeof value === "number" && value !== 0) {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setFloat64(0, value, true);
      this.parts.push(varint((field << 3) | 1), bytes);
    }
    return this;
  }

  message(field: number, value: Message | undefined): this {
    if (value) this.bytes(field, value.finish());
    return this;
  }

  messages(field: number, values: ReadonlyArray<Message | undefined>): this {
    for (const value of values) this.message(field, value ?? new Message());
    return this;
  }

  finish(): Uint8Array {
    const size = this.parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(size);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  private bytes(field: number, bytes: Uint8Array): void {
    this.parts.push(varint((field << 3) | 2), varint(bytes.length), bytes);
  }
}

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

const isJson = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const entries = (v: unknown): Array<[string, unknown]> => (isJson(v) ? Object.entries(v) : []);

/** `Any`: gnostic keeps a value it has no message for as YAML text (field 2). */
const any = (value: unknown) =>
  value === undefined ? undefined : new Message().string(2, toYaml(value));

/** `x-...` keys as `NamedAny` entries. */
const extensions = (node: Json) =>
  entries(node)
    .filter(([k]) => k.startsWith("x-"))
    .map(([name, value]) => new Message().string(1, name).message(2, any(value)));

/** A name -> message map: gnostic's `Named*` pairs. */
const named = (map: unknown, encode: (value: unknown) => Message | undefined) =>
  entries(map).map(([name, value]) => new Message().string(1, name).message(2, encode(value)));

function schema(node: unknown): Message | undefined {
  if (!isJson(node)) return undefined;
  const type = node["type"];
  const items = node["items"];
  const additional = node["additionalProperties"];
  return new Message()
    .string(1, node["$ref"])
    .string(2, node["format"])
    .string(3, node["title"])
    .string(4, node["description"])
    .message(5, any(node["default"]))
    .double(6, node["multipleOf"])
    .double(7, node["maximum"])
    .bool(8, node["exclusiveMaximum"])
    .double(9, node["minimum"])
    .bool(10, node["exclusiveMinimum"])
    .int64(11, node["maxLength"])
    .int64(12, node["minLength"])
    .string(13, node["pattern"])
    .int64(14, node["maxItems"])
    .int64(15, node["minItems"])
    .bool(16, node["uniqueItems"])
    .int64(17, node["maxProperties"])
    .int64(18, node["minProperties"])
    .strings(19, node["required"])
    .messages(20, Array.isArray(node["enum"]) ? node["enum"].map(any) : [])
    .message(
      21,
      typeof additional === "boolean"
        ? new Message().bool(2, additional)
        : isJson(additional)
          ? new Message().message(1, schema(additional))
          : undefined,
    )
    .message(
      22,
      type === undefined
        ? undefined
        : new Message().strings(1, Array.isArray(type) ? type : [type]),
    )
    .message(
      23,
      items === undefined
        ? undefined
        : new Message().messages(1, (Array.isArray(items) ? items : [items]).map(schema)),
    )
    .messages(24, Array.isArray(node["allOf"]) ? node["allOf"].map(schema) : [])
    .message(
      25,
      isJson(node["properties"])
        ? new Message().messages(1, named(node["properties"], schema))
        : undefined,
    )
    .string(26, node["discriminator"])
    .bool(27, node["readOnly"])
    .message(30, any(node["example"]))
    .messages(31, extensions(node));
}

/** Query, path and header parameters share their first fields; query (and formData) has allowEmptyValue at 5. */
function nonBodyParameter(node: Json): Message {
  const where = node["in"];
  const query = where === "query" || where === "formData";
  const shift = query ? 1 : 0;
  const sub = new Message()
    .bool(1, node["required"])
    .string(2, where)
    .string(3, node["description"])
    .string(4, node["name"]);
  if (query) sub.bool(5, node["allowEmptyValue"]);
  sub
    .string(5 + shift, node["type"])
    .string(6 + shift, node["format"])
    .string(8 + shift, node["collectionFormat"])
    .message(9 + shift, any(node["default"]))
    .bool(19 + shift, node["uniqueItems"])
    .messages(20 + shift, Array.isArray(node["enum"]) ? node["enum"].map(any) : [])
    .messages(22 + shift, extensions(node));
  const oneof = { header: 1, formData: 2, query: 3, path: 4 }[String(where)] ?? 3;
  return new Message().message(oneof, sub);
}

/** A `Parameter`: a body parameter (1) or a non-body one (2). */
function parameter(node: unknown): Message | undefined {
  if (!isJson(node)) return undefined;
  if (node["in"] !== "body") return new Message().message(2, nonBodyParameter(node));
  const body = new Message()
    .string(1, node["description"])
    .string(2, node["name"])
    .string(3, node["in"])
    .bool(4, node["required"])
    .message(5, schema(node["schema"]))
    .messages(6, extensions(node));
  return new Message().message(1, body);
}

/** A `ParametersItem`: a parameter (1) or a `$ref` to one (2). */
function parametersItem(node: unknown): Message | undefined {
  if (isJson(node) && typeof node["$ref"] === "string")
    return new Message().message(2, new Message().string(1, node["$ref"]));
  return new Message().message(1, parameter(node));
}

function response(node: unknown): Message | undefined {
  if (!isJson(node)) return undefined;
  if (typeof node["$ref"] === "string")
    return new Message().message(2, new Message().string(1, node["$ref"]));
  const body = new Message()
    .string(1, node["description"])
    .message(
      2,
      isJson(node["schema"]) ? new Message().message(1, schema(node["schema"])) : undefined,
    )
    .messages(5, extensions(node));
  return new Message().message(1, body);
}

function operation(node: unknown): Message | undefined {
  if (!isJson(node)) return undefined;
  return new Message()
    .strings(1, node["tags"])
    .string(2, node["summary"])
    .string(3, node["description"])
    .string(5, node["operationId"])
    .strings(6, node["produces"])
    .strings(7, node["consumes"])
    .messages(8, Array.isArray(node["parameters"]) ? node["parameters"].map(parametersItem) : [])
    .message(9, new Message().messages(1, named(node["responses"], response)))
    .strings(10, node["schemes"])
    .bool(11, node["deprecated"])
    .messages(13, extensions(node));
}

function pathItem(node: unknown): Message | undefined {
  if (!isJson(node)) return undefined;
  const item = new Message().string(1, node["$ref"]);
  ["get", "put", "post", "delete", "options", "head", "patch"].forEach((method, i) =>
    item.message(i + 2, operation(node[method])),
  );
  return item
    .messages(9, Array.isArray(node["parameters"]) ? node["parameters"].map(parametersItem) : [])
    .messages(10, extensions(node));
}

function securityDefinition(node: unknown): Message | undefined {
  if (!isJson(node)) return undefined;
  if (node["type"] === "basic")
    return new Message().message(
      1,
      new Message().string(1, node["type"]).string(2, node["description"]),
    );
  return new Message().message(
    2,
    new Message()
      .string(1, node["type"])
      .string(2, node["name"])
      .string(3, node["in"])
      .string(4, node["description"]),
  );
}

/**
 * A Swagger 2.0 document (JSON) as gnostic's protobuf `Document`: what kubectl downloads to validate
 * objects before `create -f` and to know whether the server checks fields itself.
 */
export function openApiV2Protobuf(document: unknown): Uint8Array {
  const doc = isJson(document) ? document : {};
  const info = isJson(doc["info"]) ? doc["info"] : {};
  const paths = isJson(doc["paths"]) ? doc["paths"] : {};
  const pathItems = Object.fromEntries(Object.entries(paths).filter(([k]) => !k.startsWith("x-")));
  const security = Array.isArray(doc["security"]) ? doc["security"] : [];
  return new Message()
    .string(1, doc["swagger"])
    .message(
      2,
      new Message()
        .string(1, info["title"])
        .string(2, info["version"])
        .string(3, info["description"]),
    )
    .string(3, doc["host"])
    .string(4, doc["basePath"])
    .strings(5, doc["schemes"])
    .strings(6, doc["consumes"])
    .strings(7, doc["produces"])
    .message(
      8,
      new Message().messages(1, extensions(paths)).messages(2, named(pathItems, pathItem)),
    )
    .message(9, new Message().messages(1, named(doc["definitions"], schema)))
    .message(10, new Message().messages(1, named(doc["parameters"], parameter)))
    .messages(
      12,
      security.map((requirement) =>
        new Message().messages(
          1,
          named(requirement, (scopes) => new Message().strings(1, scopes)),
        ),
      ),
    )
    .message(13, new Message().messages(1, named(doc["securityDefinitions"], securityDefinition)))
    .messages(16, extensions(doc))
    .finish();
}
