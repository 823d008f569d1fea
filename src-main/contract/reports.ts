import { z } from 'zod';
import { auditSealSchema } from './audit';
import { integrityInPeriodSchema } from './integrity';
import { deliverySchema, method } from './method-spec';
import { proceduralActSchema } from './vocabulary';

/** The compliance report of D-SUPERVISION. */

/** A calendar date that exists (2026-02-30 does not). */
export const dateOnlySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date: YYYY-MM-DD')
  .refine((d) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, day));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === day;
  }, 'no such date');
const dateOnly = dateOnlySchema;

export const reportPeriodSchema = z
  .object({ from: dateOnly, to: dateOnly })
  .strict()
  .refine((p) => p.from <= p.to, 'the period ends before it starts');

/** The figures of D-SUPERVISION for one officer, or the unit's totals. */
export const complianceFiguresSchema = z.object({
  dockings: z.number().int(),
  clips: z.number().int(),
  hoursRecorded: z.number(),
  /** D-24H: late custody, and how many of those have an accepted exception. */
  lateCustody: z.number().int(),
  lateCustodyExcepted: z.number().int(),
  lateCustodyUnexcepted: z.number().int(),
  unlabelled: z.number().int(),
  /** Days since the oldest unlabelled clip was recorded (as of the report's end). */
  unlabelledOldestDays: z.number().nullable(),
  unlabelledByAge: z.object({
    upTo1Day: z.number().int(),
    upTo7Days: z.number().int(),
    upTo30Days: z.number().int(),
    over30Days: z.number().int(),
  }),
  deferrals: z.number().int(),
  /** D-CONTINUOUS: gaps, overlaps and breaks in numbering found at docking. */
  continuityFindings: z.number().int(),
  /**
   * D-24H: clips the station took custody of in the period that were not proven on the unit's
   * central storage within 24 h of custody (see complianceFigures for the exact rule); null when
   * the station had no central storage in the period (the unit's `centralTargets` is 0).
   */
  lateCentralStorage: z.number().int().nullable(),
});
export type ComplianceFigures = z.infer<typeof complianceFiguresSchema>;

export const complianceReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  generatedBy: z.string(),
  unit: complianceFiguresSchema.extend({
    officers: z.number().int(),
    /**
     * D-24H: the forwarding targets (the unit's central storage) the station had at some moment
     * of the period or of the 24 h after it. 0: no central storage configured, itself a finding.
     */
    centralTargets: z.number().int(),
    casesMissingFootage: z.array(
      z.object({
        number: z.string(),
        title: z.string(),
        missing: z.array(proceduralActSchema),
      }),
    ),
    casesPastArchiveBy: z.array(
      z.object({ number: z.string(), title: z.string(), archiveBy: z.string() }),
    ),
  }),
  officers: z.array(
    complianceFiguresSchema.extend({ badge: z.string(), name: z.string().nullable() }),
  ),
  /**
   * D-NO-TAMPER: the fingerprints of the keys the station signs its audit checkpoints with, and
   * its last checkpoint, as of the report: a printed report is a copy of them off the station.
   */
  auditSeal: auditSealSchema,
  /** D-NO-TAMPER: the archive integrity sweeps of the period, from the audit chain. */
  integrity: integrityInPeriodSchema,
  /**
   * D-LONGTERM, as of the report: long-term footage no verified disc holds yet, and verified
   * discs whose re-check is due (discs age; unit policy says how often they are read back).
   */
  discs: z.object({
    longTermNotOnDisc: z.number().int(),
    longTermNotOnDiscBytes: z.number().int(),
    dueForCheck: z.number().int(),
  }),
});
export type ComplianceReport = z.infer<typeof complianceReportSchema>;

export const REPORT_METHODS = {
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
    /** Downloaded once from `url`. */
    deliverySchema.extend({ fileName: z.string() }),
    false,
  ),
} as const;
