/**
 * The steps the caller may take on a sale at its stage (the workflow decides; the console offers
 * only what it would accept), and what every step's form is given.
 */
import { isFinalSaleStage, type SaleStage } from '../../../../../../domain/sales/types.js';
import type { Unit } from '../../../../api.js';
import type { useCategoryTree } from '../../../cases/api.js';
import type { MortgageEvent, MortgageStatus, Sale } from '../../api.js';

export type Action = 'contract' | 'filing' | 'payment' | 'mortgage' | 'switchFull' | 'inspection' | 'handover' | 'cancel' | 'changeUnit' | 'rename';

export const ACTION_LABEL = {
  contract: 'saleAct.contract',
  filing: 'saleAct.filing',
  payment: 'saleAct.payment',
  mortgage: 'saleAct.mortgage',
  switchFull: 'saleAct.switchFull',
  inspection: 'saleAct.inspection',
  handover: 'saleAct.handover',
  cancel: 'saleAct.cancel',
  changeUnit: 'saleAct.changeUnit',
  rename: 'saleAct.rename',
} as const satisfies Record<Action, string>;

/** The stages after the contract in which the filing may be recorded (the workflow's AFTER_CONTRACT). */
const AFTER_CONTRACT: readonly SaleStage[] = ['contracted', 'paying', 'mortgage_pending', 'paid', 'inspection'];

/** The mortgage steps that may follow each status (the workflow's validator). */
export const NEXT_MORTGAGE_EVENTS: Record<MortgageStatus, readonly MortgageEvent[]> = {
  awaiting_documents: ['documents_submitted'],
  documents_submitted: ['approved', 'rejected'],
  approved: ['disbursed'],
  rejected: [],
  disbursed: [],
};

export const hasPending = (sale: Sale) => sale.pendingApproval !== null || sale.approvals.some((x) => x.status === 'pending');

/** The steps the caller may take now, by stage, payment method and role. */
export function actionsFor(sale: Sale, rights: { work: boolean }): Action[] {
  if (!rights.work || isFinalSaleStage(sale.stage)) return [];
  const a: Action[] = [];
  const { stage } = sale;
  if (stage === 'subscribed') a.push('contract');
  if (AFTER_CONTRACT.includes(stage) && !sale.filing) a.push('filing');
  const payable: readonly SaleStage[] = sale.paymentMethod === 'full' ? ['contracted', 'paying'] : ['contracted', 'mortgage_pending'];
  if (payable.includes(stage)) a.push('payment');
  if (sale.paymentMethod === 'mortgage' && (stage === 'contracted' || stage === 'mortgage_pending') && sale.mortgage && NEXT_MORTGAGE_EVENTS[sale.mortgage.status].length > 0)
    a.push('mortgage');
  if (sale.paymentMethod === 'mortgage' && sale.mortgage?.status === 'rejected') a.push('switchFull');
  if (stage === 'inspection' && !sale.inspection) a.push('inspection');
  if (stage === 'inspection') a.push('handover');
  if (!hasPending(sale)) {
    a.push('cancel');
    if (stage === 'subscribed' || stage === 'contracted') a.push('changeUnit');
    a.push('rename');
  }
  return a;
}

/** What every step's form is given by the sale page. */
export interface ActionFormProps {
  action: Action;
  sale: Sale;
  /** The project's time zone: times are entered and shown in it. */
  timeZone: string;
  units: Unit[];
  unitsLoading: boolean;
  categories: ReturnType<typeof useCategoryTree>;
  onCancel: () => void;
  onDone: (message: string, updated: Sale) => void;
}
