// The report's font. Chinese text needs a CJK font: it is embedded, subset to the glyphs used
// (pdfkit does that), so the file reads the same on any machine and its text can be searched and
// copied. The font is the one named (an option, or EVIDOCK_REPORT_FONT), else the system's own.
import { existsSync, readFileSync } from 'node:fs';

export interface ReportFontOptions {
  /** A .ttf, .otf or .ttc font with Chinese glyphs; else EVIDOCK_REPORT_FONT, else the system's. */
  fontPath?: string;
  /** The face to use in a font collection (.ttc), by PostScript name; chosen if left out. */
  fontFace?: string;
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

/** The station has no font the PDF report can be set in: the custodian can fix it, as it says. */
export class ReportFontUnavailable extends Error {
  override readonly name = 'ReportFontUnavailable';
}

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
  options: ReportFontOptions = {},
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
      throw new ReportFontUnavailable(
        `The report font ${named.path} (from ${named.from}) does not exist. ${FONT_HELP}`,
      );
    }
    return options.fontFace ? { path: named.path, face: options.fontFace } : { path: named.path };
  }
  const found = STANDARD_FONT_LOCATIONS.find((l) => exists(l.path));
  if (!found) {
    throw new ReportFontUnavailable(
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

/** Sets the document in the font, refusing one that cannot show Chinese. */
export function embedReportFont(doc: PDFKit.PDFDocument, location: FontLocation): void {
  const data = readFileSync(location.path);
  const faces = collectionFaces(data);
  const face = faces ? chooseFace(faces, location.face) : undefined;
  if (faces && !face) {
    throw new ReportFontUnavailable(
      `The font collection ${location.path} has no usable face. ${FONT_HELP}`,
    );
  }
  try {
    if (face) doc.registerFont(FONT, data, face);
    else doc.registerFont(FONT, data);
    doc.font(FONT);
  } catch (e) {
    throw new ReportFontUnavailable(
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
    throw new ReportFontUnavailable(
      `The report font ${location.path} has no Chinese characters. ${FONT_HELP}`,
    );
  }
}
