// The D-SUPERVISION compliance report as CSV: a table per officer with the unit's total, then the
// cases missing footage (D-AV-REQUIRED), the cases past their archive-by date (D-ARCHIVE), the
// integrity sweeps (D-NO-TAMPER) and the unit's central storage (D-24H).
// UTF-8 with a BOM and CRLF line ends, so Excel on a Chinese Windows opens it without mojibake;
// quoting per RFC 4180; user-typed text is defused against formula injection.
import type { ComplianceFigures, ComplianceReport } from '../contract';
import { centralStorageLine, longTermDiscLine } from './central-storage';
import { FIGURE_COLUMNS, figureValue } from './figure-columns';
import { integrityLines } from './integrity-lines';
import { sealFields } from './pdf/audit-seal';
import { actName, formatTimestamp, reportStrings, type ReportLocale } from './report-strings';

const BOM = '\uFEFF';
const CRLF = '\r\n';

/** A cell that a spreadsheet would take for a formula (or a DDE call) when it opens the file. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text from users (names, titles, case numbers): an apostrophe in front of a formula start. */
export function defuseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field with a quote, comma or line break is quoted, its quotes doubled. */
export function quoteCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

type Cell = string | number | null;

function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return formatNumber(cell);
  return defuseCell(cell);
}

/** Counts as they are; hours and days to two decimals at most (what a spreadsheet sums). */
function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

function line(cells: readonly Cell[]): string {
  return cells.map((c) => quoteCell(cellText(c))).join(',');
}

/** The rows of the CSV as cells, before quoting (what a spreadsheet shows). */
export function complianceRows(report: ComplianceReport, locale: ReportLocale): Cell[][] {
  const s = reportStrings(locale);
  const rows: Cell[][] = [];
  rows.push([s.badge, s.name, ...FIGURE_COLUMNS.map((key) => s[key])]);
  const figures = (f: ComplianceFigures) => FIGURE_COLUMNS.map((key) => figureValue(f, key));
  for (const o of report.officers) rows.push([o.badge, o.name, ...figures(o)]);
  rows.push([s.unitTotal, s.officerCount(report.unit.officers), ...figures(report.unit)]);

  rows.push([]);
  rows.push([s.casesMissingFootage]);
  rows.push([s.caseNumber, s.caseTitle, s.missingActs]);
  for (const c of report.unit.casesMissingFootage) {
    rows.push([
      c.number,
      c.title,
      c.missing.map((act) => actName(act, locale)).join(s.listSeparator),
    ]);
  }
  if (report.unit.casesMissingFootage.length === 0) rows.push([s.none]);

  rows.push([]);
  rows.push([s.casesPastArchiveBy]);
  rows.push([s.caseNumber, s.caseTitle, s.archiveBy]);
  for (const c of report.unit.casesPastArchiveBy) {
    rows.push([c.number, c.title, formatTimestamp(c.archiveBy)]);
  }
  if (report.unit.casesPastArchiveBy.length === 0) rows.push([s.none]);

  rows.push([]);
  rows.push([s.integritySweeps]);
  for (const line of integrityLines(report.integrity, s)) rows.push([line]);

  // D-24H: the figure column is empty when the station had no central storage; this says why.
  rows.push([]);
  rows.push([s.centralStorage]);
  rows.push([centralStorageLine(report.unit, s)]);

  rows.push([]);
  rows.push([s.longTermDiscs]);
  rows.push([longTermDiscLine(report.discs, s)]);

  rows.push([]);
  rows.push([s.title]);
  rows.push([s.period, report.from, report.to]);
  rows.push([s.generatedAt, formatTimestamp(report.generatedAt)]);
  rows.push([s.generatedBy, report.generatedBy]);

  // D-NO-TAMPER: the keys that sign the audit chain and its last checkpoint, as on every PDF page.
  rows.push([]);
  rows.push([s.auditSeal]);
  for (const [label, value] of sealFields(report.auditSeal, s)) rows.push([label, value]);
  return rows;
}

/**
 * The compliance report as a CSV file: a header row in the locale's words, a row per officer, the
 * unit's total; a blank line, the cases missing footage; a blank line, the cases past
 * archive-by; the integrity sweeps; the central storage; the period and who generated the report;
 * the audit chain's seal.
 */
export function complianceCsv(report: ComplianceReport, locale: ReportLocale): Buffer {
  const text = complianceRows(report, locale)
    .map((cells) => line(cells) + CRLF)
    .join('');
  return Buffer.from(BOM + text, 'utf8');
}
