import { z } from '../http/zod.js';
import { coded } from '../http/schema-kit.js';
import { Id, PageQuery } from '../http/schema-kit.js';


export const CompanyView = z
  .object({ id: z.string(), code: z.string(), name: z.string(), projectCount: z.number().int() })
  .openapi('Company');

export const ProjectView = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    city: z.string().nullable(),
    companyId: z.string(),
    companyName: z.string(),
    timeZone: z.string(),
    warrantyAuthorisationAmount: z.number(),
    deliveryDate: z.string().nullable(),
    unitCount: z.number().int(),
  })
  .openapi('Project');

export const UNIT_STATUSES = ['AVAILABLE', 'RESERVED', 'SOLD', 'DELIVERED'] as const;
export const UnitView = z
  .object({
    id: z.string(),
    number: z.string(),
    floor: z.number().int(),
    area: z.number(),
    status: z.enum(UNIT_STATUSES),
    buildingId: z.string(),
    buildingName: z.string(),
  })
  .openapi('Unit');

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const CreateProjectBody = z
  .object({
    companyId: Id,
    code: z.string().trim().regex(/^[A-Za-z0-9_-]{2,32}$/, coded('PROJECT_CODE_FORMAT')),
    name: z.string().trim().min(1).max(100),
    city: z.string().trim().max(50).optional(),
    timeZone: z.string().refine(isTimeZone, 'unknown IANA time zone').default('Asia/Shanghai'),
    warrantyAuthorisationAmount: z.number().nonnegative().max(1e10).default(5000),
    deliveryDate: z.iso.date().optional(),
    buildings: z
      .array(
        z.object({
          name: z.string().trim().min(1).max(50),
          units: z
            .array(
              z.object({
                number: z.string().trim().min(1).max(20),
                floor: z.number().int().min(-5).max(200),
                area: z.number().min(0.01, 'at least 0.01 m²').max(100_000),
              }),
            )
            .max(2000)
            .default([]),
        }),
      )
      .max(100)
      .default([]),
  })
  .openapi('CreateProjectRequest');

export const ListProjectsQuery = PageQuery.extend({ companyId: Id.optional(), q: z.string().trim().max(50).optional() });
export const ListUnitsQuery = PageQuery.extend({ status: z.enum(UNIT_STATUSES).optional(), buildingId: Id.optional() });

export type Company = z.output<typeof CompanyView>;
export type Project = z.output<typeof ProjectView>;
export type UnitStatus = (typeof UNIT_STATUSES)[number];
export type Unit = z.output<typeof UnitView>;
export type CreateProjectRequest = z.input<typeof CreateProjectBody>;
export type ListProjectsQuery = z.input<typeof ListProjectsQuery>;
export type ListUnitsQuery = z.input<typeof ListUnitsQuery>;
