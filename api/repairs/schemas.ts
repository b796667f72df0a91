/**
 * The wire shapes of work orders (issue 15): the only place they are written. The console imports
 * these types.
 */
import { orNull, z } from '../http/zod.js';
import { Id, PageQuery } from '../http/schema-kit.js';
import { auditEventPageOf, auditEventViewOf } from '../http/event-schemas.js';
import { isCategoryCode } from '../../domain/cases/categories.js';
import { WORK_ORDER_STATUSES } from '../../domain/repairs/work-order-state.js';

const Text = (max: number) => z.string().trim().min(1).max(max);
const CategoryCode = z.string().trim().max(200).refine(isCategoryCode, 'a category code such as repair.plumbing.leak');
const IsoInstant = z.iso.datetime({ offset: true });
const Fen = z.number().int().min(0).max(1_000_000_000);
const CsvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

export const AssigneeBody = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('technician'), userId: Id }),
    z.object({ kind: z.literal('contractor'), companyId: Id }),
  ])
  .openapi('WorkOrderAssignee');

export const CreateWorkOrdersBody = z
  .object({
    orders: z
      .array(
        z.object({
          category: CategoryCode.optional().describe("The defect's category (default: the case's)"),
          assignee: AssigneeBody.optional().describe('Who does it (default: the category × project default assignee, else the dispatchers assign)'),
        }),
      )
      .min(1)
      .max(10)
      .default([{}])
      .describe('One order per defect / trade (default: one order of the case\'s category)'),
  })
  .openapi('CreateWorkOrdersRequest');

export const ListWorkOrdersQuery = PageQuery.extend({
  status: CsvOf(WORK_ORDER_STATUSES).optional().describe('One status or several, comma-separated'),
  assignee: z.enum(['me']).optional().describe("`me`: a technician's own orders, a contractor's company's"),
  technicianId: Id.optional(),
  contractorCompanyId: Id.optional(),
  projectId: Id.optional(),
  caseId: Id.optional(),
  date: z.iso.date().optional().describe('The current visit\'s appointment falls on this day (YYYY-MM-DD, China time)'),
  unassigned: z.enum(['true']).optional().describe('Dispatchable and nobody assigned'),
  late: z.enum(['true']).optional().describe("The current visit's arrival target has passed without a check-in"),
});

export const IssueQuoteBody = z
  .object({
    items: z.array(z.object({ description: Text(200), amountFen: Fen.min(1) })).min(1).max(50),
    totalFen: Fen.min(1).describe('The sum of the items, whole fen'),
  })
  .openapi('IssueWorkOrderQuoteRequest');
export const AnswerQuoteBody = z.object({ accepted: z.boolean() }).openapi('AnswerWorkOrderQuoteRequest');
export const AssignBody = z.object({ assignee: AssigneeBody }).openapi('AssignWorkOrderRequest');
export const ReassignBody = z.object({ assignee: AssigneeBody, reason: Text(500) }).openapi('ReassignWorkOrderRequest');
export const BookAppointmentBody = z
  .object({ start: IsoInstant, end: IsoInstant })
  .refine((b) => Date.parse(b.start) < Date.parse(b.end), { path: ['end'], message: 'the slot ends after it starts' })
  .openapi('BookWorkOrderAppointmentRequest');
export const CheckInBody = z
  .object({
    location: z
      .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), accuracy: z.number().min(0).max(100_000).optional().describe('metres') })
      .optional()
      .describe("The phone's position, when it gave one: stored apart, never in the workflow's history"),
  })
  .openapi('CheckInWorkOrderRequest');
export const RecordResultBody = z
  .object({
    text: Text(4000).describe('What was found and done'),
    materials: z.array(z.object({ name: Text(100), quantity: z.number().positive().max(1_000_000), unit: Text(20) })).max(50).default([]),
    photoKeys: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'a photo key from POST /api/work-orders/{id}/photos')).max(30).default([]),
    costFen: Fen.default(0).describe('Materials and labour of this visit, whole fen'),
  })
  .openapi('RecordWorkOrderResultRequest');

/** A PNG data URL of at most ~150 kB (the JSON body limit is 256 kB), or an SVG path's `d`. */
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;
const SVG_PATH = /^[MmLlHhVvCcSsQqTtAaZz0-9eE.,\s+-]+$/;
export const SignOffBody = z
  .discriminatedUnion('accepted', [
    z.object({
      accepted: z.literal(true),
      signature: z.union([
        z.object({ png: z.string().max(200_000).regex(PNG_DATA_URL, 'data:image/png;base64,…') }),
        z.object({ svgPath: z.string().min(1).max(50_000).regex(SVG_PATH, "an SVG path's d attribute") }),
      ]),
      channel: z.enum(['on_site', 'link']).default('on_site'),
    }),
    z.object({ accepted: z.literal(false), reason: Text(1000), channel: z.enum(['on_site', 'link']).default('on_site') }),
  ])
  .openapi('SignOffWorkOrderRequest');
