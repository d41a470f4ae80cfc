import { isSecretHeader } from "./is-secret-header.ts";
import type { NewDelivery } from "./store.ts";

/** A checked delivery; the event travels as JSON text only, ready to store (and cheap to post to a thread). */
export interface PreparedDelivery {
  delivery: Omit<NewDelivery, "event" | "headers">;
  headersJson: string;
  eventJson: string | undefined;
  eventKind: string | undefined;
  /** The Hub repo the event names, a plain column so the console filters on it without unpacking the event. */
  hubRepo: string | undefined;
}

/** Checks a delivery before it joins a batch, so one malformed call cannot fail its neighbours. */
export function prepareDelivery(delivery: NewDelivery): PreparedDelivery {
  if (delivery.disposition === "queued" && !delivery.event) {
    throw new Error(
      `recordDelivery: delivery "${delivery.dedupeKey}" has disposition "queued" but no event; pass the normalized BridgeEvent or use "ignored"/"rejected"`,
    );
  }
  if (delivery.disposition !== "queued" && delivery.event) {
    throw new Error(
      `recordDelivery: delivery "${delivery.dedupeKey}" has disposition "${delivery.disposition}" and an event; only "queued" deliveries carry one, so drop the event`,
    );
  }
  if (!(delivery.receivedAt instanceof Date) || Number.isNaN(delivery.receivedAt.getTime())) {
    throw new Error(
      `recordDelivery: receivedAt ${JSON.stringify(delivery.receivedAt)} is not a valid Date; pass the time the request arrived`,
    );
  }
  if (delivery.event && delivery.eventKind !== undefined) {
    throw new Error(
      `recordDelivery: delivery "${delivery.dedupeKey}" passes both an event and eventKind ${JSON.stringify(delivery.eventKind)}; a queued delivery's kind comes from its event, so drop eventKind`,
    );
  }
  const { event, eventKind, headers: received, ...rest } = delivery;
  const headers: Record<string, string> = {};
  for (const name in received) {
    if (!isSecretHeader(name)) headers[name] = received[name] as string;
  }
  return {
    delivery: rest,
    headersJson: JSON.stringify(headers),
    eventJson: event ? JSON.stringify(event) : undefined,
    eventKind: event?.kind ?? eventKind,
    hubRepo: hubRepoOf(event),
  };
}

function hubRepoOf(event: NewDelivery["event"]): string | undefined {
  const repo = (event as { repo?: { name?: unknown } } | undefined)?.repo;
  return typeof repo?.name === "string" ? repo.name : undefined;
}
