import type Database from 'better-sqlite3';
import { complianceFigures } from '../../catalogue/compliance';
import type { ComplianceReport } from '../../contract';
import { RpcError } from '../../contract';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A report period in the station's own time zone: whole days, from the first day's midnight to
 * the midnight after the last day.
 */
export function periodInstants(from: string, to: string): { fromIso: string; toIso: string } {
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
export function buildComplianceReport(
  db: Database.Database,
  period: { from: string; to: string },
  options: { now: Date; by: string; archiveDays: number },
): ComplianceReport {
  const { fromIso, toIso } = periodInstants(period.from, period.to);
  const asOf = new Date(Math.min(options.now.getTime(), Date.parse(toIso))).toISOString();
  const figures = complianceFigures(db, {
    from: fromIso,
    to: toIso,
    asOf,
    archiveDays: options.archiveDays,
  });
  return {
    from: period.from,
    to: period.to,
    generatedAt: options.now.toISOString(),
    generatedBy: options.by,
    ...figures,
  };
}
