import type { Request, RequestHandler } from 'express';

/**
 * Authentication of the codec routes (routes.ts): the CLI sends the API's bearer token
 * (`--codec-auth 'Bearer …'`). The Web UI cannot: it only forwards the token of its own OIDC
 * login, and only to an https endpoint. What it can do is send cookies ("Include cross-origin
 * credentials" in its codec settings), so a group administrator first calls `POST …/session` with
 * their token, which stores the token in an HttpOnly cookie valid for these routes only.
 */
export const CODEC_BASE_PATH = '/api/temporal-codec';
export const SESSION_COOKIE = 'estate_codec';

/**
 * Lets the Temporal Web UI (another origin: the dev server's UI port, or the cluster's UI) call
 * the codec routes from the browser, with its cookies. Other origins get no CORS headers, so
 * browsers refuse them (and their JSON requests never leave the preflight); the CLI sends no
 * Origin at all. Answers the preflight itself, before authentication (a preflight carries no
 * credentials). Without an Authorization header, the session cookie stands for it, on these
 * routes only.
 */
export function codecCors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.append('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    const session = sessionCookieOf(req);
    if (!req.headers.authorization && session) req.headers.authorization = `Bearer ${session}`;
    next();
  };
}

function sessionCookieOf(req: Request): string | null {
  const match = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([A-Za-z0-9._-]+)`).exec(req.headers.cookie ?? '');
  return match?.[1] ?? null;
}

