// The figures per officer, one row each and the unit's total last: landscape, so that every figure
// of an officer is on one line.
import type { ComplianceFigures, ComplianceReport } from '../../contract';
import { FIGURE_COLUMNS, figureValue, type FigureKey } from '../figure-columns';
import { formatAmount, type ReportStrings } from '../report-strings';
import { A4_LONG_SIDE, COLOR, MARGIN, officerLabel, type Doc } from './layout';
import { drawTable, type Column, type Row } from './table';

/** The figures that stand out in colour when they are not zero: what a supervisor acts on. */
const WARNINGS: Partial<Record<FigureKey, string>> = {
  lateCustodyUnexcepted: COLOR.alert,
  lateCentralStorage: COLOR.alert,
  unlabelled: COLOR.amber,
  over30Days: COLOR.alert,
  continuityFindings: COLOR.alert,
};

function figureCells(f: ComplianceFigures): Required<Pick<Row, 'cells' | 'colors'>> {
  const values = FIGURE_COLUMNS.map((key) => figureValue(f, key));
  return {
    cells: values.map(formatAmount),
    colors: FIGURE_COLUMNS.map((key, i) => ((values[i] ?? 0) > 0 ? WARNINGS[key] : undefined)),
  };
}

export function officerTable(doc: Doc, report: ComplianceReport, s: ReportStrings): void {
  const usable = A4_LONG_SIDE - 2 * MARGIN;
  // Narrow enough that each figure column keeps five Chinese characters of its heading a line.
  const badgeW = 64;
  const nameW = 80;
  const figureW = (usable - badgeW - nameW) / FIGURE_COLUMNS.length;
  const columns: Column[] = [
    { header: s.badge, width: badgeW },
    { header: s.name, width: nameW },
    ...FIGURE_COLUMNS.map((key) => ({
      header: s.columnHeads[key],
      width: figureW,
      align: 'right' as const,
    })),
  ];
  const rows: Row[] = report.officers.map((o) => {
    const f = figureCells(o);
    return {
      cells: [o.badge, officerLabel(o, s), ...f.cells],
      colors: [undefined, o.name === null ? COLOR.muted : undefined, ...f.colors],
    };
  });
  const total = figureCells(report.unit);
  rows.push({
    cells: [s.unitTotal, s.officerCount(report.unit.officers), ...total.cells],
    colors: [COLOR.accent, COLOR.accent, ...total.colors],
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
