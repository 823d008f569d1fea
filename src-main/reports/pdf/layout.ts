// Page geometry, colours and the text primitives every page of the PDF report is drawn with.
import type { ReportStrings } from '../report-strings';

export type Doc = PDFKit.PDFDocument;

// Layout: A4, 40 pt margins; the summary and the case lists portrait, the officer table landscape.
export const MARGIN = 40;
/** A4's long side in points: the width of a landscape page. */
export const A4_LONG_SIDE = 841.89;
const FOOTER_SPACE = 24;
export const COLOR = {
  ink: '#1f2937',
  muted: '#6b7280',
  rule: '#d1d5db',
  grid: '#e5e7eb',
  panel: '#f9fafb',
  header: '#eef2f7',
  zebra: '#f8fafc',
  total: '#e0e7ff',
  accent: '#1e3a8a',
  unlabelled: '#f59e0b',
  late: '#dc2626',
  alert: '#b91c1c',
  amber: '#b45309',
};

/** A new A4 page, its margins the report's. */
export function newPage(doc: Doc, layout: 'portrait' | 'landscape'): void {
  doc.addPage({ size: 'A4', layout, margin: MARGIN });
}

export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

export function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom - FOOTER_SPACE;
}

/** One line of text at (x, y), never wrapping and never starting a page. */
export function put(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  size: number,
  color: string,
  options: { width?: number; align?: 'left' | 'right' | 'center' } = {},
): void {
  doc.fontSize(size).fillColor(color);
  doc.text(text, x, y, { lineBreak: false, ...options });
}

/** The text on one line (user-typed line breaks become spaces), cut to the width with "…". */
export function fit(doc: Doc, raw: string, width: number): string {
  const text = raw.replace(/[\r\n\t]+/g, ' ');
  if (doc.widthOfString(text) <= width) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(chars.slice(0, mid).join('') + '…') <= width) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('') + '…';
}

/** An officer as the PDF names them: one without a name on record says so. */
export function officerLabel(o: { name: string | null }, s: ReportStrings): string {
  return o.name ?? s.noName;
}

/** A horizontal line across a width. */
export function rule(
  doc: Doc,
  x: number,
  y: number,
  w: number,
  lineWidth: number,
  color: string,
): void {
  doc
    .moveTo(x, y)
    .lineTo(x + w, y)
    .lineWidth(lineWidth)
    .strokeColor(color)
    .stroke();
}

export function sectionHeading(doc: Doc, text: string, x: number, y: number, w: number): number {
  put(doc, text, x, y, 12, COLOR.accent);
  rule(doc, x, y + 17, w, 0.6, COLOR.rule);
  return y + 24;
}
