import { hasPermission, maskPhone, type Principal } from '../../domain/access.js';
import { auditEventPage } from '../audit/event-page.js';
import type { AppDeps } from '../shared/deps.js';
import { revisionChangesOf, type CaseContact } from './case-record.js';
import { findCaseInScopeOrThrow, findCaseNotesByIds, findCaseRevisionsByIds } from './repository.js';

/** The data fields of case events that name colleagues (shown by name with the page). */
const CASE_USER_FIELDS = ['assigneeId', 'previousAssigneeId'] as const;

const idsOf = (events: readonly { type: string; data: Record<string, unknown> }[], type: string, key: string) =>
  events.flatMap((e) => (e.type === type && typeof e.data[key] === 'string' ? [e.data[key] as string] : []));

/**
 * A page of the audit trail of a case the principal may see, oldest first, with actors by name.
 * What the workflow recorded only by id is shown from the read model: a note's `text`
 * (`case.note_added`), and an edit's `changes` (`case.record_edited`: each field's `from` and
 * `to`; a contact's phone masked for roles that do not call customers back). `contactShown` says
 * whether the page shows a case contact's personal data (the caller records the view).
 */
export async function getCaseEventPage(deps: Pick<AppDeps, 'db'>, principal: Principal, id: string, page: { page: number; pageSize: number }) {
  const { db } = deps;
  const row = await findCaseInScopeOrThrow(db, principal, id);
  const wholePhones = hasPermission(principal.role, 'customers:read-contact');
  const contact = (c: CaseContact | null | undefined) => (c ? { name: c.name, phone: wholePhones ? c.phone : maskPhone(c.phone) } : null);
  let contactShown = false;
  const answer = await auditEventPage(db, principal, {
    workflowId: row.workflowId,
    ...page,
    userFields: CASE_USER_FIELDS,
    async expand(events) {
      const [notes, revisions] = await Promise.all([
        findCaseNotesByIds(db, row.id, idsOf(events, 'case.note_added', 'noteId')),
        findCaseRevisionsByIds(db, row.id, idsOf(events, 'case.record_edited', 'revisionId')),
      ]);
      const noteText = new Map(notes.map((n) => [n.id, n.text] as const));
      const revisionOf = new Map(revisions.map((r) => [r.id, r] as const));
      return (e) => {
        if (e.type === 'case.note_added') return { ...e.data, text: noteText.get(e.data.noteId as string) ?? null };
        if (e.type !== 'case.record_edited') return e.data;
        const revision = revisionOf.get(e.data.revisionId as string);
        if (!revision) return { ...e.data, changes: null };
        const c = revisionChangesOf(revision.changes);
        if (c.contact) contactShown = true;
        return {
          ...e.data,
          applied: revision.appliedAt !== null,
          changes: {
            ...(c.description ? { description: { from: c.description.from ?? null, to: c.description.to } } : {}),
            ...(c.contact ? { contact: { from: contact(c.contact.from), to: contact(c.contact.to) } } : {}),
          },
        };
      };
    },
  });
  return { row, ...answer, contactShown };
}
