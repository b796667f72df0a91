import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { findProjectInScopeOrThrow } from '../org/repository.js';
import { createProgressNote, findProgressNotesOfProject } from './repository.js';

/**
 * A project's construction-progress notes: the monthly buyer email quotes the latest. Not personal
 * data: whoever may see the project reads them.
 */
export async function getProgressNotes(db: Db, principal: Principal, projectId: string, page: { skip: number; take: number }) {
  await findProjectInScopeOrThrow(db, principal, projectId);
  return findProgressNotesOfProject(db, projectId, page);
}

/** Publishes a note on a project in the principal's scope; the next monthly buyer email quotes it. */
export async function publishProgressNote(db: Db, principal: Principal, projectId: string, text: string) {
  const project = await findProjectInScopeOrThrow(db, principal, projectId);
  return createProgressNote(db, { projectId: project.id, text, createdById: principal.id });
}
