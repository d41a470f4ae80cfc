import { z } from "zod";
import type { EndpointSnapshot } from "../events/bridge-event.ts";
import { describeZodError } from "../util/describe-zod-error.ts";

/**
 * Only what cards and alerts read is checked; everything else is kept as sent, and `state` stays a
 * plain string so a state the bridge does not know yet is shown rather than refused.
 */
const endpointSchema = z.looseObject({
  name: z.string().min(1),
  compute: z
    .looseObject({
      accelerator: z.string().nullish(),
      instanceType: z.string().nullish(),
      instanceSize: z.string().nullish(),
    })
    .nullish(),
  model: z
    .looseObject({
      repository: z.string().nullish(),
      revision: z.string().nullish(),
      task: z.string().nullish(),
    })
    .nullish(),
  status: z.looseObject({
    state: z.string().min(1),
    message: z.string().nullish(),
    url: z.string().nullish(),
    readyReplica: z.number().int().nullish(),
    targetReplica: z.number().int().nullish(),
    updatedAt: z.string().nullish(),
  }),
});

/** `secrets` is the documented key; the API's own test mocks also spell it `secret`. */
const SECRET_MODEL_KEYS = ["secrets", "secret", "env"];

type ParsedEndpoint =
  | { ok: true; snapshot: EndpointSnapshot; body: Record<string, unknown> }
  | { ok: false; reason: string };

/**
 * One Endpoint JSON from the Inference Endpoints API → the snapshot events carry, and the JSON to store
 * (the same object without `model.secrets`/`model.env`, which never leave this function).
 */
export function parseEndpoint(value: unknown, namespace: string): ParsedEndpoint {
  const body = withoutSecrets(value);
  const parsed = endpointSchema.safeParse(body);
  if (!parsed.success) {
    const problems = describeZodError(parsed.error, body, "endpoint").join("; ");
    return {
      ok: false,
      reason: `${problems}; send the Endpoint JSON as the Endpoints API returns it`,
    };
  }
  const { name, compute, model, status } = parsed.data;
  const instance = [compute?.instanceType, compute?.instanceSize].filter(Boolean).join(" ");
  const snapshot: EndpointSnapshot = {
    namespace,
    name,
    state: status.state,
    ...optional("message", status.message),
    ...optional("url", status.url),
    ...optional("repository", model?.repository),
    ...optional("revision", model?.revision),
    ...optional("task", model?.task),
    ...optional("accelerator", compute?.accelerator),
    ...optional("instance", instance || undefined),
    ...optional("readyReplica", status.readyReplica),
    ...optional("targetReplica", status.targetReplica),
    ...optional("updatedAt", status.updatedAt),
  };
  return { ok: true, snapshot, body: body as Record<string, unknown> };
}

function withoutSecrets(value: unknown): unknown {
  if (!isObject(value) || !isObject(value.model)) return value;
  const model = Object.fromEntries(
    Object.entries(value.model).filter(([key]) => !SECRET_MODEL_KEYS.includes(key)),
  );
  return { ...value, model };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
