import { orNull, z } from '../http/zod.js';
import { Id } from '../http/schema-kit.js';
import { WARRANTY_COMPONENTS } from '../../domain/warranty/statutory-periods.js';

/** The wire contract of warranty: a case's coverage, the organisation's warranty settings, a building's completion. */

const Component = z.enum(WARRANTY_COMPONENTS);
const Clause = z.object({ code: z.string(), zh: z.string(), en: z.string() });

export const CaseWarrantyView = z
  .object({
    component: Component.describe('The part of the building the case is about (from its category; settings `categoryComponents`)'),
    status: z.enum(['in', 'out', 'unknown']).describe('in: 保内; out: 保外 (the owner accepts a quote before a repair is dispatched); unknown: see reason'),
    endsAt: orNull(z.iso.datetime({ offset: true })).describe('The first instant no longer covered (00:00 China time after the last day)'),
    lastDay: orNull(z.string()).describe('The last covered day, China time (YYYY-MM-DD)'),
    clause: orNull(Clause).describe('The clause the period follows, in both languages'),
    basis: orNull(z.enum(['construction', 'buyer', 'override', 'none'])),
    reason: orNull(z.enum(['NO_UNIT', 'COMPLETION_NOT_RECORDED', 'NO_SEASON', 'INVALID_FACTS'])).describe(
      "Why the status is unknown: no unit on the case, the building's completion acceptance not recorded, no season configured for a season-counted part, or facts the table refuses",
    ),
  })
  .openapi('CaseWarranty');
export type CaseWarrantyAnswer = z.output<typeof CaseWarrantyView>;

const MonthDay = z.string().regex(/^\d{2}-\d{2}$/);
const Season = orNull(z.object({ start: MonthDay, end: MonthDay }));

export const WarrantySettingsDoc = z
  .object({
    categoryComponents: z
      .array(z.object({ prefix: z.string().trim().min(1).max(200), component: Component }))
      .max(500)
      .optional()
      .describe('Which part of the building a category is about; the longest covering prefix wins'),
    overrides: z
      .array(
        z.object({
          scope: z.union([z.object({ projectId: Id }).strict(), z.object({ city: z.string().trim().min(1).max(60) }).strict()]),
          component: Component,
          years: z.number().int().min(1).max(100).optional(),
          months: z.number().int().min(1).max(1200).optional(),
          from: z.enum(['handover', 'completion']),
        }),
      )
      .max(1000)
      .optional()
      .describe("Longer periods a project or a city sets (the later end wins; a shorter one never shortens the law's)"),
    seasons: z.object({ heating: Season, cooling: Season }).optional().describe('Heating and cooling seasons where a city has none of its own (MM-DD)'),
    citySeasons: z
      .array(z.object({ city: z.string().trim().min(1).max(60), heating: Season, cooling: Season }))
      .max(500)
      .optional(),
    retention: z
      .object({
        minDoneOrders: z.number().int().min(1).max(10_000).optional().describe('Work orders a contractor must have done in the period before it is judged (default 5)'),
        minFirstTimeFixPct: z.number().int().min(0).max(100).optional().describe('First-time fix rate it must reach, whole percent (default 80; exactly at it passes)'),
        maxLatePct: z.number().int().min(0).max(100).optional().describe('Share of arrival targets it may miss, whole percent (default 10)'),
        maxRejectedPct: z.number().int().min(0).max(100).optional().describe('Share of sign-offs the owner may reject, whole percent (default 10)'),
      })
      .strict()
      .optional()
      .describe('When a contractor’s warranty retention (保修尾款) is released in full, less its charge-backs, or held (the repair report’s contractor ratings); missing fields take the defaults'),
  })
  .openapi('WarrantySettings');

export const WarrantySettingsView = z
  .object({ settings: WarrantySettingsDoc.required(), defaults: WarrantySettingsDoc.required() })
  .openapi('WarrantySettingsAnswer');

export const BuildingParams = z.object({ id: Id });
export const UpdateBuildingBody = z
  .object({
    completionAcceptedOn: orNull(z.iso.date()).optional().describe('竣工验收合格之日 (YYYY-MM-DD): the construction warranty counts from it; null clears it'),
    designLifeYears: z.number().int().min(1).max(200).optional().describe('设计文件规定的合理使用年限 (years)'),
  })
  .refine((b) => b.completionAcceptedOn !== undefined || b.designLifeYears !== undefined, 'nothing to change')
  .openapi('UpdateBuildingRequest');

export const BuildingView = z
  .object({
    id: Id,
    projectId: Id,
    name: z.string(),
    completionAcceptedOn: orNull(z.string()),
    designLifeYears: z.number().int(),
  })
  .openapi('Building');
