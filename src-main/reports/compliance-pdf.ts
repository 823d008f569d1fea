// The D-SUPERVISION compliance report as PDF. Page 1 is a summary a supervisor reads at a glance:
// the period, the unit's figures (D-24H late custody, D-LABEL unlabelled clips, D-CONTINUOUS
// findings, D-AV-REQUIRED cases missing footage, D-ARCHIVE cases past archive-by) and a bar chart
// of the officers who fall short most. Then the figures per officer as a table (landscape, the
// header repeated on every page) and the lists of cases.
//
// Chinese text needs a CJK font: it is embedded, subset to the glyphs used (pdfkit does that), so
// the file reads the same on any machine and its text can be searched and copied.
import { existsSync, readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { ComplianceFigures, ComplianceReport } from '../contract';
import {
  actName,
  formatAmount,
  formatTimestamp,
  reportStrings,
  type ReportLocale,
  type ReportStrings,
} from './report-strings';

type Doc = PDFKit.PDFDocument;

export interface CompliancePdfOptions {
  /** A .ttf, .otf or .ttc font with Chinese glyphs; else EVIDOCK_REPORT_FONT, else the system's. */
  fontPath?: string;
  /** The face to use in a font collection (.ttc), by PostScript name; chosen if left out. */
  fontFace?: string;
  /** How many officers the summary chart shows (10 unless told). */
  chartOfficers?: number;
}

/** The environment variable naming the report font (a file path). */
export const REPORT_FONT_ENV = 'EVIDOCK_REPORT_FONT';

export interface FontLocation {
  path: string;
  /** The PostScript name of the face to take from a collection. */
  face?: string;
}

const windowsFonts = `${process.env['WINDIR'] ?? 'C:\\Windows'}\\Fonts`;

/** Where Chinese fonts are found on Linux, Windows and macOS, best first. */
export const STANDARD_FONT_LOCATIONS: readonly FontLocation[] = [
  // Linux: Noto Sans CJK (Debian/Ubuntu fonts-noto-cjk, Fedora, Arch), Source Han Sans, WenQuanYi.
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  {
    path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
    face: 'NotoSansCJKsc-Regular',
  },
  {
    path: '/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc',
    face: 'NotoSansCJKsc-Regular',
  },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJKsc-Regular.otf' },
  {
    path: '/usr/share/fonts/adobe-source-han-sans/SourceHanSans-Regular.ttc',
    face: 'SourceHanSansSC-Regular',
  },
  { path: '/usr/share/fonts/adobe-source-han-sans/SourceHanSansCN-Regular.otf' },
  { path: '/usr/share/fonts/opentype/source-han-sans/SourceHanSansSC-Regular.otf' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' },
  {
    path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
    face: 'NotoSerifCJKsc-Regular',
  },
  // Windows: Microsoft YaHei, SimHei, SimSun.
  { path: `${windowsFonts}\\msyh.ttc`, face: 'MicrosoftYaHei' },
  { path: `${windowsFonts}\\simhei.ttf` },
  { path: `${windowsFonts}\\simsun.ttc`, face: 'SimSun' },
  // macOS: PingFang, STHeiti, Songti, Arial Unicode.
  { path: '/System/Library/Fonts/PingFang.ttc', face: 'PingFangSC-Regular' },
  { path: '/System/Library/Fonts/STHeiti Light.ttc', face: 'STHeitiSC-Light' },
  { path: '/System/Library/Fonts/STHeiti Medium.ttc', face: 'STHeitiSC-Medium' },
  { path: '/System/Library/Fonts/Supplemental/Songti.ttc', face: 'STSongti-SC-Regular' },
  { path: '/Library/Fonts/Arial Unicode.ttf' },
];

const FONT_HELP =
  'Install a Chinese font (Debian/Ubuntu: apt-get install fonts-noto-cjk; Windows and macOS ' +
  `have Microsoft YaHei / PingFang), or set ${REPORT_FONT_ENV} to a .ttf, .otf or .ttc file with ` +
  'Chinese glyphs.';

/**
 * The font the PDF report is set in: options.fontPath, else $EVIDOCK_REPORT_FONT, else the first
 * standard location that exists. A path that was named but does not exist is an error (it is not
 * silently replaced by another font).
 */
export function findReportFont(
  options: Pick<CompliancePdfOptions, 'fontPath' | 'fontFace'> = {},
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
): FontLocation {
  const named = options.fontPath
    ? { path: options.fontPath, from: 'the fontPath option' }
    : env[REPORT_FONT_ENV]
      ? { path: env[REPORT_FONT_ENV], from: REPORT_FONT_ENV }
      : null;
  if (named) {
    if (!exists(named.path)) {
      throw new Error(
        `The report font ${named.path} (from ${named.from}) does not exist. ${FONT_HELP}`,
      );
    }
    return options.fontFace ? { path: named.path, face: options.fontFace } : { path: named.path };
  }
  const found = STANDARD_FONT_LOCATIONS.find((l) => exists(l.path));
  if (!found) {
    throw new Error(
      `No Chinese font found for the PDF compliance report. ${FONT_HELP} Looked in: ` +
        STANDARD_FONT_LOCATIONS.map((l) => l.path).join(', '),
    );
  }
  return options.fontFace ? { ...found, face: options.fontFace } : found;
}

/**
 * The PostScript names of the faces in a font collection (.ttc), or null for a single font.
 * Read from the collection's 'name' tables, so a face can be chosen without a font library.
 */
export function collectionFaces(data: Buffer): string[] | null {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'ttcf') return null;
  const faces: string[] = [];
  try {
    const count = data.readUInt32BE(8);
    for (let i = 0; i < count; i++) {
      const name = postscriptName(data, data.readUInt32BE(12 + 4 * i));
      if (name) faces.push(name);
    }
  } catch {
    // A damaged collection: whatever was read; pdfkit reports the rest.
  }
  return faces;
}

function postscriptName(data: Buffer, fontOffset: number): string | null {
  const tables = data.readUInt16BE(fontOffset + 4);
  for (let t = 0; t < tables; t++) {
    const record = fontOffset + 12 + 16 * t;
    if (data.toString('latin1', record, record + 4) !== 'name') continue;
    const table = data.readUInt32BE(record + 8);
    const records = data.readUInt16BE(table + 2);
    const strings = table + data.readUInt16BE(table + 4);
    for (let r = 0; r < records; r++) {
      const at = table + 6 + 12 * r;
      const platform = data.readUInt16BE(at);
      if (data.readUInt16BE(at + 6) !== 6) continue;
      const length = data.readUInt16BE(at + 8);
      const start = strings + data.readUInt16BE(at + 10);
      const bytes = data.subarray(start, start + length);
      if (platform === 1) return bytes.toString('latin1');
      if ((platform === 0 || platform === 3) && length % 2 === 0) {
        return Buffer.from(bytes).swap16().toString('utf16le');
      }
    }
  }
  return null;
}

/** The face to take: the one asked for if the collection has it, else a Simplified Chinese one. */
function chooseFace(faces: string[], wanted: string | undefined): string | undefined {
  if (wanted && faces.includes(wanted)) return wanted;
  const score = (f: string) => (/CJKsc|SC|CN|GB|Hans/.test(f) ? 2 : 0) - (/Mono/.test(f) ? 1 : 0);
  let best: string | undefined;
  for (const f of faces) if (best === undefined || score(f) > score(best)) best = f;
  return best;
}

const FONT = 'report';

function loadFont(doc: Doc, location: FontLocation): void {
  const data = readFileSync(location.path);
  const faces = collectionFaces(data);
  const face = faces ? chooseFace(faces, location.face) : undefined;
  if (faces && !face) {
    throw new Error(`The font collection ${location.path} has no usable face. ${FONT_HELP}`);
  }
  try {
    if (face) doc.registerFont(FONT, data, face);
    else doc.registerFont(FONT, data);
    doc.font(FONT);
  } catch (e) {
    throw new Error(
      `The report font ${location.path}${face ? ` (${face})` : ''} cannot be used: ${(e as Error).message}. ${FONT_HELP}`,
      { cause: e },
    );
  }
  // The font as fontkit opened it (pdfkit keeps it there); a Latin-only font would set every
  // Chinese character as an empty box.
  const opened = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?: unknown } } })._font
    ?.font;
  if (
    typeof opened?.hasGlyphForCodePoint === 'function' &&
    !(opened.hasGlyphForCodePoint as (cp: number) => boolean).call(opened, 0x5408 /* 合 */)
  ) {
    throw new Error(`The report font ${location.path} has no Chinese characters. ${FONT_HELP}`);
  }
}

