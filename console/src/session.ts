/**
 * The login session: the bearer token lives in sessionStorage (key `token`), so it ends with the
 * browser tab and is never shared with other tabs or written to disk by localStorage.
 */
const TOKEN_KEY = 'token';
const EXPIRES_KEY = 'tokenExpiresAt';

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  const s = storage();
  const token = s?.getItem(TOKEN_KEY) ?? null;
  if (!token) return null;
  const expiresAt = s?.getItem(EXPIRES_KEY);
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) {
    clearSession();
    return null;
  }
  return token;
}

export function saveSession(token: string, expiresAt: string): void {
  const s = storage();
  s?.setItem(TOKEN_KEY, token);
  s?.setItem(EXPIRES_KEY, expiresAt);
}

export function clearSession(): void {
  const s = storage();
  s?.removeItem(TOKEN_KEY);
  s?.removeItem(EXPIRES_KEY);
}
