// The figures per officer, one row each and the unit's total last: landscape, so that every figure
// of an officer is on one line.
import type { ComplianceFigures, ComplianceReport } from '../../contract/filing';
import { formatAmount, type ReportStrings } from '../report-strings';
import { COLOR, MARGIN, officerLabel, type Doc } from './layout';
import { drawTable, type Column, type Row } from './table';

function figureCells(f: ComplianceFigures): Pick<Row, 'cells' | 'colors'> {
  const warn = (n: number, color: string) => (n > 0 ? color : undefined);
  return {
    cells: [
      String(f.dockings),
      String(f.clips),
      formatAmount(f.hoursRecorded),
      String(f.lateCustody),
      String(f.lateCustodyExcepted),
      String(f.lateCustodyUnexcepted),
      String(f.unlabelled),
      formatAmount(f.unlabelledOldestDays),
      String(f.unlabelledByAge.upTo1Day),
      String(f.unlabelledByAge.upTo7Days),
      String(f.unlabelledByAge.upTo30Days),
      String(f.unlabelledByAge.over30Days),
      String(f.deferrals),
      String(f.continuityFindings),
    ],
    colors: [
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      warn(f.lateCustodyUnexcepted, COLOR.alert),
      warn(f.unlabelled, COLOR.amber),
      undefined,
      undefined,
      undefined,
      undefined,
      warn(f.unlabelledByAge.over30Days, COLOR.alert),
      undefined,
      warn(f.continuityFindings, COLOR.alert),
    ],
  };
}

export function officerTable(doc: Doc, report: ComplianceReport, s: ReportStrings): void {
  const h = s.columnHeads;
  const figureHeaders = [
    h.dockings,
    h.clips,
    h.hoursRecorded,
    h.lateCustody,
    h.lateCustodyExcepted,
    h.lateCustodyUnexcepted,
    h.unlabelled,
    h.unlabelledOldestDays,
    h.upTo1Day,
    h.upTo7Days,
    h.upTo30Days,
    h.over30Days,
    h.deferrals,
    h.continuityFindings,
  ];
  const usable = 841.89 - 2 * MARGIN;
  const badgeW = 70;
  const nameW = 92;
  const figureW = (usable - badgeW - nameW) / figureHeaders.length;
  const columns: Column[] = [
    { header: s.badge, width: badgeW },
    { header: s.name, width: nameW },
    ...figureHeaders.map((header) => ({ header, width: figureW, align: 'right' as const })),
  ];
  const rows: Row[] = report.officers.map((o) => {
    const f = figureCells(o);
    return {
      cells: [o.badge, officerLabel(o, s), ...f.cells],
      colors: [undefined, o.name === null ? COLOR.muted : undefined, ...(f.colors ?? [])],
    };
  });
  const total = figureCells(report.unit);
  rows.push({
    cells: [s.unitTotal, s.officerCount(report.unit.officers), ...total.cells],
    colors: [COLOR.accent, COLOR.accent, ...(total.colors ?? [])],
    fill: COLOR.total,
  });
  drawTable(
    doc,
    {
      title: s.officersHeading,
      subtitle: `${s.period}${s.colon}${s.periodRange(report.from, report.to)}`,
      layout: 'landscape',
      columns,
      rows,
      empty: s.none,
      fontSize: 8,
      headerSize: 7,
    },
    s,
  );
}