// Layout: A4, 40 pt margins; the summary and the case lists portrait, the officer table landscape.
const MARGIN = 40;
const FOOTER_SPACE = 24;
const COLOR = {
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

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom - FOOTER_SPACE;
}

/** One line of text at (x, y), never wrapping and never starting a page. */
function put(
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
function fit(doc: Doc, raw: string, width: number): string {
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

function officerLabel(o: { badge: string; name: string | null }, s: ReportStrings): string {
  return o.name ?? s.noName;
}

/** Rounds an axis maximum up to 1, 2 or 5 times a power of ten, with the step of its ticks. */
export function niceAxis(max: number, ticks = 5): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 1 };
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  const step = Math.max(1, (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow);
  return { max: Math.ceil(max / step) * step, step };
}

/** The officers who fall short most: unlabelled plus late custody without an exception. */
export function topShortfall<T extends ComplianceFigures & { badge: string }>(
  officers: readonly T[],
  n: number,
): T[] {
  const shortfall = (o: T) => o.unlabelled + o.lateCustodyUnexcepted;
  return officers
    .filter((o) => shortfall(o) > 0)
    .sort(
      (a, b) =>
        shortfall(b) - shortfall(a) ||
        b.lateCustodyUnexcepted - a.lateCustodyUnexcepted ||
        (a.badge < b.badge ? -1 : a.badge > b.badge ? 1 : 0),
    )
    .slice(0, n);
}

function summaryPage(doc: Doc, report: ComplianceReport, s: ReportStrings, chartN: number): void {
  doc.addPage({ size: 'A4', layout: 'portrait', margin: MARGIN });
  const x0 = MARGIN;
  const w = contentWidth(doc);
  let y = MARGIN;

  put(doc, s.title, x0, y, 20, COLOR.accent, { width: w, align: 'center' });
  y += 32;
  put(
    doc,
    `${s.period}${s.colon}${s.periodRange(report.from, report.to)}`,
    x0,
    y,
    10.5,
    COLOR.ink,
    { width: w, align: 'center' },
  );
  y += 16;
  put(
    doc,
    `${s.generatedAt}${s.colon}${formatTimestamp(report.generatedAt)}      ${s.generatedBy}${s.colon}${report.generatedBy}`,
    x0,
    y,
    8.5,
    COLOR.muted,
    { width: w, align: 'center' },
  );
  y += 24;

  y = sectionHeading(doc, s.unitFigures, x0, y, w);
  const u = report.unit;
  const missing = u.casesMissingFootage.length;
  const pastArchive = u.casesPastArchiveBy.length;
  const oldest = formatAmount(u.unlabelledOldestDays);
  const boxes: Box[] = [
    { label: s.officers, value: String(u.officers) },
    { label: s.dockings, value: String(u.dockings) },
    { label: s.clips, value: String(u.clips) },
    { label: s.hoursRecorded, value: formatAmount(u.hoursRecorded) },
    {
      label: s.lateCustody,
      value: String(u.lateCustody),
      sub: s.lateCustodyBreakdown(u.lateCustodyExcepted, u.lateCustodyUnexcepted),
      alert: u.lateCustodyUnexcepted > 0,
    },
    {
      label: s.unlabelled,
      value: String(u.unlabelled),
      sub: oldest === '' ? undefined : s.unlabelledOldest(oldest),
      alert: u.unlabelled > 0,
    },
    { label: s.deferrals, value: String(u.deferrals) },
    {
      label: s.continuityFindings,
      value: String(u.continuityFindings),
      alert: u.continuityFindings > 0,
    },
    { label: s.casesMissingFootage, value: String(missing), alert: missing > 0 },
    { label: s.casesPastArchiveBy, value: String(pastArchive), alert: pastArchive > 0 },
    {
      label: s.unlabelledByAge,
      value: '',
      sub: [
        u.unlabelledByAge.upTo1Day,
        u.unlabelledByAge.upTo7Days,
        u.unlabelledByAge.upTo30Days,
        u.unlabelledByAge.over30Days,
      ]
        .map((n, i) => `${s.ageBuckets[i]} ${n}`)
        .join('   '),
      span: 2,
    },
  ];
  y = drawBoxes(doc, boxes, x0, y, w);
  y += 18;

  y = chart(doc, report, s, chartN, x0, y, w);
  y += 14;

  put(
    doc,
    `${s.casesMissingFootage}${s.colon}${s.caseCount(missing)}      ${s.casesPastArchiveBy}${s.colon}${s.caseCount(pastArchive)}      ${s.seeFollowingPages}`,
    x0,
    y,
    9.5,
    missing + pastArchive > 0 ? COLOR.alert : COLOR.ink,
  );
  y += 22;

  doc.fontSize(7.5).fillColor(COLOR.muted);
  for (const note of s.notes) {
    if (y > bottom(doc) - 10) break;
    doc.text(`· ${note}`, x0, y, { width: w });
    y = doc.y + 2;
  }
}

function sectionHeading(doc: Doc, text: string, x: number, y: number, w: number): number {
  put(doc, text, x, y, 12, COLOR.accent);
  doc
    .moveTo(x, y + 17)
    .lineTo(x + w, y + 17)
    .lineWidth(0.6)
    .strokeColor(COLOR.rule)
    .stroke();
  return y + 24;
}

interface Box {
  label: string;
  value: string;
  sub?: string | undefined;
  alert?: boolean;
  span?: number;
}

function drawBoxes(doc: Doc, boxes: Box[], x0: number, y0: number, w: number): number {
  const cols = 4;
  const gap = 8;
  const h = 50;
  const cw = (w - gap * (cols - 1)) / cols;
  let col = 0;
  let y = y0;
  for (const b of boxes) {
    const span = Math.min(b.span ?? 1, cols);
    if (col + span > cols) {
      col = 0;
      y += h + gap;
    }
    const x = x0 + col * (cw + gap);
    const bw = cw * span + gap * (span - 1);
    doc.roundedRect(x, y, bw, h, 3).lineWidth(0.6).fillAndStroke(COLOR.panel, COLOR.rule);
    put(doc, fit(doc.fontSize(8), b.label, bw - 14), x + 7, y + 6, 8, COLOR.muted);
    const color = b.alert ? COLOR.alert : COLOR.ink;
    if (b.value !== '') put(doc, b.value, x + 7, y + 17, 16, color);
    if (b.sub) {
      // A box without a value shows its line larger, where the value would be.
      const size = b.value === '' ? 9.5 : 7.5;
      const text = fit(doc.fontSize(size), b.sub, bw - 14);
      put(
        doc,
        text,
        x + 7,
        y + (b.value === '' ? 22 : 37),
        size,
        b.value === '' ? color : COLOR.muted,
      );
    }
    col += span;
  }
  return y + h;
}

function chart(
  doc: Doc,
  report: ComplianceReport,
  s: ReportStrings,
  n: number,
  x0: number,
  y0: number,
  w: number,
): number {
  const rows = topShortfall(report.officers, n);
  let y = sectionHeading(doc, s.chartTitle(rows.length > 0 ? rows.length : n), x0, y0, w);

  // Legend.
  const legend: [string, string][] = [
    [COLOR.unlabelled, s.legendUnlabelled],
    [COLOR.late, s.legendLateUnexcepted],
  ];
  let lx = x0;
  for (const [color, label] of legend) {
    doc.rect(lx, y + 1.5, 9, 7).fill(color);
    put(doc, label, lx + 13, y, 8, COLOR.ink);
    lx += 13 + doc.fontSize(8).widthOfString(label) + 18;
  }
  y += 18;

  if (rows.length === 0) {
    doc.rect(x0, y, w, 48).lineWidth(0.6).fillAndStroke(COLOR.panel, COLOR.rule);
    put(doc, s.chartEmpty, x0, y + 18, 9.5, COLOR.muted, { width: w, align: 'center' });
    return y + 48;
  }

  const labelW = 118;
  const valueRoom = 28;
  const plotX = x0 + labelW;
  const plotW = w - labelW - valueRoom;
  const groupH = 24;
  const barH = 8;
  const plotTop = y;
  const plotBottom = plotTop + rows.length * groupH;
  const axis = niceAxis(
    Math.max(...rows.map((o) => Math.max(o.unlabelled, o.lateCustodyUnexcepted))),
  );
  const scale = (v: number) => (v / axis.max) * plotW;

  // Grid and tick labels.
  doc.lineWidth(0.5);
  for (let t = 0; t <= axis.max + 1e-9; t += axis.step) {
    const gx = plotX + scale(t);
    doc.moveTo(gx, plotTop).lineTo(gx, plotBottom).strokeColor(COLOR.grid).stroke();
    put(doc, String(t), gx - 20, plotBottom + 4, 7, COLOR.muted, { width: 40, align: 'center' });
  }

  rows.forEach((o, i) => {
    const gy = plotTop + i * groupH;
    doc.fontSize(8.5);
    put(doc, fit(doc, officerLabel(o, s), labelW - 10), x0, gy + 2, 8.5, COLOR.ink, {
      width: labelW - 8,
      align: 'right',
    });
    doc.fontSize(6.5);
    put(doc, fit(doc, o.badge, labelW - 10), x0, gy + 13, 6.5, COLOR.muted, {
      width: labelW - 8,
      align: 'right',
    });
    const bars: [number, string][] = [
      [o.unlabelled, COLOR.unlabelled],
      [o.lateCustodyUnexcepted, COLOR.late],
    ];
    bars.forEach(([v, color], b) => {
      const by = gy + 3 + b * (barH + 1.5);
      const bw = scale(v);
      if (bw > 0) doc.rect(plotX, by, Math.max(bw, 0.8), barH).fill(color);
      put(doc, String(v), plotX + bw + 3, by + 0.5, 6.5, COLOR.ink);
    });
  });

  // Axes.
  doc
    .moveTo(plotX, plotTop - 2)
    .lineTo(plotX, plotBottom)
    .lineTo(plotX + plotW, plotBottom)
    .lineWidth(0.8)
    .strokeColor(COLOR.muted)
    .stroke();
  put(doc, s.chartAxis, plotX, plotBottom + 15, 8, COLOR.muted, { width: plotW, align: 'center' });
  return plotBottom + 27;
}

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
  /** Cells wrap onto more lines (else they are cut with an ellipsis). */
  wrap?: boolean;
}

