import { generateKeyPairSync } from "node:crypto";
import { makeDeliveryDistinct } from "../../src/cli/make-delivery-distinct.ts";
import { readSample } from "../../src/cli/read-sample.ts";

/**
 * The body of a new Hub discussion (the CLI's built-in sample with fresh ids) on `repoName`, a model
 * repo: every call is a distinct delivery with its own dedupe key.
 */
export function hubDiscussionDelivery(repoName: string): string {
  const { payload } = readSample("discussion", process.cwd());
  const distinct = makeDeliveryDistinct(payload);
  const repo = distinct.repo as Record<string, unknown>;
  const discussion = distinct.discussion as { url: Record<string, string> };
  const oldName = String(repo.name);
  repo.name = repoName;
  for (const key of Object.keys(discussion.url)) {
    discussion.url[key] = String(discussion.url[key]).replace(oldName, repoName);
  }
  return JSON.stringify(distinct);
}

/** An RSA key in the PEM form a GitHub App's PRIVATE_KEY has; the fake GitHub checks only the JWT's shape. */
export function generateAppPrivateKey(): string {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
}
