import type { Principal } from '../../domain/access.js';
import type { Prisma } from '../../prisma/generated/client.js';
import type { Db } from '../../platform/db.js';
import { addCaseNote as addCaseNoteUpdate, editCaseRecord, type CaseOutcome, type CaseRecordField, type CaseState } from '../../workflows/cases/complaint-case.defs.js';
import { DomainError } from '../errors.js';
import type { AppDeps } from '../shared/deps.js';
import { findNames } from '../shared/names.js';
import { loadCaseForAction } from './case-action.js';
import { caseError } from './errors.js';
import {
  applyCaseRevisionOnce,
  createCaseNote,
  createCaseRevision,
  deleteCaseNote,
  deleteCaseRevision,
  findCaseById,
  findCaseNotesByIds,
} from './repository.js';
import { recordIdForRequest, updateIdForRequest } from '../shared/request-identity.js';
import { caseWorkflow } from './workflow.js';

/**
 * The case record's personal data that lives outside the workflow (domain/cases/case-process.ts):
 * notes, the description and the case's own contact. Each is stored in the read model first; the
 * workflow's Update then records it in the case's audit trail by id (its seq), so the history
 * holds no complaint, name or phone number. An Update the workflow refused (409: the case closed
 * meanwhile) leaves nothing behind; one whose outcome is unknown (not confirmed in time) keeps its
 * row, since the workflow may still record it.
 */

/** Whom to call back about a case when it is not the customer on record. */
export interface CaseContact {
  name: string;
  phone: string;
}

/** What an edit of the case record sets: a new description; the case's own contact, or null for the customer's again. */
export interface CaseRecordEdit {
  description?: string | undefined;
  contact?: CaseContact | null | undefined;
}

/** A revision's changes as stored: what each field became, and (once applied) what it was. */
export interface RevisionChanges {
  description?: { to: string; from?: string };
  contact?: { to: CaseContact | null; from?: CaseContact | null };
}

type RecordFields = { description: string; contactName: string | null; contactPhone: string | null };

const contactOf = (r: Pick<RecordFields, 'contactName' | 'contactPhone'>): CaseContact | null =>
  r.contactName !== null && r.contactPhone !== null ? { name: r.contactName, phone: r.contactPhone } : null;
const sameContact = (a: CaseContact | null, b: CaseContact | null) => (a === null || b === null ? a === b : a.name === b.name && a.phone === b.phone);

/** The fields an edit changes on a record as it stands (given and different). */
export function changedRecordFields(current: RecordFields, edit: CaseRecordEdit): CaseRecordField[] {
  const fields: CaseRecordField[] = [];
  if (edit.description !== undefined && edit.description !== current.description) fields.push('description');
  if (edit.contact !== undefined && !sameContact(edit.contact, contactOf(current))) fields.push('contact');
  return fields;
}

/** True when the workflow said no for sure (a refusal, or it no longer runs): what was stored for the Update can go. */
const refusedForSure = (err: unknown) => err instanceof DomainError && err.status === 409;

/**
 * Adds a note to a running case (canNoteCase: the front line whose scope holds its project, at any
 * tier). Its clocks, tier and status do not change. Answers the note and the seq of its audit event.
 *
 * With `requestKey` the note's id is the request's and its Update goes under the request's key: run
 * again after the process that ran it first died, it finds that note and gets the first Update's
 * outcome (one note, one `case.note_added`).
 */
export async function addNoteToCase(deps: AppDeps, principal: Principal, id: string, text: string, requestKey?: string | null) {
  const { row } = await loadCaseForAction(deps, principal, id, 'note');
  const noteId = requestKey ? recordIdForRequest('case-note', requestKey) : undefined;
  const [earlier] = noteId ? await findCaseNotesByIds(deps.db, row.id, [noteId]) : [];
  const note =
    earlier ??
    (await createCaseNote(deps.db, { ...(noteId ? { id: noteId } : {}), caseId: row.id, groupId: row.groupId, companyId: row.companyId, projectId: row.projectId, authorId: principal.id, text }));
  let answer: CaseOutcome;
  try {
    answer = await caseWorkflow.executeUpdate(deps.temporal, row.workflowId, addCaseNoteUpdate, { actor: principal.id, noteId: note.id }, updateIdForRequest(requestKey, addCaseNoteUpdate));
  } catch (err) {
    if (refusedForSure(err)) await deleteCaseNote(deps.db, note.id).catch(() => undefined);
    throw err;
  }
  // The outcome names the note's event; an older execution answers its whole state, in which the
  // note's event is the last (the Update answers as soon as its handler ran).
  const seq = answer.events?.find((e) => e.type === 'case.note_added')?.seq ?? answer.seq;
  const names = await findNames(deps.db, row.groupId, { userIds: [note.authorId] });
  return { row, note, seq, names };
}

