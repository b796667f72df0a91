import { SignJWT, jwtVerify, errors } from 'jose';

const ISSUER = 'estate-care';
const AUDIENCE = 'estate-care-api';

export interface TokenClaims {
  sub: string;
  role: string;
}

export async function issueToken(secret: string, ttlSeconds: number, claims: TokenClaims): Promise<{ token: string; expiresAt: Date }> {
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = new Date((now + ttlSeconds) * 1000);
  const token = await new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
  return { token, expiresAt };
}

/**
 * Tokens already verified, with their subject and expiry: a client sends the same token with every
 * request, and checking its signature again gives the same answer until it expires. Keyed by secret
 * and token; an expired entry is dropped on sight; bounded (the oldest goes first).
 */
const verified = new Map<string, { sub: string; expiresAtMs: number }>();
const VERIFIED_LIMIT = 1000;

/** Returns the user id of a valid, unexpired token, or null. */
export async function verifyToken(secret: string, token: string): Promise<string | null> {
  const key = `${secret}\u0000${token}`;
  const known = verified.get(key);
  if (known) {
    if (Date.now() < known.expiresAtMs) return known.sub;
    verified.delete(key);
  }
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    if (typeof payload.sub !== 'string') return null;
    if (typeof payload.exp === 'number') {
      if (verified.size >= VERIFIED_LIMIT) verified.delete(verified.keys().next().value!);
      verified.set(key, { sub: payload.sub, expiresAtMs: payload.exp * 1000 });
    }
    return payload.sub;
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}
