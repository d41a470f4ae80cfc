import { seededRandom } from "./seeded-random.ts";

export const CHAOS_HUB_REPO = {
  type: "model",
  name: "chaos-org/model",
  id: "66c4a05e0000000000000c4a",
  private: false,
  url: { web: "https://huggingface.co/chaos-org/model" },
} as const;
const WEBHOOK = { id: "66c4a05e00000000000000ff", version: 3 } as const;
const HUB_WEB = CHAOS_HUB_REPO.url.web;

/**
 * Enough of each kind that every code path (create on demand, fill in, comment, dispatch) runs
 * often, and three comments per discussion on average, so one often follows a crash in its thread.
 */
const DISCUSSIONS = 5;
const COMMENTS = 15;
const PUSHES = 8;
/**
 * Kills while the fake holds a create of the given kind (the n-th of that kind, so every run reaches
 * it), and kills while a delivery is being answered.
 */
const CREATE_KILLS: ReadonlyArray<[CreateKind, number]> = [
  ["issue", DISCUSSIONS - 1],
  ["comment", COMMENTS - 3],
  ["dispatch", PUSHES - 2],
  ["issue", DISCUSSIONS - 1],
  ["comment", COMMENTS - 3],
];
const DELIVERY_KILLS = 3;
/** Writes after these are answered as GitHub would; a run makes far fewer. */
const SCRIPTED_WRITES = 400;

export type ChaosDeliveryKind = "discussion.opened" | "comment.created" | "push";

export interface ChaosDelivery {
  /** 1-based, in sending order: the name the report uses. */
  index: number;
  kind: ChaosDeliveryKind;
  discussion?: number;
  commentId?: string;
  newSha?: string;
  body: string;
}

export type CreateKind = "issue" | "comment" | "dispatch";

export type WriteFault =
  | { kind: "none" }
  | { kind: "502" }
  | { kind: "commit-then-502" }
  | { kind: "429" }
  | { kind: "delay"; ms: number }
  /** The bridge is killed while the fake holds the request, which it then performs or drops. */
  | { kind: "kill"; afterwards: "commit" | "drop" };

/** Kill the bridge while the fake holds the `ordinal`-th (0-based) create of this kind. */
export interface CreateKill {
  create: CreateKind;
  ordinal: number;
  afterwards: "commit" | "drop";
}

export interface ChaosPlan {
  seed: number;
  deliveries: ChaosDelivery[];
  /** Pause before sending each delivery. */
  gapsMs: number[];
  /** By delivery index: kill the bridge this long after starting to send it. */
  deliveryKills: Map<number, number>;
  /** By index of the GitHub write the fake receives (0-based, across every bridge process). */
  writeFaults: WriteFault[];
  /** Take precedence over `writeFaults` for the creates they name. */
  createKills: CreateKill[];
  /** Downtime after each kill, in the order the kills happen. */
  downtimesMs: number[];
}

/** Everything a chaos run does, from its seed alone: what is sent, which writes fail how, when it dies. */
export function planChaos(seed: number): ChaosPlan {
  const random = seededRandom(seed);
  const pick = (count: number) => Math.floor(random() * count);
  const hex = (length: number) =>
    Array.from({ length }, () => "0123456789abcdef"[pick(16)] ?? "0").join("");

  const unordered: Array<Omit<ChaosDelivery, "index" | "body">> = [];
  for (let num = 1; num <= DISCUSSIONS; num++)
    unordered.push({ kind: "discussion.opened", discussion: num });
  for (let n = 0; n < COMMENTS; n++) {
    unordered.push({
      kind: "comment.created",
      discussion: 1 + pick(DISCUSSIONS),
      commentId: hex(24),
    });
  }
  for (let n = 0; n < PUSHES; n++) unordered.push({ kind: "push", newSha: hex(40) });
  for (let i = unordered.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [unordered[i], unordered[j]] = [
      unordered[j] as (typeof unordered)[number],
      unordered[i] as (typeof unordered)[number],
    ];
  }
  let headSha: string | null = hex(40);
  const deliveries = unordered.map((delivery, position) => {
    const oldSha = headSha;
    if (delivery.newSha) headSha = delivery.newSha;
    return { ...delivery, index: position + 1, body: JSON.stringify(payloadOf(delivery, oldSha)) };
  });

  const deliveryKills = new Map<number, number>();
  while (deliveryKills.size < DELIVERY_KILLS)
    deliveryKills.set(1 + pick(deliveries.length), pick(20));
  const writeFaults: WriteFault[] = Array.from({ length: SCRIPTED_WRITES }, () => {
    const roll = random();
    if (roll < 0.08) return { kind: "502" };
    if (roll < 0.16) return { kind: "commit-then-502" };
    if (roll < 0.22) return { kind: "429" };
    if (roll < 0.3) return { kind: "delay", ms: 100 + pick(1100) };
    return { kind: "none" };
  });
  const createKills: CreateKill[] = [];
  for (const [create, ordinals] of CREATE_KILLS) {
    let ordinal = pick(ordinals);
    while (createKills.some((kill) => kill.create === create && kill.ordinal === ordinal)) {
      ordinal = (ordinal + 1) % ordinals;
    }
    createKills.push({ create, ordinal, afterwards: random() < 0.7 ? "commit" : "drop" });
  }
  return {
    seed,
    deliveries,
    gapsMs: deliveries.map(() => 10 + pick(140)),
    deliveryKills,
    writeFaults,
    createKills,
    downtimesMs: Array.from({ length: CREATE_KILLS.length + DELIVERY_KILLS }, () => pick(400)),
  };
}

function payloadOf(delivery: Omit<ChaosDelivery, "index" | "body">, oldSha: string | null): object {
  if (delivery.kind === "push") {
    return {
      event: { action: "update", scope: "repo.content" },
      repo: { ...CHAOS_HUB_REPO, headSha: delivery.newSha },
      updatedRefs: [{ ref: "refs/heads/main", oldSha, newSha: delivery.newSha }],
      webhook: WEBHOOK,
    };
  }
  const num = delivery.discussion ?? 0;
  const discussion = {
    id: `66c4a05e${String(num).padStart(16, "0")}`,
    num,
    title: `Chaos discussion ${num}`,
    url: { web: `${HUB_WEB}/discussions/${num}` },
    status: "open",
    author: { id: "66c4a05e00000000000a0001" },
    isPullRequest: false,
  };
  if (delivery.kind === "discussion.opened") {
    return {
      event: { action: "create", scope: "discussion" },
      repo: CHAOS_HUB_REPO,
      discussion,
      comment: {
        id: `66c4a05e${String(num).padStart(16, "f")}`,
        author: { id: "66c4a05e00000000000a0001" },
        content: `Opening post of discussion ${num}`,
        hidden: false,
        url: { web: `${HUB_WEB}/discussions/${num}` },
      },
      webhook: WEBHOOK,
    };
  }
  return {
    event: { action: "create", scope: "discussion.comment" },
    repo: CHAOS_HUB_REPO,
    discussion,
    comment: {
      id: delivery.commentId,
      author: { id: "66c4a05e00000000000a0002" },
      content: `Comment ${delivery.commentId} on discussion ${num}`,
      hidden: false,
      url: { web: `${HUB_WEB}/discussions/${num}#${delivery.commentId}` },
    },
    webhook: WEBHOOK,
  };
}
