import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { findProjectInScopeOrThrow } from '../org/repository.js';
import { createProgressNote, findProgressNoteById, findProgressNotesOfProject } from './repository.js';
import { recordIdForRequest } from '../shared/request-identity.js';

/**
 * A project's construction-progress notes: the monthly buyer email quotes the latest. Not personal
 * data: whoever may see the project reads them.
 */
export async function getProgressNotes(db: Db, principal: Principal, projectId: string, page: { skip: number; take: number }) {
  await findProjectInScopeOrThrow(db, principal, projectId);
  return findProgressNotesOfProject(db, projectId, page);
}

/**
 * Publishes a note on a project in the principal's scope; the next monthly buyer email quotes it.
 * With `requestKey` the note's id is the request's: run again after the process that ran it first
 * died, it answers the note that run stored instead of publishing it twice.
 */
export async function publishProgressNote(db: Db, principal: Principal, projectId: string, text: string, o: { requestKey?: string | null } = {}) {
  const project = await findProjectInScopeOrThrow(db, principal, projectId);
  const id = o.requestKey ? recordIdForRequest('progress-note', o.requestKey) : undefined;
  const earlier = id !== undefined ? await findProgressNoteById(db, id) : null;
  if (earlier) return earlier;
  return createProgressNote(db, { ...(id !== undefined ? { id } : {}), projectId: project.id, text, createdById: principal.id });
}
