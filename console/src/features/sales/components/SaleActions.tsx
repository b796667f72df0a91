/**
 * The steps the caller may take on a sale at its stage (steps/actions.ts), and one form per step
 * (steps/): contract, filing, payment, mortgage, switch to full payment, inspection, handover, and
 * the requests a sales manager decides. Each is checked with the server's body schema before
 * sending; the workflow decides whether a step is accepted: a refusal comes back as a problem with
 * its code, its field errors under their fields; nothing typed is lost.
 */
import { HandoverForm, InspectionForm } from './steps/HandoverForms.js';
import { MortgageForm } from './steps/MortgageForm.js';
import { ContractForm, FilingForm, PaymentForm, SwitchFullForm } from './steps/RecordForms.js';
import { RequestForm } from './steps/RequestForm.js';
import type { ActionFormProps } from './steps/actions.js';

export { ACTION_LABEL, actionsFor, hasPending, type Action, type ActionFormProps } from './steps/actions.js';

export function ActionForm(props: ActionFormProps) {
  switch (props.action) {
    case 'contract':
      return <ContractForm {...props} />;
    case 'filing':
      return <FilingForm {...props} />;
    case 'payment':
      return <PaymentForm {...props} />;
    case 'mortgage':
      return props.sale.mortgage ? <MortgageForm {...props} /> : null;
    case 'switchFull':
      return <SwitchFullForm {...props} />;
    case 'inspection':
      return <InspectionForm {...props} />;
    case 'handover':
      return <HandoverForm {...props} />;
    case 'cancel':
    case 'changeUnit':
    case 'rename':
      return <RequestForm {...props} action={props.action} />;
  }
}
