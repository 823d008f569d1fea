import type { Catalogue } from '../catalogue/catalogue';
import { RpcError, type ComplianceReport, type DeliveryAddress } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import type { AuditCheckpoints } from '../custody/checkpoints';
import type { Delivery, Holder } from '../custody/delivery';
import { sweepsBetween } from '../custody/sweep-record';
import { complianceCsv } from './compliance-csv';
import { compliancePdf } from './compliance-pdf';
import { ReportFontUnavailable } from './pdf/report-font';
import type { ReportLocale } from './report-strings';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A report period in the station's own time zone: whole days, from the first day's midnight to
 * the midnight after the last day.
 */
function periodInstants(from: string, to: string): { fromIso: string; toIso: string } {
  const start = new Date(`${from}T00:00:00`);
  const last = new Date(`${to}T00:00:00`);
  if (Number.isNaN(start.getTime()) || Number.isNaN(last.getTime())) {
    throw new RpcError('BAD_REQUEST', `Not a period: ${from} to ${to} (dates are YYYY-MM-DD).`);
  }
  if (last < start) throw new RpcError('BAD_REQUEST', 'The period ends before it starts.');
  if (last.getTime() - start.getTime() > 3 * 366 * DAY_MS) {
    throw new RpcError('BAD_REQUEST', 'A report covers at most three years.');
  }
  const end = new Date(last);
  end.setDate(end.getDate() + 1);
  return { fromIso: start.toISOString(), toIso: end.toISOString() };
}

/** D-SUPERVISION: the compliance report for a period, as of now (or the period's end). */
function buildComplianceReport(
  catalogue: Catalogue,
  period: { from: string; to: string },
  options: {
    now: Date;
    by: string;
    archiveDays: number;
    auditSeal: ComplianceReport['auditSeal'];
  },
): ComplianceReport {
  const { fromIso, toIso } = periodInstants(period.from, period.to);
  const asOf = new Date(Math.min(options.now.getTime(), Date.parse(toIso))).toISOString();
  const figures = catalogue.compliance({
    from: fromIso,
    to: toIso,
    asOf,
    now: options.now.toISOString(),
    archiveDays: options.archiveDays,
  });
  return {
    from: period.from,
    to: period.to,
    generatedAt: options.now.toISOString(),
    generatedBy: options.by,
    ...figures,
    auditSeal: options.auditSeal,
    integrity: sweepsBetween(catalogue, fromIso, toIso),
    discs: longTermDiscs(catalogue, options.now),
  };
}

/** D-LONGTERM: footage not yet on a verified disc, and discs due for their re-check, now. */
function longTermDiscs(catalogue: Catalogue, now: Date): ComplianceReport['discs'] {
  const pending = catalogue.discs.pendingLongTerm();
  return {
    longTermNotOnDisc: pending.length,
    longTermNotOnDiscBytes: pending.reduce((sum, clip) => sum + clip.size, 0),
    dueForCheck: catalogue.discs.dueCount(now.toISOString()),
  };
}

/** D-SUPERVISION: compliance reports, made and exported on request; each audited. */
export class ComplianceReports {
  constructor(
    private readonly deps: {
      catalogue: Catalogue;
      audit: AuditLog;
      /** What every report prints of the audit chain's seal (D-NO-TAMPER). */
      checkpoints: Pick<AuditCheckpoints, 'seal'>;
      delivery: Delivery;
      now: () => Date;
    },
  ) {}

  /** The report of a period, as of now. */
  generate(period: { from: string; to: string }, by: string): ComplianceReport {
    const report = this.build(period, by);
    this.deps.audit.record({
      actor: by,
      action: 'report.generated',
      subject: `report:compliance:${period.from}..${period.to}`,
      details: { from: period.from, to: period.to },
    });
    return report;
  }

  /**
   * The report as a file, CSV for a spreadsheet or a PDF with its summary chart, downloaded once
   * from the address this answers.
   */
  async export(
    request: { from: string; to: string; format: 'csv' | 'pdf'; locale: ReportLocale },
    holder: Holder,
    signal?: AbortSignal,
  ): Promise<DeliveryAddress & { fileName: string }> {
    const by = holder.user.badge;
    const report = this.build(request, by);
    const bytes =
      request.format === 'csv'
        ? complianceCsv(report, request.locale)
        : await compliancePdf(report, request.locale).catch((error: unknown) => {
            // No CJK font on this machine: the message names the package and the variable. Any
            // other failure is the station's own, and stays INTERNAL (logged, never shown).
            if (error instanceof ReportFontUnavailable) {
              throw new RpcError('CONFLICT', error.message);
            }
            throw error;
          });
    // Taken back while it was rendered: nothing leaves, nothing is recorded as exported.
    signal?.throwIfAborted();
    this.deps.audit.record({
      actor: by,
      action: 'report.exported',
      subject: `report:compliance:${request.from}..${request.to}`,
      details: {
        from: request.from,
        to: request.to,
        format: request.format,
        bytes: bytes.length,
      },
    });
    const fileName = `compliance-${request.from}_${request.to}.${request.format}`;
    const delivered = this.deps.delivery.issue(holder, {
      kind: 'export',
      source: { bytes },
      mime: request.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf',
      fileName,
      allowed: () => true,
    });
    return { ...delivered, fileName };
  }

  private build(period: { from: string; to: string }, by: string): ComplianceReport {
    return buildComplianceReport(this.deps.catalogue, period, {
      now: this.deps.now(),
      by,
      archiveDays: this.deps.catalogue.settings.get('archiveDays'),
      auditSeal: this.deps.checkpoints.seal(),
    });
  }
}