/**
 * Edits the description and/or the contact of a case already loaded for work. Nothing that would
 * not change anything is stored or audited; null when nothing changes. The Update answers once its
 * revision is applied to the case row (the workflow's `applyRevision` task).
 */
export async function editCaseRecordOf(
  deps: AppDeps,
  principal: Principal,
  row: { id: string; workflowId: string; groupId: string; companyId: string; projectId: string } & RecordFields,
  edit: CaseRecordEdit,
): Promise<CaseState | null> {
  const fields = changedRecordFields(row, edit);
  if (fields.length === 0) return null;
  const changes: RevisionChanges = {
    ...(fields.includes('description') ? { description: { to: edit.description! } } : {}),
    ...(fields.includes('contact') ? { contact: { to: edit.contact ?? null } } : {}),
  };
  const revision = await createCaseRevision(deps.db, {
    caseId: row.id,
    groupId: row.groupId,
    companyId: row.companyId,
    projectId: row.projectId,
    authorId: principal.id,
    changes: changes as unknown as Prisma.InputJsonValue,
  });
  try {
    return await caseWorkflow.executeAction(deps.temporal, row.workflowId, editCaseRecord, { actor: principal.id, revisionId: revision.id, fields });
  } catch (err) {
    if (refusedForSure(err)) await deleteCaseRevision(deps.db, revision.id).catch(() => undefined);
    throw err;
  }
}

/** The stored changes of a revision, read back defensively (JSON written by this module). */
export function revisionChangesOf(raw: unknown): RevisionChanges {
  const r = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const out: RevisionChanges = {};
  const d = r.description as Record<string, unknown> | undefined;
  if (d && typeof d.to === 'string') out.description = { to: d.to, ...(typeof d.from === 'string' ? { from: d.from } : {}) };
  const contact = (v: unknown): CaseContact | null =>
    v && typeof v === 'object' && typeof (v as CaseContact).name === 'string' && typeof (v as CaseContact).phone === 'string'
      ? { name: (v as CaseContact).name, phone: (v as CaseContact).phone }
      : null;
  const c = r.contact as Record<string, unknown> | undefined;
  if (c && 'to' in c) out.contact = { to: contact(c.to), ...('from' in c ? { from: contact(c.from) } : {}) };
  return out;
}

/**
 * The workflow's `applyRevision` task (activity): the revision reaches the case row once, with
 * what each field was recorded beside what it became.
 */
export async function applyCaseRevision(db: Db, o: { caseId: string; revisionId: string; at?: Date }): Promise<{ applied: boolean }> {
  const applied = await applyCaseRevisionOnce(db, { caseId: o.caseId, revisionId: o.revisionId, at: o.at ?? new Date() }, (current, raw) => {
    const changes = revisionChangesOf(raw);
    const data: Prisma.CaseUpdateInput = {};
    const done: RevisionChanges = {};
    if (changes.description) {
      data.description = changes.description.to;
      done.description = { from: current.description, to: changes.description.to };
    }
    if (changes.contact) {
      data.contactName = changes.contact.to?.name ?? null;
      data.contactPhone = changes.contact.to?.phone ?? null;
      done.contact = { from: contactOf(current), to: changes.contact.to };
    }
    return { data, changes: done as unknown as Prisma.InputJsonValue };
  });
  return { applied };
}

/** The case row as it stands now (after an edit applied by the workflow). */
export async function reloadCase(db: Db, id: string) {
  const row = await findCaseById(db, id);
  if (!row) throw caseError('CASE_NOT_FOUND');
  return row;
}
