import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sha256Digest } from "../../hf/prepare-webhook-secrets.ts";
import type { PendingSignIn } from "../../hub/create-hub-oidc-client.ts";
import type { Handler } from "../handler.ts";
import { HttpProblem } from "../http-problem.ts";
import { isLocalRequest } from "../is-local-request.ts";
import type { ConsoleUser } from "./console-user.ts";
import type { HfSignIn } from "./create-hf-sign-in.ts";
import { SignInError } from "./create-hf-sign-in.ts";
import { isConsoleAllowed } from "./is-console-allowed.ts";
import { parseCookies } from "./parse-cookies.ts";
import { readSignedCookieValue } from "./read-signed-cookie-value.ts";
import { signCookieValue } from "./sign-cookie-value.ts";

export const SESSION_COOKIE = "hfb_session";
const SIGN_IN_COOKIE = "hfb_signin";
export const LOGIN_PATH = "/login";
/** On a Space, the built-in OAuth app accepts this redirect path on the Space's own host. */
export const CALLBACK_PATH = "/login/callback";
export const LOGOUT_PATH = "/logout";
/** A working day, like the Hub's default Space OAuth expiry; then the operator signs in again. */
const SESSION_SECONDS = 8 * 3600;
/** Time to get through the provider's consent screen. */
const SIGN_IN_SECONDS = 10 * 60;

/** Who is asking, as far as the console is concerned. */
export type ConsoleAccess =
  | { kind: "user"; user: ConsoleUser; csrf: string }
  | { kind: "local"; csrf: string }
  | { kind: "bearer" }
  | { kind: "public"; refused?: string };

interface ConsoleAuthOptions {
  /** Undefined when no OAuth app is configured: only the local-only rule (and a bearer token) apply. */
  signIn: HfSignIn | undefined;
  /** Signs the cookies; derive it from the OAuth client secret so replicas and restarts agree. */
  sessionKey: Buffer;
  /** `console.allow`: Hub users or orgs whose members may use the console. */
  allow: readonly string[];
  /** `HF_BRIDGE_API_TOKEN`: scripts send it as a bearer token instead of a session. */
  apiToken?: string;
  /** Who sees the console without signing in: "local" (this machine) or "public" (everyone). */
  details: "local" | "public";
  /** The public address (Space URL), for the redirect URI; else taken from the request. */
  publicUrl?: string;
}

export interface ConsoleAuth {
  identify(req: IncomingMessage, now?: Date): ConsoleAccess;
  /** Refuses a mutating request whose form or header does not carry the access's CSRF token. */
  checkCsrf(access: ConsoleAccess, presented: string | undefined): void;
  signInAvailable: boolean;
  login: Handler;
  callback: Handler;
  logout: Handler;
}

/**
 * Sessions for the operator console: a signed HttpOnly SameSite=Lax cookie after Sign in with
 * Hugging Face (state and PKCE kept in a short-lived signed cookie meanwhile), the local-only rule
 * as fallback, and a bearer token for scripts. Every failure says why it was refused.
 */
