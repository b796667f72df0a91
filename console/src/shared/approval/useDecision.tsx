/**
 * A decision on an approval queue as a TanStack mutation: the card leaves the cached page at once
 * (the decision is the approver's; the list need not wait for the workflow), a confirmation message
 * says what was decided (`data-testid="decision-confirmation"`), a refusal puts the card back (the
 * page shows the problem), and the queue is refetched either way.
 */
import type { ReactNode } from 'react';
import { App } from 'antd';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { Page } from '../../api.js';
import type { Decision } from './ApprovalCard.js';

export interface DecisionVars<T> {
  item: T;
  kind: Decision;
  text: string;
}

export function useApprovalDecision<T, R, V extends DecisionVars<T> = DecisionVars<T>>(options: {
  /** The queue's query (its data a `Page<T>`); every query under this key loses the card. */
  queryKey: QueryKey;
  idOf: (item: T) => string;
  send: (vars: V) => Promise<R>;
  /** The confirmation's words. */
  confirm: (vars: V) => ReactNode;
  /** After the server accepted (refresh the record's own queries). */
  onDecided?: (answer: R, vars: V) => void;
}) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { queryKey, idOf } = options;
  return useMutation({
    mutationFn: options.send,
    onMutate: async ({ item }) => {
      await qc.cancelQueries({ queryKey });
      const before = qc.getQueriesData<Page<T>>({ queryKey });
      const id = idOf(item);
      qc.setQueriesData<Page<T>>({ queryKey }, (old) =>
        old && Array.isArray(old.items) ? { ...old, items: old.items.filter((x) => idOf(x) !== id), total: Math.max(0, old.total - 1) } : old,
      );
      return { before };
    },
    onSuccess: (answer, vars) => {
      void message.success({ content: <span data-testid="decision-confirmation">{options.confirm(vars)}</span>, key: `decision-${idOf(vars.item)}` });
      options.onDecided?.(answer, vars);
    },
    onError: (_err, _vars, ctx) => {
      for (const [key, data] of ctx?.before ?? []) qc.setQueryData(key, data);
    },
    onSettled: () => void qc.invalidateQueries({ queryKey }),
  });
}