export const NoShowBody = z.object({ party: z.enum(['technician', 'owner']) }).openapi('RecordWorkOrderNoShowRequest');
export const CancelBody = z.object({ reason: Text(500) }).openapi('CancelWorkOrderRequest');

export const PhotoQuery = z.object({ thumb: z.enum(['1', 'true']).optional().describe('The 320 px WebP thumbnail') });
export const PhotoParams = z.object({ id: Id, key: z.string().regex(/^[0-9a-f]{64}$/) });

const Named = z.object({ id: z.string(), name: orNull(z.string()) });

export const WorkOrderVisitView = z
  .object({
    number: z.number().int(),
    reason: z.enum(['first', 'rework', 'no_show']),
    openedAt: z.string(),
    appointment: orNull(z.object({ start: z.string(), end: z.string() })),
    arrivalDueAt: z.string(),
    warnedAt: orNull(z.string()),
    breachedAt: orNull(z.string()),
    checkedInAt: orNull(z.string()),
    geolocated: z.boolean(),
    onTime: orNull(z.boolean()),
    resultId: orNull(z.string()),
    photoKeys: z.array(z.string()),
    costFen: z.number().int(),
    resultAt: orNull(z.string()),
    signOffId: orNull(z.string()),
    outcome: orNull(z.enum(['signed_off', 'rejected', 'no_show_technician', 'no_show_owner', 'cancelled'])),
    closedAt: orNull(z.string()),
  })
  .openapi('WorkOrderVisit');

export const WorkOrderView = z
  .object({
    id: z.string(),
    number: z.string(),
    caseId: z.string(),
    caseNumber: orNull(z.string()),
    project: Named,
    unit: orNull(z.object({ id: z.string(), label: z.string() })),
    buildingId: orNull(z.string()),
    category: z.string(),
    trade: z.string(),
    status: z.enum(WORK_ORDER_STATUSES),
    urgent: z.boolean(),
    warranty: z.object({
      covered: z.boolean(),
      label: z.enum(['保内', '保外']),
      endsAt: orNull(z.string()),
      lastDay: orNull(z.string()),
      clause: z.object({ code: z.string(), zh: orNull(z.string()), en: orNull(z.string()) }),
      contractorCovered: z.boolean(),
    }),
    quote: orNull(
      z.object({
        items: z.array(z.object({ description: z.string(), amountFen: z.number().int() })),
        totalFen: z.number().int(),
        status: z.enum(['pending', 'accepted', 'refused']),
        issuedAt: orNull(z.string()),
        answeredAt: orNull(z.string()),
      }),
    ),
    assignee: orNull(z.object({ kind: z.enum(['technician', 'contractor']), id: z.string(), name: orNull(z.string()) })),
    assignedAt: orNull(z.string()),
    reassignments: z.number().int(),
    responsibleContractor: orNull(Named),
    resolutionDueAt: orNull(z.string()),
    /** The current visit's arrival target and appointment, for lists and boards. */
    appointment: orNull(z.object({ start: z.string(), end: z.string() })),
    arrivalDueAt: orNull(z.string()),
    late: z.boolean(),
    visits: z.array(WorkOrderVisitView),
    reworks: z.number().int(),
    noShows: z.number().int(),
    arrivalBreaches: z.number().int(),
    chargeBack: orNull(z.object({ contractor: Named, amountFen: z.number().int() })),
    outcome: orNull(z.enum(['done', 'quote_refused', 'cancelled'])),
    cancelReason: orNull(z.string()),
    createdBy: Named,
    createdAt: z.string(),
    closedAt: orNull(z.string()),
    /** True when the answer comes from the running workflow; false: from the read model. */
    live: z.boolean(),
  })
  .openapi('WorkOrder');

export const WorkOrderPhotoView = z
  .object({
    key: z.string(),
    thumbKey: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    bytes: z.number().int(),
    contentType: z.string(),
    kind: z.enum(['photo', 'signature']),
    visit: orNull(z.number().int()).describe('The visit it was taken on (a rework is a new visit); null for a signature or a photo kept before visits were recorded'),
    uploadedAt: z.string(),
  })
  .openapi('WorkOrderPhoto');

