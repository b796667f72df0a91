import type { upsertSearchAttributes } from '@temporalio/workflow';

type UpdatePair = Extract<Parameters<typeof upsertSearchAttributes>[0], readonly unknown[]>[number];

/** A typed search-attribute key, as `defineSearchAttributeKey` of @temporalio/common makes it. */
export type KeywordAttribute = Extract<UpdatePair['key'], { type: 'KEYWORD' }>;

/**
 * The typed key of a Keyword search attribute registered in platform/temporal/search-attributes.ts.
 * Built here rather than with @temporalio/common so workflow code imports @temporalio/workflow only.
 * Search attributes carry ids and states only: never a customer's name or phone.
 */
export const keywordAttribute = (name: string): KeywordAttribute => ({ name, type: 'KEYWORD' }) as KeywordAttribute;
