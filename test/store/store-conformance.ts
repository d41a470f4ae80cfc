import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PlannedEffect } from "../../src/effects/effect.ts";
import type { Job, NewDelivery, Store } from "../../src/store/store.ts";
import { LeaseLostError } from "../../src/store/store.ts";
import { fixtureDelivery } from "./fixture-delivery.ts";

export type StoreFactory = () => Promise<{ store: Store; destroy: () => Promise<void> }>;

const T0 = new Date("2026-01-01T00:00:00Z").getTime();
const at = (ms: number) => new Date(T0 + ms);
const COMMENT = "hookdeck-discussion.comment-create.json";
const PR_OPENED = "hookdeck-discussion-create-pr.json";
const REPO_UPDATED = "hookdeck-repo-update.json";
const LEASE_MS = 60_000;

/** The behaviour every Store backend must show; each backend's test file runs it against a fresh store. */
export function describeStoreConformance(name: string, factory: StoreFactory): void {
  describe(`${name} store conformance`, () => {
    let store: Store;
    let destroy: () => Promise<void>;

    beforeEach(async () => {
      ({ store, destroy } = await factory());
    });
    afterEach(async () => {
      await destroy();
    });

    async function claim(now = at(1000), workerId = "w1", leaseMs = LEASE_MS): Promise<Job> {
      const job = await store.claimJob({ workerId, leaseMs, now });
      if (!job) throw new Error(`expected a due job at ${now.toISOString()}, found none`);
      return job;
    }

    async function queue(delivery: NewDelivery): Promise<{ deliveryId: number; jobId: number }> {
      const result = await store.recordDelivery(delivery);
      if (result.status !== "accepted" || result.jobId === undefined) {
        throw new Error(`expected an accepted delivery with a job, got ${JSON.stringify(result)}`);
      }
      return { deliveryId: result.deliveryId, jobId: result.jobId };
    }

    describe("recordDelivery", () => {
      it("stores a queued delivery with its job", async () => {
        const delivery = fixtureDelivery(COMMENT);
        const { deliveryId, jobId } = await queue(delivery);
        expect(await store.getDelivery(deliveryId)).toEqual({
          id: deliveryId,
          source: "hub",
          receivedAt: delivery.receivedAt,
          dedupeKey: delivery.dedupeKey,
          disposition: "queued",
          eventKind: "comment.created",
          duplicates: 0,
          jobId,
          jobState: "queued",
          attempts: 0,
          hubRepo: "openai-community/gpt2",
        });
      });

      it("keeps a GitHub delivery under its delivery id, with its write-back event for the worker", async () => {
        const event = {
          kind: "github.comment-created" as const,
          issue: {
            owner: "acme",
            name: "widgets",
            number: 7,
            mirrors: "hub-discussion:6366c000a2abcdf2fd69a080:3",
          },
          reply: { id: 9001, author: "widget-maintainer", body: "Thanks!" },
        };
        const delivery: NewDelivery = {
          source: "github",
          receivedAt: at(0),
          dedupeKey: "github:72d3162e-cc78-11e3-81ab-4c9367dc0958",
          body: '{"action":"created"}',
          headers: { "x-github-event": "issue_comment" },
          disposition: "queued",
          event,
        };
        const { deliveryId } = await queue(delivery);
        expect(await store.recordDelivery({ ...delivery, receivedAt: at(5) })).toEqual({
          status: "duplicate",
          deliveryId,
        });
        expect(await store.getDelivery(deliveryId)).toMatchObject({
          source: "github",
          eventKind: "github.comment-created",
          duplicates: 1,
        });
        expect((await claim()).event).toEqual(event);
      });

      it("accepts a key once and counts sequential copies as duplicates", async () => {
        const delivery = fixtureDelivery(COMMENT);
        const first = await queue(delivery);
        const second = await store.recordDelivery({ ...delivery, receivedAt: at(5) });
        const third = await store.recordDelivery(delivery);
        expect(second).toEqual({ status: "duplicate", deliveryId: first.deliveryId });
        expect(third).toEqual({ status: "duplicate", deliveryId: first.deliveryId });
        expect((await store.getDelivery(first.deliveryId))?.duplicates).toBe(2);
        expect(await store.listDeliveries({ limit: 10 })).toHaveLength(1);
      });

      it("accepts one of ten concurrent copies and counts nine duplicates", async () => {
        const delivery = fixtureDelivery(PR_OPENED);
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.recordDelivery(delivery)),
        );
        const accepted = results.filter((result) => result.status === "accepted");
        expect(accepted).toHaveLength(1);
        const deliveryId = accepted[0]?.deliveryId;
        expect(results.filter((result) => result.status === "duplicate")).toEqual(
          Array.from({ length: 9 }, () => ({ status: "duplicate", deliveryId })),
        );
        expect((await store.getDelivery(deliveryId as number))?.duplicates).toBe(9);
        await claim();
        expect(await store.claimJob({ workerId: "w1", leaseMs: LEASE_MS, now: at(1000) })).toBe(
          undefined,
        );
      });

      it("dedupes on the sender's delivery id first: the same id with a changed body is a duplicate", async () => {
        const first = await queue(fixtureDelivery(COMMENT, { webhookId: "wh-1" }));
        const changed = fixtureDelivery(PR_OPENED, { webhookId: "wh-1", receivedAt: at(5) });
        expect(await store.recordDelivery(changed)).toEqual({
          status: "duplicate",
          deliveryId: first.deliveryId,
        });
        expect(await store.getDelivery(first.deliveryId)).toMatchObject({
          webhookId: "wh-1",
          duplicates: 1,
        });
        expect(await store.listDeliveries({ limit: 10 })).toHaveLength(1);
      });

      it("keeps the payload key as the second check: another id with the same payload is a duplicate", async () => {
        const first = await queue(fixtureDelivery(COMMENT, { webhookId: "wh-1" }));
        expect(await store.recordDelivery(fixtureDelivery(COMMENT, { webhookId: "wh-2" }))).toEqual(
          { status: "duplicate", deliveryId: first.deliveryId },
        );
        expect(await store.recordDelivery(fixtureDelivery(COMMENT))).toEqual({
          status: "duplicate",
          deliveryId: first.deliveryId,
        });
        const other = await queue(fixtureDelivery(PR_OPENED, { webhookId: "wh-2" }));
        expect(other.deliveryId).not.toBe(first.deliveryId);
        expect((await store.listDeliveries({ limit: 10 })).map((d) => d.webhookId)).toEqual([
          "wh-2",
          "wh-1",
        ]);
      });

      it("accepts one of concurrent copies sharing an id but not a payload key, and gives the others' keys back", async () => {
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, index) =>
            store.recordDelivery(
              fixtureDelivery(COMMENT, { webhookId: "wh-same", dedupeKey: `payload-${index}` }),
            ),
          ),
        );
        const accepted = results.filter((result) => result.status === "accepted");
        expect(accepted).toHaveLength(1);
        const winner = accepted[0]?.deliveryId as number;
        expect(results.filter((result) => result.status === "duplicate")).toHaveLength(5);
        expect((await store.getDelivery(winner))?.duplicates).toBe(5);
        // The losers' payload keys were not kept: one of them under a fresh id is a new delivery.
        const loserKey = (await store.getDelivery(winner))?.dedupeKey === "payload-0" ? 1 : 0;
        expect(
          await store.recordDelivery(
            fixtureDelivery(COMMENT, { webhookId: "wh-new", dedupeKey: `payload-${loserKey}` }),
          ),
        ).toMatchObject({ status: "accepted" });
      });

      it("keeps ignored and rejected deliveries without creating jobs", async () => {
        const ignored = await store.recordDelivery({
          ...fixtureDelivery(REPO_UPDATED),
          disposition: "ignored",
          event: undefined,
          reason: 'event.scope "space" is not a scope the bridge knows',
        });
        const rejected = await store.recordDelivery({
          ...fixtureDelivery(COMMENT),
          disposition: "rejected",
          event: undefined,
          reason: "not a Hub webhook payload: body.repo is required",
        });
        expect(ignored).toEqual({ status: "accepted", deliveryId: ignored.deliveryId });
        expect(rejected).toEqual({ status: "accepted", deliveryId: rejected.deliveryId });
        expect(await store.claimJob({ workerId: "w1", leaseMs: LEASE_MS, now: at(1000) })).toBe(
          undefined,
        );
        const [newest, oldest] = await store.listDeliveries({ limit: 10 });
        expect(newest).toMatchObject({
          id: rejected.deliveryId,
          disposition: "rejected",
          reason: "not a Hub webhook payload: body.repo is required",
        });
        expect(newest?.jobId).toBeUndefined();
        expect(oldest).toMatchObject({ id: ignored.deliveryId, disposition: "ignored" });
        expect(oldest?.jobState).toBeUndefined();
      });

      it("keeps the kind of an understood event it did not queue, and refuses a second kind", async () => {
        const unrouted = await store.recordDelivery({
          ...fixtureDelivery(PR_OPENED),
          disposition: "ignored",
          event: undefined,
          eventKind: "discussion.opened",
          reason: "no route matches model gpt2; add a route to hf-bridge.yml",
        });
        const [summary] = await store.listDeliveries({ limit: 1 });
        expect(summary).toMatchObject({
          id: unrouted.deliveryId,
          disposition: "ignored",
          eventKind: "discussion.opened",
        });
        await expect(
          store.recordDelivery({ ...fixtureDelivery(COMMENT), eventKind: "repo.deleted" }),
        ).rejects.toThrow(/passes both an event and eventKind "repo.deleted".*drop eventKind/);
      });

      it("refuses a queued delivery without an event and still commits its neighbours", async () => {
        const bad = store.recordDelivery({ ...fixtureDelivery(COMMENT), event: undefined });
        const good = store.recordDelivery(fixtureDelivery(PR_OPENED));
        await expect(bad).rejects.toThrow(/has disposition "queued" but no event/);
        expect(await good).toMatchObject({ status: "accepted" });
      });
    });

    describe("claimJob", () => {
      it("hands out due jobs oldest first and leases them", async () => {
        const deliveries = [COMMENT, PR_OPENED, REPO_UPDATED].map((fixture, index) =>
          fixtureDelivery(fixture, { receivedAt: at(index) }),
        );
        const ids = [];
        for (const delivery of deliveries) ids.push((await queue(delivery)).jobId);
        const first = await claim(at(1000), "w1");
        const second = await claim(at(1000), "w2");
        const third = await claim(at(1000), "w3");
        expect([first.id, second.id, third.id]).toEqual(ids);
        expect(first.event).toEqual(deliveries[0]?.event);
        expect(first).toMatchObject({
          attempts: 1,
          leaseExpiresAt: at(1000 + LEASE_MS),
          completedEffects: {},
        });
        expect(new Set([first.leaseToken, second.leaseToken, third.leaseToken]).size).toBe(3);
        expect(await store.claimJob({ workerId: "w4", leaseMs: LEASE_MS, now: at(1000) })).toBe(
          undefined,
        );
        expect((await store.getDelivery(first.deliveryId))?.jobState).toBe("running");
      });

      it("does not hand out a job before it was received", async () => {
        await queue(fixtureDelivery(COMMENT, { receivedAt: at(5000) }));
        expect(await store.claimJob({ workerId: "w1", leaseMs: LEASE_MS, now: at(4999) })).toBe(
          undefined,
        );
        expect((await claim(at(5000))).attempts).toBe(1);
      });

      it("gives an expired lease to another worker and refuses the old holder", async () => {
        await queue(fixtureDelivery(COMMENT));
        const stale = await claim(at(1000), "w1", 1000);
        expect(await store.claimJob({ workerId: "w2", leaseMs: 1000, now: at(1999) })).toBe(
          undefined,
        );
        const fresh = await claim(at(2000), "w2", 1000);
        expect(fresh.id).toBe(stale.id);
        expect(fresh.attempts).toBe(2);
        expect(fresh.leaseToken).not.toBe(stale.leaseToken);

        const outcome = { summary: "stale", effects: [] };
        await expect(store.completeJob(stale, outcome)).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.retryJob(stale, "x", at(3000))).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.deadLetterJob(stale, "x")).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.releaseJob(stale)).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.deferJob(stale, at(3000), "x")).rejects.toBeInstanceOf(LeaseLostError);
        await expect(
          store.recordEffect(stale, "comment:1", { status: "done" }, [
            { key: "stale-link", kind: "issue", repo: "acme/models", githubId: 1 },
          ]),
        ).rejects.toBeInstanceOf(LeaseLostError);
        expect(await store.getLink("stale-link")).toBeUndefined();

        await store.completeJob(fresh, { summary: "mirrored", effects: [] });
        expect(await store.getDelivery(fresh.deliveryId)).toMatchObject({
          jobState: "done",
          attempts: 2,
          outcome: { summary: "mirrored", effects: [] },
        });
      });
    });

    describe("job transitions", () => {
      it("counts retries but not deferrals or releases", async () => {
        const { deliveryId } = await queue(fixtureDelivery(COMMENT));
        const first = await claim(at(1000));
        await store.retryJob(first, "GitHub answered 502", at(10_000));
        expect(await store.getDelivery(deliveryId)).toMatchObject({
          jobState: "queued",
          attempts: 1,
          lastError: "GitHub answered 502",
        });
        expect(await store.claimJob({ workerId: "w1", leaseMs: LEASE_MS, now: at(9999) })).toBe(
          undefined,
        );
        const second = await claim(at(10_000));
        expect(second.attempts).toBe(2);

        await store.deferJob(second, at(20_000), "rate limited until reset");
        expect(await store.getDelivery(deliveryId)).toMatchObject({
          jobState: "queued",
          attempts: 1,
          lastError: "rate limited until reset",
        });
        expect(await store.claimJob({ workerId: "w1", leaseMs: LEASE_MS, now: at(19_999) })).toBe(
          undefined,
        );
        const third = await claim(at(20_000));
        expect(third.attempts).toBe(2);

        await store.releaseJob(third);
        const fourth = await claim(at(20_000));
        expect(fourth.attempts).toBe(2);
      });

      it("dead-letters with the body and error, and replays with attempts reset", async () => {
        const delivery = fixtureDelivery(PR_OPENED);
        const { deliveryId, jobId } = await queue(delivery);
        const job = await claim();
        const before = Date.now();
        await store.deadLetterJob(job, "GitHub answered 422: Validation Failed");
        expect(await store.claimJob({ workerId: "w1", leaseMs: LEASE_MS, now: at(1000) })).toBe(
          undefined,
        );
        const letters = await store.listDeadLetters({ limit: 10 });
        expect(letters).toEqual([
          {
            jobId,
            deliveryId,
            event: delivery.event,
            attempts: 1,
            lastError: "GitHub answered 422: Validation Failed",
            failedAt: expect.any(Date),
            body: delivery.body,
          },
        ]);
        expect(letters[0]?.failedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect((await store.getDelivery(deliveryId))?.jobState).toBe("dead");

        expect(await store.replayDeadLetter(jobId)).toBe(true);
        expect(await store.replayDeadLetter(jobId)).toBe(false);
        expect(await store.replayDeadLetter(jobId + 1000)).toBe(false);
        expect(await store.listDeadLetters({ limit: 10 })).toEqual([]);
        const replayed = await store.claimJob({ workerId: "w1", leaseMs: LEASE_MS });
        expect(replayed?.id).toBe(jobId);
        expect(replayed?.attempts).toBe(1);
      });

      it("records effects and their links together and shows them to the next attempt", async () => {
        await queue(fixtureDelivery(COMMENT));
        const job = await claim(at(1000), "w1", 1000);
        await store.recordEffect(
          job,
          "issue:acme/models:621ffdc0",
          { status: "done", githubId: 77, url: "https://github.com/acme/models/issues/7" },
          [
            {
              key: "hub-discussion:621ffdc0",
              kind: "issue",
              repo: "acme/models",
              githubId: 77,
              githubNumber: 7,
              state: { status: "open" },
            },
          ],
        );
        await store.recordEffect(job, "comment:acme/models:abc", { status: "skipped" });
        const link = await store.getLink("hub-discussion:621ffdc0");
        expect(link).toEqual({
          key: "hub-discussion:621ffdc0",
          kind: "issue",
          repo: "acme/models",
          githubId: 77,
          githubNumber: 7,
          state: { status: "open" },
          updatedAt: expect.any(Date),
        });

        const reclaimed = await claim(at(2000), "w2");
        expect(reclaimed.completedEffects).toEqual({
          "issue:acme/models:621ffdc0": {
            status: "done",
            githubId: 77,
            url: "https://github.com/acme/models/issues/7",
          },
          "comment:acme/models:abc": { status: "skipped" },
        });
      });
    });

    describe("renewLease", () => {
      it("extends a held lease so no other worker can claim the job, and refuses a lost one", async () => {
        await queue(fixtureDelivery(COMMENT));
        const job = await claim(at(1000), "w1", 1000);
        expect(await store.renewLease(job, 1000, at(1800))).toEqual(at(2800));
        expect(await store.claimJob({ workerId: "w2", leaseMs: 1000, now: at(2500) })).toBe(
          undefined,
        );
        // The renewed job is still the holder's: its token did not change.
        await store.recordEffect(job, "comment:1", { status: "done" });

        const taken = await claim(at(2800), "w2", 1000);
        expect(taken.id).toBe(job.id);
        await expect(store.renewLease(job, 1000, at(2900))).rejects.toBeInstanceOf(LeaseLostError);
        expect(taken.completedEffects).toEqual({ "comment:1": { status: "done" } });
      });
    });

    describe("create intents", () => {
      const INTENT = { key: "hub-discussion:621ffdc0", kind: "issue", repo: "acme/models" };

      it("records an intent once, shows it to any job, and lets only one take over a stale one", async () => {
        await queue(fixtureDelivery(COMMENT));
        await queue(fixtureDelivery(PR_OPENED));
        const first = await claim(at(1000), "w1");
        const second = await claim(at(1000), "w2");
        expect(await store.getIntent(INTENT.key)).toBeUndefined();

        const recorded = await store.recordIntent(first, INTENT, {
          replacing: undefined,
          now: at(1500),
        });
        expect(recorded).toEqual({
          ...INTENT,
          jobId: first.id,
          token: expect.any(String),
          recordedAt: at(1500),
        });
        expect(await store.getIntent(INTENT.key)).toEqual(recorded);
        // Another job that saw no intent cannot record over the one now there.
        expect(
          await store.recordIntent(second, INTENT, { replacing: undefined, now: at(1600) }),
        ).toBeUndefined();

        // Two jobs that both saw the stale intent race to take it over: one wins.
        const takeovers = await Promise.all([
          store.recordIntent(second, INTENT, { replacing: recorded, now: at(70_000) }),
          store.recordIntent(first, INTENT, { replacing: recorded, now: at(70_000) }),
        ]);
        const winners = takeovers.filter((intent) => intent !== undefined);
        expect(winners).toHaveLength(1);
        expect(winners[0]?.token).not.toBe(recorded?.token);
        expect(await store.getIntent(INTENT.key)).toEqual(winners[0]);
      });

      it("resolves an intent by the link of its key or by name, with the effect's result", async () => {
        await queue(fixtureDelivery(COMMENT));
        const job = await claim(at(1000));
        const dispatch = { key: "dispatch:1:a", kind: "repository-dispatch", repo: "acme/models" };
        for (const intent of [INTENT, dispatch, { ...INTENT, key: "comment:x" }]) {
          await store.recordIntent(job, intent, { replacing: undefined, now: at(1000) });
        }
        await store.recordEffect(job, "issue:1", { status: "done", githubId: 77 }, [
          { key: INTENT.key, kind: "issue", repo: "acme/models", githubId: 77, githubNumber: 7 },
        ]);
        expect(await store.getIntent(INTENT.key)).toBeUndefined();
        await store.recordEffect(job, "dispatch:a", { status: "accepted" }, [], [dispatch.key]);
        expect(await store.getIntent(dispatch.key)).toBeUndefined();
        await store.putLink({
          key: "comment:x",
          kind: "comment",
          repo: "acme/models",
          githubId: 9,
        });
        expect(await store.getIntent("comment:x")).toBeUndefined();
      });

      it("records no intent for a key another job has linked since, and keeps none behind", async () => {
        await queue(fixtureDelivery(COMMENT));
        await queue(fixtureDelivery(PR_OPENED));
        const late = await claim(at(1000), "w1");
        const quick = await claim(at(1000), "w2");
        // Both looked and found no link; the quick one created the issue and linked it first.
        await store.recordIntent(quick, INTENT, { replacing: undefined, now: at(1100) });
        await store.recordEffect(quick, "issue:1", { status: "done", githubId: 77 }, [
          { key: INTENT.key, kind: "issue", repo: "acme/models", githubId: 77, githubNumber: 7 },
        ]);
        expect(
          await store.recordIntent(late, INTENT, { replacing: undefined, now: at(1200) }),
        ).toBeUndefined();
        expect(await store.getIntent(INTENT.key)).toBeUndefined();
      });

      it("drops an intent only while it is the recording named", async () => {
        await queue(fixtureDelivery(COMMENT));
        const job = await claim(at(1000));
        const first = await store.recordIntent(job, INTENT, {
          replacing: undefined,
          now: at(1000),
        });
        if (first === undefined) throw new Error("the first intent was not recorded");
        const second = await store.recordIntent(job, INTENT, { replacing: first, now: at(2000) });
        await store.dropIntent(first);
        expect(await store.getIntent(INTENT.key)).toEqual(second);
        if (second === undefined) throw new Error("the second intent was not recorded");
        await store.dropIntent(second);
        expect(await store.getIntent(INTENT.key)).toBeUndefined();
      });

      it("refuses an intent from a job whose lease was taken over", async () => {
        await queue(fixtureDelivery(COMMENT));
        const stale = await claim(at(1000), "w1", 1000);
        await claim(at(2000), "w2", 1000);
        await expect(
          store.recordIntent(stale, INTENT, { replacing: undefined, now: at(2100) }),
        ).rejects.toBeInstanceOf(LeaseLostError);
        expect(await store.getIntent(INTENT.key)).toBeUndefined();
      });

      it("keeps an unresolved intent while its job may run again, and prunes it after", async () => {
        await queue(fixtureDelivery(COMMENT, { receivedAt: at(0) }));
        await queue(fixtureDelivery(PR_OPENED, { receivedAt: at(0) }));
        const dead = await claim(at(1000));
        const done = await claim(at(1000));
        await store.recordIntent(dead, INTENT, { replacing: undefined, now: at(1000) });
        const other = { ...INTENT, key: "hub-discussion:other" };
        await store.recordIntent(done, other, { replacing: undefined, now: at(1000) });
        await store.deadLetterJob(dead, "gave up");
        await store.completeJob(done, { summary: "ok", effects: [] });

        await store.prune(at(10_000));
        expect(await store.getIntent(INTENT.key)).toMatchObject({ jobId: dead.id });
        expect(await store.getIntent(other.key)).toBeUndefined();
      });
    });

    describe("countJobs", () => {
      it("counts jobs by state and dates the oldest due one", async () => {
        const empty = { queued: 0, running: 0, dead: 0, oldestDueAt: undefined };
        expect(await store.countJobs(at(1000))).toEqual(empty);
        for (const [index, fixture] of [COMMENT, PR_OPENED, REPO_UPDATED].entries()) {
          await queue(fixtureDelivery(fixture, { receivedAt: at(index * 100) }));
        }
        // Nothing is due before it was received.
        expect(await store.countJobs(at(-1))).toEqual({ ...empty, queued: 3 });
        expect(await store.countJobs(at(1000))).toEqual({
          ...empty,
          queued: 3,
          oldestDueAt: at(0),
        });

        const running = await claim(at(1000));
        const retried = await claim(at(1000));
        await store.retryJob(retried, "GitHub answered 502", at(60_000));
        // The retried job waits for its backoff, so the oldest due job is the one received last.
        expect(await store.countJobs(at(1000))).toEqual({
          queued: 2,
          running: 1,
          dead: 0,
          oldestDueAt: at(200),
        });

        await store.deadLetterJob(running, "poison");
        expect(await store.countJobs(at(60_000))).toEqual({
          queued: 2,
          running: 0,
          dead: 1,
          oldestDueAt: at(200),
        });
      });
    });

    describe("listing", () => {
      it("lists deliveries newest first with their jobs, up to the limit", async () => {
        const comment = await queue(fixtureDelivery(COMMENT, { receivedAt: at(0) }));
        const pr = await queue(fixtureDelivery(PR_OPENED, { receivedAt: at(1) }));
        const repo = await queue(fixtureDelivery(REPO_UPDATED, { receivedAt: at(2) }));
        const job = await claim();
        expect(job.id).toBe(comment.jobId);
        const outcome = { summary: "1 comment mirrored", effects: [] };
        await store.completeJob(job, outcome);

        const listed = await store.listDeliveries({ limit: 10 });
        expect(listed.map((summary) => summary.id)).toEqual([
          repo.deliveryId,
          pr.deliveryId,
          comment.deliveryId,
        ]);
        expect(listed[0]).toMatchObject({ eventKind: "repo.updated", jobState: "queued" });
        expect(listed[2]).toMatchObject({
          jobId: comment.jobId,
          jobState: "done",
          attempts: 1,
          outcome,
        });
        expect((await store.listDeliveries({ limit: 2 })).map((summary) => summary.id)).toEqual([
          repo.deliveryId,
          pr.deliveryId,
        ]);
        expect(await store.getDelivery(repo.deliveryId + 1000)).toBeUndefined();
      });

      it("refuses a page size outside the allowed range", async () => {
        await expect(store.listDeliveries({ limit: 0 })).rejects.toThrow(
          /limit 0 is not an integer from 1 to/,
        );
        await expect(store.listDeadLetters({ limit: 1.5 })).rejects.toThrow(/limit 1.5/);
      });
    });

    describe("console reads", () => {
      /** One delivery in each state the console filters by, oldest first. */
      async function seedEveryState() {
        const ignored = await store.recordDelivery(
          fixtureDelivery(REPO_UPDATED, {
            dedupeKey: "ignored-1",
            disposition: "ignored",
            reason: "no route matches",
            eventKind: "repo.updated",
            event: undefined,
          }),
        );
        const done = await queue(fixtureDelivery(COMMENT, { receivedAt: at(0) }));
        const retrying = await queue(fixtureDelivery(PR_OPENED, { receivedAt: at(1) }));
        const dead = await queue(fixtureDelivery(REPO_UPDATED, { receivedAt: at(2) }));
        const base = fixtureDelivery(REPO_UPDATED, { dedupeKey: "other-repo", receivedAt: at(3) });
        const event = base.event as Extract<NonNullable<NewDelivery["event"]>, { repo: unknown }>;
        const other = await queue({
          ...base,
          event: { ...event, repo: { ...event.repo, name: "acme/other" } },
        });
        await store.completeJob(await claim(at(1000)), { summary: "mirrored", effects: [] });
        await store.retryJob(await claim(at(1000)), "GitHub answered 502", at(90_000));
        await store.deadLetterJob(await claim(at(1000)), "GitHub answered 422");
        return { ignored: ignored.deliveryId, done, retrying, dead, other };
      }

      it("pages deliveries newest first and says where the next page starts", async () => {
        const seeded = await seedEveryState();
        const first = await store.listDeliveryPage({ limit: 2 });
        expect(first.deliveries.map((summary) => summary.id)).toEqual([
          seeded.other.deliveryId,
          seeded.dead.deliveryId,
        ]);
        expect(first.nextBeforeId).toBe(seeded.dead.deliveryId);
        const second = await store.listDeliveryPage({ limit: 2, beforeId: first.nextBeforeId });
        expect(second.deliveries.map((summary) => summary.id)).toEqual([
          seeded.retrying.deliveryId,
          seeded.done.deliveryId,
        ]);
        const last = await store.listDeliveryPage({ limit: 2, beforeId: second.nextBeforeId });
        expect(last.deliveries.map((summary) => summary.id)).toEqual([seeded.ignored]);
        expect(last.nextBeforeId).toBeUndefined();
      });

      it("filters by state (retrying with its next attempt), Hub repo and event kind", async () => {
        const seeded = await seedEveryState();
        const ids = async (query: Omit<Parameters<Store["listDeliveryPage"]>[0], "limit">) =>
          (await store.listDeliveryPage({ limit: 10, ...query })).deliveries.map((s) => s.id);
        expect(await ids({ state: "done" })).toEqual([seeded.done.deliveryId]);
        expect(await ids({ state: "dead" })).toEqual([seeded.dead.deliveryId]);
        expect(await ids({ state: "queued" })).toEqual([seeded.other.deliveryId]);
        expect(await ids({ state: "ignored" })).toEqual([seeded.ignored]);
        const [retrying] = (await store.listDeliveryPage({ limit: 10, state: "retrying" }))
          .deliveries;
        expect(retrying).toMatchObject({
          id: seeded.retrying.deliveryId,
          jobState: "queued",
          attempts: 1,
          lastError: "GitHub answered 502",
          nextAttemptAt: at(90_000),
        });
        expect(await ids({ hubRepo: "acme/other" })).toEqual([seeded.other.deliveryId]);
        expect(await ids({ eventKind: "repo.updated" })).toEqual([
          seeded.other.deliveryId,
          seeded.dead.deliveryId,
          seeded.ignored,
        ]);
        expect(
          await ids({ eventKind: "repo.updated", state: "dead", hubRepo: "openai-community/gpt2" }),
        ).toEqual([seeded.dead.deliveryId]);
      });

      it("keeps every finished attempt with its error, across a replay", async () => {
        const { deliveryId, jobId } = await queue(fixtureDelivery(PR_OPENED));
        await store.retryJob(await claim(at(1000)), "GitHub answered 502", at(2000));
        await store.deadLetterJob(await claim(at(3000)), "GitHub answered 422");
        expect(await store.replayDeadLetter(jobId)).toBe(true);
        const replayed = await store.claimJob({ workerId: "w1", leaseMs: LEASE_MS });
        if (!replayed) throw new Error("the replayed job was not due");
        await store.completeJob(replayed, { summary: "mirrored", effects: [] });
        const detail = await store.getDeliveryDetail(deliveryId);
        expect(detail?.attempts).toEqual([
          { attempt: 1, outcome: "retry", error: "GitHub answered 502", endedAt: expect.any(Date) },
          { attempt: 2, outcome: "dead", error: "GitHub answered 422", endedAt: expect.any(Date) },
          { attempt: 1, outcome: "done", endedAt: expect.any(Date) },
        ]);
        // A lease lost to another worker records no attempt.
        const other = await queue(fixtureDelivery(COMMENT));
        const stale = await claim(at(1000), "w1", 1000);
        await claim(at(5000), "w2");
        await expect(store.retryJob(stale, "late", at(6000))).rejects.toBeInstanceOf(
          LeaseLostError,
        );
        expect((await store.getDeliveryDetail(other.deliveryId))?.attempts).toEqual([]);
      });

      it("refuses a bad page size, cursor or state with the value quoted", async () => {
        await expect(store.listDeliveryPage({ limit: 0 })).rejects.toThrow(/limit 0/);
        await expect(store.listDeliveryPage({ limit: 5, beforeId: -3 })).rejects.toThrow(
          /beforeId -3 is not a positive integer/,
        );
        await expect(store.listDeliveryPage({ limit: 5, state: "lost" as "dead" })).rejects.toThrow(
          /state "lost" is not one of/,
        );
      });

      it("keeps every effect result of a finished job readable, one its last plan dropped too", async () => {
        const { deliveryId } = await queue(fixtureDelivery(COMMENT));
        const job = await claim();
        const dispatched = { status: "accepted" as const, detail: "dispatch sent" };
        const dropped = { status: "done" as const, githubId: 9 };
        await store.recordEffect(job, "dispatch:1", dispatched);
        await store.recordEffect(job, "comment:dropped", dropped);
        const dispatch: PlannedEffect = {
          type: "repository-dispatch",
          idempotencyKey: "dispatch:1",
          repo: { owner: "acme", repo: "app" },
          eventType: "hub-update",
          clientPayload: {},
        };
        // The last attempt's plan no longer had the comment an earlier attempt made.
        const outcome = {
          summary: "1 effect: 1 accepted",
          effects: [{ effect: dispatch, result: dispatched }],
        };
        await store.completeJob(job, outcome);
        const detail = await store.getDeliveryDetail(deliveryId);
        expect(detail?.summary).toMatchObject({ jobState: "done", outcome });
        expect(detail?.completedEffects).toEqual({
          "dispatch:1": dispatched,
          "comment:dropped": dropped,
        });
      });

      it("reads a delivery in full: body, headers, event and the effects done so far", async () => {
        const delivery = fixtureDelivery(COMMENT);
        const { deliveryId, jobId } = await queue(delivery);
        const job = await claim();
        const result = {
          status: "done" as const,
          githubId: 7,
          url: "https://github.com/acme/models/issues/7",
        };
        await store.recordEffect(job, "issue:acme/models:1", result);
        const detail = await store.getDeliveryDetail(deliveryId);
        expect(detail).toEqual({
          summary: expect.objectContaining({
            id: deliveryId,
            jobId,
            jobState: "running",
            attempts: 1,
          }),
          body: delivery.body,
          headers: delivery.headers,
          event: delivery.event,
          completedEffects: { "issue:acme/models:1": result },
          attempts: [],
        });
        const ignored = await store.recordDelivery(
          fixtureDelivery(REPO_UPDATED, {
            dedupeKey: "ignored-2",
            disposition: "ignored",
            event: undefined,
          }),
        );
        const plain = await store.getDeliveryDetail(ignored.deliveryId);
        expect(plain?.event).toBeUndefined();
        expect(plain?.completedEffects).toEqual({});
        expect(await store.getDeliveryDetail(deliveryId + 1000)).toBeUndefined();
      });
    });

    describe("links and state", () => {
      it("upserts links", async () => {
        await store.putLink({ key: "k", kind: "issue", repo: "a/b", githubId: 1, githubNumber: 3 });
        await store.putLink({
          key: "k",
          kind: "issue",
          repo: "a/b",
          githubId: 1,
          githubNumber: 3,
          state: { status: "closed" },
        });
        expect(await store.getLink("k")).toMatchObject({
          githubNumber: 3,
          state: { status: "closed" },
        });
        await store.putLink({ key: "c", kind: "check-run", repo: "a/b", githubId: 9 });
        const checkRun = await store.getLink("c");
        expect(checkRun).toEqual({
          key: "c",
          kind: "check-run",
          repo: "a/b",
          githubId: 9,
          updatedAt: expect.any(Date),
        });
        expect(await store.getLink("missing")).toBeUndefined();
      });

      it("keeps key-value state", async () => {
        expect(await store.getState("endpoints")).toBeUndefined();
        await store.setState("endpoints", { "acme/llm": "running", cursor: [1, 2] });
        await store.setState("flag", false);
        expect(await store.getState("endpoints")).toEqual({
          "acme/llm": "running",
          cursor: [1, 2],
        });
        await store.setState("endpoints", null);
        expect(await store.getState("endpoints")).toBeNull();
        expect(await store.getState("flag")).toBe(false);
        await expect(store.setState("x", undefined)).rejects.toThrow(/store null to clear it/);
      });

      it("inserts state only when absent and answers with the value kept", async () => {
        expect(await store.insertStateIfAbsent("marker", "first")).toBe("first");
        expect(await store.insertStateIfAbsent("marker", "second")).toBe("first");
        expect(await store.getState("marker")).toBe("first");
        await store.setState("cursor", { page: 2 });
        expect(await store.insertStateIfAbsent("cursor", { page: 9 })).toEqual({ page: 2 });
        const raced = await Promise.all(
          Array.from({ length: 8 }, (_, index) => store.insertStateIfAbsent("raced", `v${index}`)),
        );
        expect(new Set(raced).size).toBe(1);
        expect(await store.getState("raced")).toBe(raced[0]);
        await expect(store.insertStateIfAbsent("x", undefined)).rejects.toThrow(/undefined/);
      });
    });

    describe("leases", () => {
      const TTL = 10_000;

      it("grants a free lease, renews it for its holder and refuses others until it expires", async () => {
        expect(
          await store.claimLease({ name: "poll:a", holder: "r1", ttlMs: TTL, now: at(0) }),
        ).toEqual({
          name: "poll:a",
          holder: "r1",
          expiresAt: at(TTL),
          held: true,
        });
        // Another holder before expiry: refused, told who holds it until when.
        expect(
          await store.claimLease({ name: "poll:a", holder: "r2", ttlMs: TTL, now: at(9_999) }),
        ).toEqual({
          name: "poll:a",
          holder: "r1",
          expiresAt: at(TTL),
          held: false,
        });
        // The holder renews: the expiry moves on.
        expect(
          await store.claimLease({ name: "poll:a", holder: "r1", ttlMs: TTL, now: at(5_000) }),
        ).toMatchObject({ holder: "r1", expiresAt: at(5_000 + TTL), held: true });
        // Another lease name is independent.
        expect(
          await store.claimLease({ name: "poll:b", holder: "r2", ttlMs: TTL, now: at(5_000) }),
        ).toMatchObject({ holder: "r2", held: true });
        expect(await store.listLeases()).toEqual([
          { name: "poll:a", holder: "r1", expiresAt: at(5_000 + TTL) },
          { name: "poll:b", holder: "r2", expiresAt: at(5_000 + TTL) },
        ]);
      });

      it("lets another holder take over once the lease expired, and the old holder is then refused", async () => {
        await store.claimLease({ name: "poll:a", holder: "r1", ttlMs: TTL, now: at(0) });
        expect(
          await store.claimLease({ name: "poll:a", holder: "r2", ttlMs: TTL, now: at(TTL) }),
        ).toEqual({ name: "poll:a", holder: "r2", expiresAt: at(2 * TTL), held: true });
        expect(
          await store.claimLease({ name: "poll:a", holder: "r1", ttlMs: TTL, now: at(TTL + 1) }),
        ).toMatchObject({ holder: "r2", held: false });
      });

      it("gives exactly one of many racing claimers the lease", async () => {
        const claims = await Promise.all(
          Array.from({ length: 8 }, (_, index) =>
            store.claimLease({ name: "poll:a", holder: `r${index}`, ttlMs: TTL, now: at(0) }),
          ),
        );
        const winners = claims.filter((claim) => claim.held);
        expect(winners).toHaveLength(1);
        for (const claim of claims) expect(claim.holder).toBe(winners[0]?.holder);
      });

      it("releases only the holder's own lease", async () => {
        await store.claimLease({ name: "poll:a", holder: "r1", ttlMs: TTL, now: at(0) });
        await store.releaseLease("poll:a", "r2");
        expect(
          await store.claimLease({ name: "poll:a", holder: "r2", ttlMs: TTL, now: at(1) }),
        ).toMatchObject({ held: false });
        await store.releaseLease("poll:a", "r1");
        expect(
          await store.claimLease({ name: "poll:a", holder: "r2", ttlMs: TTL, now: at(2) }),
        ).toMatchObject({ holder: "r2", held: true });
      });
    });

    describe("rerunDelivery", () => {
      it("re-queues a finished job with its attempts and effects cleared, and refuses live or job-less ones", async () => {
        const { deliveryId, jobId } = await queue(fixtureDelivery(COMMENT, { webhookId: "wh-1" }));
        expect(await store.rerunDelivery(deliveryId)).toEqual({
          status: "live",
          jobId,
          jobState: "queued",
        });
        const job = await claim();
        await store.recordEffect(job, "issue:1", { status: "done", githubId: 5 });
        await store.completeJob(job, { summary: "ok", effects: [] });
        expect(await store.rerunDelivery(deliveryId)).toEqual({ status: "requeued", jobId });
        expect(await store.getDelivery(deliveryId)).toMatchObject({
          jobState: "queued",
          attempts: 0,
        });
        const again = await claim(new Date(Date.now() + 1000));
        expect(again).toMatchObject({ id: jobId, attempts: 1, completedEffects: {} });
        expect(await store.rerunDelivery(deliveryId)).toMatchObject({ status: "live" });

        const ignored = await store.recordDelivery({
          ...fixtureDelivery(REPO_UPDATED),
          disposition: "ignored",
          event: undefined,
        });
        expect(await store.rerunDelivery(ignored.deliveryId)).toEqual({
          status: "no-job",
          disposition: "ignored",
        });
        expect(await store.rerunDelivery(999_999)).toEqual({ status: "missing" });
      });
    });

    describe("prune", () => {
      it("forgets old finished deliveries and keeps live and dead jobs", async () => {
        const old = (fixture: string, ms: number, overrides: Partial<NewDelivery> = {}) =>
          fixtureDelivery(fixture, { receivedAt: at(ms), ...overrides });
        const doneOld = await queue(old(COMMENT, 0, { webhookId: "wh-old" }));
        const ignoredOld = await store.recordDelivery(
          old(REPO_UPDATED, 1, { disposition: "ignored", event: undefined, dedupeKey: "ign" }),
        );
        const deadOld = await queue(old(PR_OPENED, 2));
        const runningOld = await queue(
          old(COMMENT, 3, { dedupeKey: "running", webhookId: "wh-running" }),
        );
        const queuedOld = await queue(old(COMMENT, 4, { dedupeKey: "queued" }));
        const doneNew = await queue(old(COMMENT, 50_000, { dedupeKey: "new" }));

        await store.completeJob(await claim(at(100_000)), { summary: "ok", effects: [] });
        await store.deadLetterJob(await claim(at(100_000)), "422");
        expect((await claim(at(100_000))).id).toBe(runningOld.jobId);
        const stillQueued = await claim(at(100_000));
        const finishedNew = await claim(at(100_000));
        expect([stillQueued.id, finishedNew.id]).toEqual([queuedOld.jobId, doneNew.jobId]);
        await store.completeJob(finishedNew, { summary: "ok", effects: [] });
        await store.releaseJob(stillQueued);

        expect(await store.prune(at(10_000))).toBe(2);
        const remaining = (await store.listDeliveries({ limit: 10 })).map((summary) => summary.id);
        expect(remaining.sort((a, b) => a - b)).toEqual([
          deadOld.deliveryId,
          runningOld.deliveryId,
          queuedOld.deliveryId,
          doneNew.deliveryId,
        ]);
        expect(await store.getDelivery(doneOld.deliveryId)).toBeUndefined();
        expect(await store.getDelivery(ignoredOld.deliveryId)).toBeUndefined();
        expect(await store.listDeadLetters({ limit: 10 })).toHaveLength(1);

        // The forgotten key is new again; the live ones still deduplicate.
        expect(await store.recordDelivery(old(COMMENT, 60_000))).toMatchObject({
          status: "accepted",
        });
        expect(await store.recordDelivery(old(COMMENT, 60_000, { dedupeKey: "running" }))).toEqual({
          status: "duplicate",
          deliveryId: runningOld.deliveryId,
        });
        // So are the sender ids: a forgotten one is new again, a live one still deduplicates.
        expect(
          await store.recordDelivery(old(COMMENT, 60_000, { dedupeKey: "x", webhookId: "wh-old" })),
        ).toMatchObject({ status: "accepted" });
        expect(
          await store.recordDelivery(
            old(COMMENT, 60_000, { dedupeKey: "y", webhookId: "wh-running" }),
          ),
        ).toEqual({ status: "duplicate", deliveryId: runningOld.deliveryId });
      });
    });
  });
}
