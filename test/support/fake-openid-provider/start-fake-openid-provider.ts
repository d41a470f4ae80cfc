import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A Hub account as the provider's userinfo shows it. */
export interface FakeOidcUser {
  sub: string;
  preferred_username: string;
  name?: string;
  orgs?: string[];
}

export interface FakeOpenIdProvider {
  /** The issuer, i.e. what OPENID_PROVIDER_URL is set to. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Who the authorize endpoint signs in as (it approves at once, like a user who clicks Allow). */
  signInAs(user: FakeOidcUser): void;
  /** Token requests answered, by outcome, for assertions. */
  tokenRequests: Array<{ status: number; error?: string }>;
  close(): Promise<void>;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  user: FakeOidcUser;
  used: boolean;
}

/**
 * A local OpenID provider shaped like the Hub's: discovery, authorize (approves at once as the
 * chosen user), token (client secret, one-time codes, PKCE S256 and redirect URI checked, an RS256
 * ID token), userinfo (with `orgs` as the Hub gives them) and JWKS. Every refusal names what was wrong.
 */
export async function startFakeOpenIdProvider(): Promise<FakeOpenIdProvider> {
  const clientId = `client-${randomBytes(4).toString("hex")}`;
  const clientSecret = randomBytes(16).toString("hex");
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid: "fake-1", use: "sig", alg: "RS256" };
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, FakeOidcUser>();
  const tokenRequests: FakeOpenIdProvider["tokenRequests"] = [];
  let current: FakeOidcUser = { sub: "u-1", preferred_username: "operator", orgs: [] };
  let issuer = "";

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", issuer);
    if (url.pathname === "/.well-known/openid-configuration") {
      return send(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/oauth/authorize`,
        token_endpoint: `${issuer}/oauth/token`,
        userinfo_endpoint: `${issuer}/oauth/userinfo`,
        jwks_uri: `${issuer}/oauth/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        scopes_supported: ["openid", "profile", "email", "read-repos"],
      });
    }
    if (url.pathname === "/oauth/jwks") return send(res, 200, { keys: [jwk] });
    if (url.pathname === "/oauth/authorize") return authorize(url, res);
    if (url.pathname === "/oauth/token" && req.method === "POST") return token(req, res);
    if (url.pathname === "/oauth/userinfo") return userinfo(req, res);
    return send(res, 404, { error: `no such endpoint ${url.pathname}` });
  }

  function authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    if (q.get("client_id") !== clientId) {
      send(res, 400, { error: "unknown client_id" });
      return;
    }
    if (q.get("response_type") !== "code") {
      send(res, 400, { error: "response_type must be code" });
      return;
    }
    if (q.get("code_challenge_method") !== "S256" || !q.get("code_challenge")) {
      send(res, 400, { error: "PKCE S256 code_challenge required" });
      return;
    }
    const redirectUri = q.get("redirect_uri") ?? "";
    const code = randomBytes(16).toString("hex");
    codes.set(code, {
      clientId,
      redirectUri,
      challenge: q.get("code_challenge") ?? "",
      user: current,
      used: false,
    });
    const back = new URL(redirectUri);
    back.searchParams.set("code", code);
    const state = q.get("state");
    if (state !== null) back.searchParams.set("state", state);
    res.writeHead(302, { location: back.href });
    res.end();
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readText(req));
    const refuse = (error: string, description: string) => {
      tokenRequests.push({ status: 400, error });
      send(res, 400, { error, error_description: description });
    };
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const [id, secret] = basic
      ? Buffer.from(basic, "base64").toString().split(":").map(decodeURIComponent)
      : [form.get("client_id"), form.get("client_secret")];
    if (id !== clientId || secret !== clientSecret)
      return refuse("invalid_client", "bad client credentials");
    const issued = codes.get(form.get("code") ?? "");
    if (!issued) return refuse("invalid_grant", "unknown code");
    if (issued.used) return refuse("invalid_grant", "code already used");
    issued.used = true;
    if (form.get("redirect_uri") !== issued.redirectUri) {
      return refuse("invalid_grant", "redirect_uri differs from the authorize request");
    }
    const verifier = form.get("code_verifier") ?? "";
    if (createHash("sha256").update(verifier).digest("base64url") !== issued.challenge) {
      return refuse("invalid_grant", "code_verifier does not match the code_challenge");
    }
    const accessToken = randomBytes(16).toString("hex");
    tokens.set(accessToken, issued.user);
    const now = Math.floor(Date.now() / 1000);
    tokenRequests.push({ status: 200 });
    send(res, 200, {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: 3600,
      scope: "openid profile",
      id_token: signJwt({
        iss: issuer,
        sub: issued.user.sub,
        aud: clientId,
        iat: now,
        exp: now + 600,
        preferred_username: issued.user.preferred_username,
      }),
    });
  }

  function userinfo(req: IncomingMessage, res: ServerResponse): void {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const user = tokens.get(bearer);
    if (!user) {
      send(res, 401, { error: "invalid_token" });
      return;
    }
    send(res, 200, {
      sub: user.sub,
      preferred_username: user.preferred_username,
      name: user.name ?? user.preferred_username,
      orgs: (user.orgs ?? []).map((org, index) => ({
        sub: `org-${index}`,
        name: org,
        preferred_username: org,
        isEnterprise: false,
      })),
    });
  }

  function signJwt(claims: Record<string, unknown>): string {
    const header = Buffer.from(
      JSON.stringify({ alg: "RS256", typ: "JWT", kid: "fake-1" }),
    ).toString("base64url");
    const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
    const signature = sign("sha256", Buffer.from(`${header}.${body}`), privateKey).toString(
      "base64url",
    );
    return `${header}.${body}.${signature}`;
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: issuer,
    clientId,
    clientSecret,
    signInAs(user) {
      current = user;
    },
    tokenRequests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
