import type { Principal } from '../../domain/access.js';
import type { Catalogue, ErrorFactory } from '../errors.js';

/** One access rule of a record (domain/access.ts) and the reason of the module's catalogue that refuses it. */
export interface AccessRule<Ref, Reason extends string> {
  admits: (o: Ref & { principal: Principal }) => boolean;
  denied: Reason;
}

/**
 * A module's access rules for one kind of record (a lead: read, work, manage), each with the error
 * that refuses it (403 OUT_OF_SCOPE refined: LEAD_WORK_DENIED …). Answers the check a use case runs
 * once it has loaded the record: `assertLeadRule(rule, principal, ref)` throws the rule's error
 * when the rule does not admit the principal.
 */
export function accessRules<C extends Catalogue, Ref, Rule extends string>(errors: ErrorFactory<C>, rules: Record<Rule, AccessRule<Ref, keyof C & string>>) {
  return (rule: Rule, principal: Principal, ref: Ref): void => {
    const { admits, denied } = rules[rule];
    if (!admits({ principal, ...ref })) throw errors.fromReason(denied);
  };
}
