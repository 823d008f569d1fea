// The cases a supervisor has to act on: those missing footage for a procedural act
// (D-AV-REQUIRED) and those past their archive-by date (D-ARCHIVE).
import type { ComplianceReport } from '../../contract';
import { actName, formatTimestamp, type ReportLocale, type ReportStrings } from '../report-strings';
import { COLOR, type Doc } from './layout';
import { drawTable } from './table';

interface CaseList {
  heading: string;
  subtitle?: string;
  /** The third column: what is wrong with the case. */
  problem: string;
  /** Case number, title, problem: together the width of a portrait page. */
  widths: readonly [number, number, number];
  cases: { number: string; title: string; problem: string }[];
  continueAt?: number;
}

/** A list of cases, each with what is wrong with it in the alert colour. Returns y. */
function caseList(doc: Doc, s: ReportStrings, list: CaseList): number {
  const [numberW, titleW, problemW] = list.widths;
  return drawTable(
    doc,
    {
      title: `${list.heading}${s.colon}${s.caseCount(list.cases.length)}`,
      subtitle: list.subtitle,
      layout: 'portrait',
      columns: [
        { header: s.caseNumber, width: numberW, wrap: true },
        { header: s.caseTitle, width: titleW, wrap: true },
        { header: list.problem, width: problemW, wrap: true },
      ],
      rows: list.cases.map((c) => ({
        cells: [c.number, c.title, c.problem],
        colors: [undefined, undefined, COLOR.alert],
      })),
      empty: s.none,
      fontSize: 8.5,
      headerSize: 8,
      continueAt: list.continueAt,
    },
    s,
  );
}

export function caseTables(
  doc: Doc,
  report: ComplianceReport,
  s: ReportStrings,
  locale: ReportLocale,
): void {
  const y = caseList(doc, s, {
    heading: s.casesMissingFootage,
    subtitle: `${s.period}${s.colon}${s.periodRange(report.from, report.to)}`,
    problem: s.missingActs,
    widths: [150, 175, 190.28],
    cases: report.unit.casesMissingFootage.map((c) => ({
      number: c.number,
      title: c.title,
      problem: c.missing.map((act) => actName(act, locale)).join(s.listSeparator),
    })),
  });
  caseList(doc, s, {
    heading: s.casesPastArchiveBy,
    problem: s.archiveBy,
    widths: [150, 215, 150.28],
    cases: report.unit.casesPastArchiveBy.map((c) => ({
      number: c.number,
      title: c.title,
      problem: formatTimestamp(c.archiveBy),
    })),
    continueAt: y + 24,
  });
}