export const WorkOrderDetailView = WorkOrderView.extend({
  caseDescription: z.string(),
  address: z.object({ city: orNull(z.string()), project: orNull(z.string()), building: orNull(z.string()), room: orNull(z.string()), label: orNull(z.string()) }),
  contact: orNull(
    z.object({
      name: z.string(),
      phone: z.string().describe('Masked (138****8001) for roles that do not call owners: technicians and contractors included'),
      callNumber: orNull(z.string()).describe(
        'The number the call button dials: whole for roles that call owners, and for the order’s holder (its technician or contractor staff) while the order is open; null otherwise (an ended order, a field role that does not hold it)',
      ),
    }),
  ),
  photos: z.array(WorkOrderPhotoView),
  results: z.array(
    z.object({
      id: z.string(),
      visit: z.number().int(),
      text: z.string(),
      materials: z.array(z.object({ name: z.string(), quantity: z.number(), unit: z.string() })),
      photoKeys: z.array(z.string()),
      costFen: z.number().int(),
      recordedAt: z.string(),
    }),
  ),
  signOffs: z.array(
    z.object({
      id: z.string(),
      visit: z.number().int(),
      accepted: z.boolean(),
      signatureKey: orNull(z.string()).describe('GET /api/work-orders/{id}/photos/{key}'),
      signaturePath: orNull(z.string()),
      reason: orNull(z.string()),
      channel: z.string(),
      at: z.string(),
    }),
  ),
}).openapi('WorkOrderDetail');

export const CreatedWorkOrdersView = z.object({ items: z.array(WorkOrderView) }).openapi('CreatedWorkOrders');

export const WorkOrderEventView = auditEventViewOf('WorkOrderEvent');
export const WorkOrderEventPage = auditEventPageOf(WorkOrderEventView);

export type WorkOrderJson = z.output<typeof WorkOrderView>;
export type WorkOrderDetailJson = z.output<typeof WorkOrderDetailView>;
export type CreateWorkOrdersRequest = z.input<typeof CreateWorkOrdersBody>;
export type ListWorkOrdersQuery = z.input<typeof ListWorkOrdersQuery>;

export const AssigneesQuery = z.object({ projectId: Id.describe("The project whose orders are being given out") });
const NamedId = z.object({ id: Id, name: z.string() });
export const AssigneesView = z
  .object({
    technicians: z.array(NamedId).describe("Active technicians whose scope holds the project"),
    contractors: z.array(NamedId).describe("The group's active contractor companies"),
  })
  .openapi('WorkOrderAssignees');
export type WorkOrderAssignees = z.output<typeof AssigneesView>;

// ---------------------------------------------------------------------------------------------
// The owner's one-time sign-off link (app/repairs/sign-off-links.ts).

export const IssueSignOffLinkBody = z
  .object({ email: z.boolean().default(true).describe("Also email the link to the owner, when the owner's customer record has an email (default); false: only the QR code") })
  .openapi('IssueWorkOrderSignOffLinkRequest');

export const SignOffLinkView = z
  .object({
    url: z.string().describe("The owner's page: show it as a QR code, or send it; it works once"),
    expiresAt: z.string(),
    emailed: z.boolean().describe("Sent to the email on the owner's customer record"),
  })
  .openapi('WorkOrderSignOffLink');

/** A link's token: 32 random bytes, base64url (43 characters). */
export const SignOffTokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'the token of a sign-off link') });

export const SignOffLinkSummaryView = z
  .object({
    workOrderNumber: z.string(),
    category: z.object({ code: z.string(), zh: z.string(), en: z.string() }),
    warranty: z.enum(['covered', 'not_covered']).describe('保内 / 保外'),
    visit: z.number().int(),
    result: orNull(
      z.object({
        text: z.string(),
        materials: z.array(z.object({ name: z.string(), quantity: z.number(), unit: z.string() })),
        recordedAt: z.string(),
      }),
    ),
    holder: orNull(z.string()).describe("The technician's display name, or the contractor company's name"),
    project: orNull(z.string()),
    unit: orNull(z.string()),
    expiresAt: z.string(),
  })
  .openapi('SignOffLinkSummary');

export const LinkSignOffBody = z
  .discriminatedUnion('accepted', [
    z.object({
      accepted: z.literal(true),
      signature: z.union([
        z.object({ png: z.string().max(200_000).regex(PNG_DATA_URL, 'data:image/png;base64,…') }),
        z.object({ svgPath: z.string().min(1).max(50_000).regex(SVG_PATH, "an SVG path's d attribute") }),
      ]),
    }),
    z.object({ accepted: z.literal(false), reason: Text(1000) }),
  ])
  .openapi('SignOffThroughLinkRequest');

export const LinkSignOffView = z
  .object({
    workOrderNumber: z.string(),
    accepted: z.boolean(),
    status: z.enum(WORK_ORDER_STATUSES).describe('done once signed off; a rejection reopens the order for rework'),
  })
  .openapi('SignOffThroughLinkAnswer');
