// The cases a supervisor has to act on: those missing footage for a procedural act
// (D-AV-REQUIRED) and those past their archive-by date (D-ARCHIVE).
import type { ComplianceReport } from '../../contract/filing';
import { actName, formatTimestamp, type ReportLocale, type ReportStrings } from '../report-strings';
import { COLOR, type Doc } from './layout';
import { drawTable } from './table';

export function caseTables(
  doc: Doc,
  report: ComplianceReport,
  s: ReportStrings,
  locale: ReportLocale,
): void {
  const period = `${s.period}${s.colon}${s.periodRange(report.from, report.to)}`;
  const y = drawTable(
    doc,
    {
      title: `${s.casesMissingFootage}${s.colon}${s.caseCount(report.unit.casesMissingFootage.length)}`,
      subtitle: period,
      layout: 'portrait',
      columns: [
        { header: s.caseNumber, width: 150, wrap: true },
        { header: s.caseTitle, width: 175, wrap: true },
        { header: s.missingActs, width: 190.28, wrap: true },
      ],
      rows: report.unit.casesMissingFootage.map((c) => ({
        cells: [
          c.number,
          c.title,
          c.missing.map((act) => actName(act, locale)).join(s.listSeparator),
        ],
        colors: [undefined, undefined, COLOR.alert],
      })),
      empty: s.none,
      fontSize: 8.5,
      headerSize: 8,
    },
    s,
  );
  drawTable(
    doc,
    {
      title: `${s.casesPastArchiveBy}${s.colon}${s.caseCount(report.unit.casesPastArchiveBy.length)}`,
      layout: 'portrait',
      columns: [
        { header: s.caseNumber, width: 150, wrap: true },
        { header: s.caseTitle, width: 215, wrap: true },
        { header: s.archiveBy, width: 150.28, wrap: true },
      ],
      rows: report.unit.casesPastArchiveBy.map((c) => ({
        cells: [c.number, c.title, formatTimestamp(c.archiveBy)],
        colors: [undefined, undefined, COLOR.alert],
      })),
      empty: s.none,
      fontSize: 8.5,
      headerSize: 8,
      continueAt: y + 24,
    },
    s,
  );
}
