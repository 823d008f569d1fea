// The D-SUPERVISION compliance report as PDF. Page 1 is a summary a supervisor reads at a glance
// (the unit's figures and a chart of the officers who fall short most), then the figures per
// officer as a table (landscape, the header repeated on every page) and the lists of cases. The
// pages are drawn by the modules of ./pdf; this one puts them together and fixes the file's
// metadata, so that the same report gives the same bytes.
import type { ComplianceReport } from '../contract';
import { sealFields } from './pdf/audit-seal';
import { caseTables } from './pdf/case-lists';
import { contentWidth, COLOR, MARGIN, put, type Doc } from './pdf/layout';
import { officerTable } from './pdf/officer-table';
import { findReportFont, type ReportFontOptions } from './pdf/report-font';
import { renderPdf } from './pdf/render';
import { summaryPage } from './pdf/summary-page';
import { reportStrings, type ReportLocale, type ReportStrings } from './report-strings';

export interface CompliancePdfOptions extends ReportFontOptions {
  /** How many officers the summary chart shows (10 unless told). */
  chartOfficers?: number;
}

function footers(doc: Doc, report: ComplianceReport, s: ReportStrings): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margins = doc.page.margins;
    const saved = margins.bottom;
    margins.bottom = 0; // writing below the bottom margin would start a new page
    const seal = sealFields(report.auditSeal, s).map(([label, value]) => label + s.colon + value);
    // The seal's lines above the title line, in the space kept free above the bottom margin.
    const y = doc.page.height - MARGIN + 8;
    const w = contentWidth(doc);
    seal.forEach((line, n) => {
      put(doc, line, MARGIN, y - 7.5 * (seal.length - n), 6, COLOR.muted, { width: w });
    });
    put(doc, `${s.title} · ${s.periodRange(report.from, report.to)}`, MARGIN, y, 7, COLOR.muted);
    put(doc, s.page(i - range.start + 1, range.count), MARGIN, y, 7, COLOR.muted, {
      width: w,
      align: 'right',
    });
    margins.bottom = saved;
  }
}

function creationDate(generatedAt: string): Date {
  const ms = Date.parse(generatedAt);
  return new Date(Number.isNaN(ms) ? 0 : ms);
}

/**
 * The compliance report as a PDF: a one-page summary with a chart, the figures per officer, the
 * cases missing footage and past archive-by. The same report gives the same bytes (the dates in
 * the file are the report's generatedAt).
 */
export async function compliancePdf(
  report: ComplianceReport,
  locale: ReportLocale,
  options: CompliancePdfOptions = {},
): Promise<Buffer> {
  const s = reportStrings(locale);
  const font = findReportFont(options);
  return await renderPdf(
    {
      title: `${s.title} ${s.periodRange(report.from, report.to)}`,
      author: report.generatedBy,
      subject: s.title,
      date: creationDate(report.generatedAt),
      lang: locale,
    },
    font,
    (doc) => {
      summaryPage(doc, report, s, Math.max(1, Math.floor(options.chartOfficers ?? 10)));
      officerTable(doc, report, s);
      caseTables(doc, report, s, locale);
      footers(doc, report, s);
    },
  );
}
