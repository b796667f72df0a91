/**
 * The vocabulary of the sales lifecycle (DESIGN.md section 3): subscription → contract → payment
 * (full or mortgage) → inspection → handover. Pure: shared by the sale workflow, the API and the console.
 */

/**
 * `subscribed` (认购: unit reserved, deposit paid) → `contracted` (签约) → `paying` (full payment
 * by instalments) or `mortgage_pending` (按揭) → `paid` → `inspection` (pre-handover, a month
 * before delivery) → `handed_over` (交付). `lapsed`: no contract in time; `cancelled`: approved
 * cancellation. The last three are final.
 */
export const SALE_STAGES = ['subscribed', 'contracted', 'paying', 'mortgage_pending', 'paid', 'inspection', 'handed_over', 'lapsed', 'cancelled'] as const;
export type SaleStage = (typeof SALE_STAGES)[number];
export const FINAL_SALE_STAGES = ['handed_over', 'lapsed', 'cancelled'] as const satisfies readonly SaleStage[];

export const PAYMENT_METHODS = ['full', 'mortgage'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const MORTGAGE_EVENTS = ['documents_submitted', 'approved', 'rejected', 'disbursed'] as const;
export type MortgageEvent = (typeof MORTGAGE_EVENTS)[number];

/** Changes that need a sales manager's approval, with a reason. */
export const APPROVAL_KINDS = ['cancel', 'change_unit', 'rename'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** A customer's membership: silver after one referral or a repeat purchase, gold after two or more. */
export const MEMBERSHIP_TIERS = ['none', 'silver', 'gold'] as const;
export type MembershipTier = (typeof MEMBERSHIP_TIERS)[number];

const includes = <T extends string>(values: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (values as readonly string[]).includes(value);

export const isSaleStage = (value: unknown): value is SaleStage => includes(SALE_STAGES, value);
export const isFinalSaleStage = (stage: SaleStage): boolean => (FINAL_SALE_STAGES as readonly string[]).includes(stage);
export const isPaymentMethod = (value: unknown): value is PaymentMethod => includes(PAYMENT_METHODS, value);
export const isMortgageEvent = (value: unknown): value is MortgageEvent => includes(MORTGAGE_EVENTS, value);