interface Row {
  cells: string[];
  /** Text colour per cell, where it differs. */
  colors?: (string | undefined)[];
  fill?: string;
}

interface Table {
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
function drawTable(doc: Doc, table: Table, s: ReportStrings): number {
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
      doc.addPage({ size: 'A4', layout: table.layout, margin: MARGIN });
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
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + w, y)
      .lineWidth(0.6)
      .strokeColor(COLOR.muted)
      .stroke();
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
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + w, y)
      .lineWidth(0.3)
      .strokeColor(COLOR.grid)
      .stroke();
  });
  return y;
}

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

function officerTable(doc: Doc, report: ComplianceReport, s: ReportStrings): void {
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

function caseTables(
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

function footers(doc: Doc, report: ComplianceReport, s: ReportStrings): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margins = doc.page.margins;
    const saved = margins.bottom;
    margins.bottom = 0; // writing below the bottom margin would start a new page
    const y = doc.page.height - MARGIN + 8;
    const w = contentWidth(doc);
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
  const date = creationDate(report.generatedAt);
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    size: 'A4',
    margin: MARGIN,
    lang: locale,
    displayTitle: true,
    info: {
      Title: `${s.title} ${s.periodRange(report.from, report.to)}`,
      Author: report.generatedBy,
      Subject: s.title,
      Creator: 'evidock',
      CreationDate: date,
      ModDate: date,
    },
  });
  return await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      loadFont(doc, font);
      summaryPage(doc, report, s, Math.max(1, Math.floor(options.chartOfficers ?? 10)));
      officerTable(doc, report, s);
      caseTables(doc, report, s, locale);
      footers(doc, report, s);
      doc.end();
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
