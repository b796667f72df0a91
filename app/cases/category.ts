import { isCategoryOfType, isValidCategory, type Category } from '../../domain/cases/categories.js';
import { isCaseType } from '../../domain/cases/types.js';
import type { AppDeps } from '../shared/deps.js';
import { caseError } from './errors.js';
import { findCategoriesByGroup } from './settings.js';

/** A category the group's taxonomy has, in the tree of the case's type (400 on `body.category` otherwise). */
export async function assertCategoryForType(deps: Pick<AppDeps, 'db'>, o: { groupId: string; type: string; category: string }): Promise<void> {
  assertCategoryOfType(await findCategoriesByGroup(deps.db, o.groupId), o);
}

/** assertCategoryForType on the group's taxonomy already read. */
export function assertCategoryOfType(categories: readonly Category[], o: { type: string; category: string }): void {
  if (!isValidCategory({ code: o.category, categories })) throw caseError('UNKNOWN_CATEGORY', { category: o.category }, { field: 'body.category' });
  if (isCaseType(o.type) && !isCategoryOfType({ code: o.category, type: o.type, categories }))
    throw caseError('CATEGORY_NOT_OF_TYPE', { category: o.category, type: o.type }, { field: 'body.category' });
}

