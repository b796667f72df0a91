/**
 * Which events of a case's, lead's or sale's audit trail are a contact with its customer: what a
 * screen-pop lists as "last contacts" (when, through which record, over which channel). Pure.
 */
export const CONTACT_EVENTS = [
  // The customer reached us (the case's channel), we reached them first, we called back.
  'case.opened',
  'case.contacted',
  'callback.recorded',
  // A prospect arrived; a salesperson touched them (the touch's channel).
  'lead.created',
  'lead.touched',
  // The buyer came in to subscribe, to sign, to take the keys.
  'sale.subscribed',
  'sale.contract_signed',
  'sale.handed_over',
] as const;
export type ContactEvent = (typeof CONTACT_EVENTS)[number];

export const isContactEvent = (type: string): type is ContactEvent => (CONTACT_EVENTS as readonly string[]).includes(type);

/** The channel a contact went through where its trail records one (a case's opening, a lead's touch); null otherwise. */
export function contactChannelOf(type: ContactEvent, data: unknown): string | null {
  if (type !== 'case.opened' && type !== 'lead.touched') return null;
  const channel = data && typeof data === 'object' ? (data as Record<string, unknown>).channel : undefined;
  return typeof channel === 'string' ? channel : null;
}