export function createConsoleAuth(options: ConsoleAuthOptions): ConsoleAuth {
  const { signIn, sessionKey } = options;
  // Local visitors have no session; their CSRF token is tied to this process's random key.
  const localCsrf = createHmac("sha256", randomBytes(32)).update("local").digest("base64url");
  const apiDigest = options.apiToken ? sha256Digest(options.apiToken) : undefined;

  function redirectUri(req: IncomingMessage): string {
    const base = options.publicUrl ?? `http://${req.headers.host ?? "localhost"}`;
    return `${base.replace(/\/+$/, "")}${CALLBACK_PATH}`;
  }

  function secure(req: IncomingMessage): string {
    const https =
      options.publicUrl?.startsWith("https://") || req.headers["x-forwarded-proto"] === "https";
    return https ? "; Secure" : "";
  }

  function readSession(req: IncomingMessage, now: Date): ConsoleAccess {
    const value = parseCookies(req).get(SESSION_COOKIE);
    if (value === undefined) return { kind: "public" };
    const read = readSignedCookieValue(value, sessionKey, now, "session");
    if (!read.ok) return { kind: "public", refused: read.reason };
    const { sub, name, orgs, csrf } = read.payload;
    if (typeof sub !== "string" || typeof name !== "string" || typeof csrf !== "string") {
      return { kind: "public", refused: "the session cookie lacks the user; sign in again" };
    }
    const user = { sub, name, orgs: Array.isArray(orgs) ? orgs.map(String) : [] };
    // Checked at every request, so removing a name from console.allow takes effect at once.
    if (!isConsoleAllowed(user, options.allow)) {
      return { kind: "public", refused: refusal(user) };
    }
    return { kind: "user", user, csrf };
  }

  function refusal(user: ConsoleUser): string {
    return `${user.name} is signed in but neither the user nor one of their orgs is in console.allow of hf-bridge.yml; ask the operator to add one`;
  }

  return {
    signInAvailable: signIn !== undefined,

    identify(req, now = new Date()) {
      const bearer = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
      if (bearer !== undefined && apiDigest && timingSafeEqual(sha256Digest(bearer), apiDigest)) {
        return { kind: "bearer" };
      }
      const session = readSession(req, now);
      if (session.kind === "user") return session;
      if (options.details === "public" || isLocalRequest(req)) {
        return { kind: "local", csrf: localCsrf };
      }
      return session;
    },

    checkCsrf(access, presented) {
      if (access.kind === "bearer") return;
      if (access.kind === "public") {
        throw new HttpProblem(
          403,
          "forbidden",
          access.refused ??
            "sign in with Hugging Face first; this action is for console.allow only",
        );
      }
      if (presented === undefined || presented === "") {
        throw new HttpProblem(
          403,
          "forbidden",
          "the form carries no CSRF token (csrf field); reload the console page and submit it from there",
        );
      }
      const expected = Buffer.from(access.csrf);
      const given = Buffer.from(presented);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new HttpProblem(
          403,
          "forbidden",
          "the form's CSRF token does not belong to this session; reload the console page and submit it from there",
        );
      }
    },

    login: async ({ req, res, url }) => {
      if (!signIn) {
        throw new HttpProblem(
          404,
          "not-found",
          "Sign in with Hugging Face is off: set OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET and OPENID_PROVIDER_URL (a Space with hf_oauth: true sets them)",
        );
      }
      const { url: authorize, pending } = await signIn.start(redirectUri(req)).catch((error) => {
        throw asProblem(error);
      });
      const back = safeReturnPath(url.searchParams.get("next"));
      const cookie = signCookieValue(
        { ...pending, next: back, exp: epochSeconds() + SIGN_IN_SECONDS },
        sessionKey,
      );
      redirect(res, authorize.href, [
        `${SIGN_IN_COOKIE}=${cookie}; Path=${CALLBACK_PATH}; HttpOnly; SameSite=Lax; Max-Age=${SIGN_IN_SECONDS}${secure(req)}`,
      ]);
      return undefined;
    },

    callback: async ({ req, res, url, log }) => {
      if (!signIn) throw new HttpProblem(404, "not-found", "Sign in with Hugging Face is off");
      const value = parseCookies(req).get(SIGN_IN_COOKIE);
      if (value === undefined) {
        throw new HttpProblem(
          400,
          "bad-request",
          "this sign-in was not started in this browser (no sign-in cookie, or it expired); start it again from the console page",
        );
      }
      const read = readSignedCookieValue(value, sessionKey, new Date(), "sign-in");
      if (!read.ok) throw new HttpProblem(400, "bad-request", read.reason);
      const pending = read.payload as unknown as PendingSignIn & { next?: string };
      const callbackUrl = new URL(`${redirectUri(req)}${url.search}`);
      const clearSignIn = `${SIGN_IN_COOKIE}=; Path=${CALLBACK_PATH}; HttpOnly; SameSite=Lax; Max-Age=0${secure(req)}`;
      let user: ConsoleUser;
      try {
        user = await signIn.finish(callbackUrl, pending);
      } catch (error) {
        res.setHeader("set-cookie", clearSignIn);
        throw asProblem(error);
      }
      if (!isConsoleAllowed(user, options.allow)) {
        log.info({ user: user.name }, "console sign-in refused: not in console.allow");
      }
      const session = signCookieValue(
        {
          ...user,
          csrf: randomBytes(24).toString("base64url"),
          exp: epochSeconds() + SESSION_SECONDS,
        },
        sessionKey,
      );
      redirect(res, safeReturnPath(pending.next), [
        clearSignIn,
        `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_SECONDS}${secure(req)}`,
      ]);
      return undefined;
    },

    logout: async ({ req, res }) => {
      redirect(res, "/", [
        `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure(req)}`,
      ]);
      return undefined;
    },
  };
}

function asProblem(error: unknown): HttpProblem {
  if (error instanceof SignInError) return new HttpProblem(400, "sign-in-failed", error.message);
  return new HttpProblem(502, "sign-in-failed", `the sign-in failed: ${(error as Error).message}`);
}

/** Only paths on this site, so the sign-in cannot be used to send a visitor elsewhere. */
function safeReturnPath(next: string | null | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : "/console";
}

function redirect(res: ServerResponse, location: string, cookies: string[]): void {
  res.writeHead(303, { location, "set-cookie": cookies, "cache-control": "no-store" });
  res.end();
}

function epochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
