// Tables that run over as many pages as they take, the title and the header repeated on each, so
// a page read on its own still says what its columns are.
import type { ReportStrings } from '../report-strings';
import { bottom, COLOR, contentWidth, fit, MARGIN, newPage, put, rule, type Doc } from './layout';

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
  /** Cells wrap onto more lines (else they are cut with an ellipsis). */
  wrap?: boolean;
}

export interface Row {
  cells: string[];
  /** Text colour per cell, where it differs. */
  colors?: (string | undefined)[];
  fill?: string;
}

export interface Table {
  title: string;
  subtitle?: string;
  layout: 'portrait' | 'landscape';
  columns: Column[];
  rows: Row[];
  empty: string;
  fontSize: number;
  headerSize: number;
  /** Go on below what the page already holds, if the title, the header and a row fit. */
  continueAt?: number;
}

const PAD = 3;

/**
 * Text wrapped to a width, its own line breaks kept. Each line is laid out on its own: pdfkit
 * would measure a line break as a character and wrap a line that fits.
 */
function blockHeight(doc: Doc, text: string, width: number): number {
  return text
    .split(/\r?\n/)
    .reduce((h, line) => h + doc.heightOfString(line === '' ? ' ' : line, { width }), 0);
}

function block(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  align: 'left' | 'right',
): void {
  let at = y;
  for (const line of text.split(/\r?\n/)) {
    const shown = line === '' ? ' ' : line;
    doc.text(shown, x, at, { width, align });
    at += doc.heightOfString(shown, { width });
  }
}

/** A table over as many pages as it takes, its title and header repeated on each. Returns y. */
export function drawTable(doc: Doc, table: Table, s: ReportStrings): number {
  const headerHeight = (() => {
    doc.fontSize(table.headerSize);
    return (
      Math.max(...table.columns.map((c) => blockHeight(doc, c.header, c.width - 2 * PAD))) + 2 * PAD
    );
  })();
  const lineHeight = doc.fontSize(table.fontSize).currentLineHeight(false) + 2 * PAD;
  const rowHeight = (row: Row) => {
    doc.fontSize(table.fontSize);
    let h = lineHeight;
    table.columns.forEach((c, i) => {
      if (c.wrap) {
        h = Math.max(h, blockHeight(doc, row.cells[i] ?? '', c.width - 2 * PAD) + 2 * PAD);
      }
    });
    return h;
  };

  let y = 0;
  let first = true;
  const start = (startY: number | null) => {
    if (startY === null) {
      newPage(doc, table.layout);
      startY = MARGIN;
    }
    y = startY;
    const w = contentWidth(doc);
    put(doc, first ? table.title : table.title + s.continued, MARGIN, y, 12, COLOR.accent);
    if (table.subtitle) {
      put(doc, table.subtitle, MARGIN, y + 3, 8, COLOR.muted, { width: w, align: 'right' });
    }
    y += 22;
    first = false;
    let x = MARGIN;
    doc.rect(MARGIN, y, w, headerHeight).fill(COLOR.header);
    doc.fontSize(table.headerSize).fillColor(COLOR.ink);
    for (const c of table.columns) {
      block(doc, c.header, x + PAD, y + PAD, c.width - 2 * PAD, c.align ?? 'left');
      x += c.width;
    }
    y += headerHeight;
    rule(doc, MARGIN, y, w, 0.6, COLOR.muted);
  };

  const firstRow = table.rows[0];
  const need = 22 + headerHeight + (firstRow ? rowHeight(firstRow) : lineHeight);
  start(
    table.continueAt !== undefined && table.continueAt + need <= bottom(doc)
      ? table.continueAt
      : null,
  );

  if (table.rows.length === 0) {
    put(doc, table.empty, MARGIN + PAD, y + PAD, table.fontSize, COLOR.muted);
    return y + lineHeight;
  }

  table.rows.forEach((row, r) => {
    const h = rowHeight(row);
    if (y + h > bottom(doc)) start(null);
    const w = contentWidth(doc);
    const fill = row.fill ?? (r % 2 === 1 ? COLOR.zebra : undefined);
    if (fill) doc.rect(MARGIN, y, w, h).fill(fill);
    let x = MARGIN;
    doc.fontSize(table.fontSize);
    table.columns.forEach((c, i) => {
      const text = row.cells[i] ?? '';
      const color = row.colors?.[i] ?? COLOR.ink;
      if (c.wrap) {
        doc.fillColor(color);
        block(doc, text, x + PAD, y + PAD, c.width - 2 * PAD, c.align ?? 'left');
      } else {
        put(doc, fit(doc, text, c.width - 2 * PAD), x + PAD, y + PAD, table.fontSize, color, {
          width: c.width - 2 * PAD,
          align: c.align ?? 'left',
        });
      }
      x += c.width;
    });
    y += h;
    rule(doc, MARGIN, y, w, 0.3, COLOR.grid);
  });
  return y;
}
