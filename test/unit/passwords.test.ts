import { describe, expect, it } from 'vitest';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../platform/passwords.js';

describe('password hashing', () => {
  it('hashes with argon2id at OWASP minimum cost (19 MiB, 2 passes)', async () => {
    expect(await hashPassword('correct horse')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('salts: the same password never hashes the same twice', async () => {
    expect(await hashPassword('same-password')).not.toBe(await hashPassword('same-password'));
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('密码-password-1');
    expect(await verifyPassword(h, '密码-password-1')).toBe(true);
    expect(await verifyPassword(h, '密码-password-2')).toBe(false);
    expect(await verifyPassword(h, '')).toBe(false);
  });

  it('answers false, not an exception, for a stored hash that is not a hash', async () => {
    expect(await verifyPassword('plain-text', 'plain-text')).toBe(false);
    expect(await verifyPassword('', '')).toBe(false);
  });

  it('spends a password check for unknown users without failing', async () => {
    await expect(burnPasswordCheck('anything')).resolves.toBeUndefined();
  });
});
