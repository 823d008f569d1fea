import { z } from 'zod';
import { caseNumberFormatSchema, clipSchema, findingSchema } from './docking';
import {
  caseActChangeSchema,
  caseActSchema,
  caseNumberSchema,
  caseSchema,
  CASE_STATUSES,
  clipSearchSchema,
  complianceReportSchema,
  custodyExceptionSchema,
  dateOnlySchema,
  filingSchema,
  LABEL_FIELDS,
  labelPatchSchema,
  labelTargetSchema,
  newCaseSchema,
  OPTIONAL_LABEL_FIELDS,
  reportPeriodSchema,
} from './filing';
import { empty, method } from './method-spec';
import { auditEntrySchema } from './types';

export const filedClipSchema = clipSchema.extend({ filing: filingSchema });
export type FiledClip = z.infer<typeof filedClipSchema>;

const clipId = z.number().int().positive();

/** Labels, cases and compliance (issue 4's methods). */
export const FILING_METHODS = {
  /** The clips browser (officers: their own clips only, D-NO-LEAK; D-CONFIDENTIAL applies). */
  'clips.search': method(
    'clips.read',
    clipSearchSchema,
    z.object({ total: z.number().int(), clips: z.array(filedClipSchema) }),
    false,
  ),
  'clips.get': method(
    'clips.read',
    z.object({ id: clipId }).strict(),
    z.object({ clip: filedClipSchema, findings: z.array(findingSchema) }),
    false,
  ),
  /** Labels clips in bulk; every change is audited with its before and after (D-LABEL). */
  'clips.label': method(
    'clips.label',
    z.object({ target: labelTargetSchema, set: labelPatchSchema }).strict(),
    z.object({
      updated: z.number().int(),
      labelled: z.number().int(),
      clips: z.array(
        z.object({
          id: z.number().int(),
          labelled: z.boolean(),
          missing: z.array(z.enum(LABEL_FIELDS)),
        }),
      ),
    }),
    true,
  ),
  /** D-24H: why custody came late, and when the officer was back at the unit. */
  'clips.custodyException': method(
    'clips.label',
    z
      .object({
        clipIds: z.array(clipId).min(1).max(5000),
        exception: custodyExceptionSchema,
      })
      .strict(),
    z.object({ clips: z.array(z.object({ id: z.number().int(), lateCustody: z.boolean() })) }),
    true,
  ),
  /** A short-lived address the UI plays the clip from, through the station (D-NO-LEAK). */
  'clips.play': method(
    'clips.play',
    z.object({ id: clipId }).strict(),
    z.object({ url: z.string(), mime: z.string(), expiresAt: z.string() }),
    true,
  ),
  /**
   * The officer is done at the dock. Refused while clips of theirs are unlabelled, unless they
   * defer with a reason (counted in reports).
   */
  'dock.finish': method(
    'clips.label',
    z
      .object({
        dockingId: z.number().int().positive(),
        deferReason: z.string().trim().min(2, 'say why').max(500).optional(),
      })
      .strict(),
    z.object({ unlabelled: z.number().int(), deferred: z.boolean() }),
    true,
  ),
  'cases.list': method(
    'cases.read',
    z
      .object({
        status: z.enum(CASE_STATUSES).optional(),
        /** A part of the number or the title. */
        text: z.string().trim().min(1).max(100).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    z.object({ cases: z.array(caseSchema), total: z.number().int() }),
    false,
  ),
  'cases.get': method(
    'cases.read',
    z.object({ number: caseNumberSchema }).strict(),
    z.object({
      case: caseSchema,
      acts: z.array(caseActSchema),
      history: z.array(auditEntrySchema),
    }),
    false,
  ),
  'cases.create': method('cases.create', newCaseSchema, z.object({ case: caseSchema }), true),
  /** D-ARCHIVE: closing sets the archive-by date. */
  'cases.close': method(
    'cases.manage',
    z
      .object({
        number: caseNumberSchema,
        closedAt: z.string().datetime({ offset: true }).optional(),
      })
      .strict(),
    z.object({ case: caseSchema }),
    true,
  ),
  /** D-LATE-START: the emergency case's approval came (recorded by a custodian). */
  'cases.approve': method(
    'cases.archive',
    z
      .object({
        number: caseNumberSchema,
        approvedAt: z.string().datetime({ offset: true }).optional(),
      })
      .strict(),
    z.object({ case: caseSchema }),
    true,
  ),
  'cases.archive': method(
    'cases.archive',
    z.object({ number: caseNumberSchema }).strict(),
    z.object({ case: caseSchema }),
    true,
  ),
  'cases.setAct': method(
    'cases.manage',
    caseActChangeSchema,
    z.object({ acts: z.array(caseActSchema) }),
    true,
  ),
  /** D-SUPERVISION: who fell short, per officer and for the unit. */
  'report.compliance': method('reports.read', reportPeriodSchema, complianceReportSchema, false),
  'report.export': method(
    'reports.read',
    z
      .object({
        from: dateOnlySchema,
        to: dateOnlySchema,
        format: z.enum(['csv', 'pdf']),
        locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
      })
      .strict(),
    z.object({ fileName: z.string(), mime: z.string(), base64: z.string() }),
    false,
  ),
  /** What the label and case forms need of the unit policy, for everyone who files. */
  'filing.policy': method(
    'cases.read',
    empty,
    z.object({
      labelRequiredFields: z.array(z.enum(OPTIONAL_LABEL_FIELDS)),
      caseNumberFormat: caseNumberFormatSchema,
      lateApprovalHours: z.number().int(),
      archiveDays: z.number().int(),
    }),
    false,
  ),
  'filing.recentCases': method(
    'cases.read',
    empty,
    z.object({ cases: z.array(caseSchema), lastCaseNumber: z.string().nullable() }),
    false,
  ),
} as const;
