import type { MembershipTier } from './types.js';

/**
 * The developer's owner membership: one completed referral (老带新) or a second purchase makes an
 * owner silver; two or more, gold. Counts only sales that completed (handed over).
 */
export function membershipTierOf({ referrals, purchases }: { referrals: number; purchases: number }): MembershipTier {
  if (!Number.isInteger(referrals) || !Number.isInteger(purchases) || referrals < 0 || purchases < 0) throw new RangeError('counts must be whole and not negative');
  const credits = referrals + Math.max(0, purchases - 1);
  if (credits >= 2) return 'gold';
  if (credits === 1) return 'silver';
  return 'none';
}
