// The documents of a long-term evidence disc, read back as a reader would, with poppler's
// pdftotext, pdfinfo and pdffonts: README.pdf in both languages with the exact commands that verify
// the disc, 清单.pdf with every original and its integrity values over as many pages as it takes,
// and the label and sleeve insert; a further copy marked as one, the original never.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReportFontUnavailable } from '../../src-main/reports';
import {
  discLabelPdf,
  discReadmePdf,
  evidenceListPdf,
  MANIFEST_FORMAT,
  VERIFY_SH,
  type DiscManifest,
  type DiscReadmeInfo,
} from '../../src-main/disc';

const OUT = join('test-output', 'disc-documents');

const hex = (seed: string, algorithm = 'sha256') =>
  createHash(algorithm).update(seed).digest('hex');

const FINGERPRINTS = {
  sm2: { sha256: hex('sm2 key'), sm3: hex('sm2 key', 'sm3') },
  ed25519: { sha256: hex('ed25519 key') },
};

const CASE = '金普民宗罚〔2026〕12号';

function readmeInfo(copy: number): DiscReadmeInfo {
  return {
    stationId: 'CJZ-0201',
    setId: 'DS-2026-0007',
    n: 2,
    of: 3,
    copy,
    volumeId: 'EVD_2026_0007_2',
    medium: 'bd-25',
    createdAt: '2026-07-01T09:30:00+08:00',
    createdBy: { badge: '010001', name: '张三' },
    fingerprints: FINGERPRINTS,
    files: 300,
    bytes: 23_456_789_012,
  };
}

function manifest(files: number, copy = 1): DiscManifest {
  return {
    format: MANIFEST_FORMAT,
    station: { id: 'CJZ-0201', keys: FINGERPRINTS },
    set: { id: 'DS-2026-0007', discs: 3 },
    disc: { n: 2, copy, volumeId: 'EVD_2026_0007_2', medium: 'bd-25' },
    createdAt: '2026-07-01T09:30:00+08:00',
    createdBy: '010001',
    files: Array.from({ length: files }, (_, i) => ({
      path: `evidence/${i % 2 === 0 ? CASE : 'no-case'}/01000${i % 3}/2026-06-${String(10 + (i % 20)).padStart(2, '0')}/VID_${String(i + 1).padStart(4, '0')}.MP4`,
      size: 1_000_000 + i * 7919,
      sha256: hex(`clip ${i}`),
      sm3: hex(`clip ${i}`, 'sm3'),
      clipId: i + 1,
      recordedStart: `2026-06-10T08:${String(i % 60).padStart(2, '0')}:00+08:00`,
      recordedEnd: `2026-06-10T09:${String(i % 60).padStart(2, '0')}:30+08:00`,
      recorderSerial: `DSJ-A8-${1000 + (i % 4)}`,
      officerBadge: `01000${i % 3}`,
      caseNumber: i % 2 === 0 ? CASE : null,
      custodyAt: '2026-06-10T18:00:00+08:00',
    })),
  };
}

function poppler(tool: 'pdftotext' | 'pdffonts' | 'pdfinfo', args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The PDF saved under test-output/ (to look at), its text and its number of pages. */
function read(pdf: Buffer, name: string): { file: string; text: string; pages: string[] } {
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, name);
  writeFileSync(file, pdf);
  const count = Number(/^Pages:\s+(\d+)/m.exec(poppler('pdfinfo', [file]))?.[1]);
  const text = poppler('pdftotext', ['-enc', 'UTF-8', file, '-']);
  const pages = text.split('\f').slice(0, count);
  expect(pages).toHaveLength(count);
  return { file, text, pages };
}

/** A command as a reader would type it: lines ending in `\` joined, as sh joins them. */
const joined = (text: string) => text.replace(/[ \t]*\\\n\s*/g, ' ');

beforeAll(() => {
  for (const tool of ['pdftotext', 'pdffonts', 'pdfinfo'] as const) {
    try {
      poppler(tool, ['-v']);
    } catch (e) {
      throw new Error(
        `${tool} is missing: these tests read the PDFs back with poppler. ` +
          `Install it: apt-get install poppler-utils (${(e as Error).message})`,
      );
    }
  }
});

describe('README.pdf', () => {
  it('says what the disc is in Chinese, then in English, with its fingerprints and the font embedded', async () => {
    const { file, text } = read(await discReadmePdf(readmeInfo(1)), 'readme-original.pdf');
    const zh = text.indexOf('长期保存证据光盘说明');
    const en = text.indexOf('Long-term evidence disc: read this first');
    expect(zh).toBeGreaterThanOrEqual(0);
    expect(en).toBeGreaterThan(zh);
    for (const shown of [
      'CJZ-0201',
      'DS-2026-0007',
      'EVD_2026_0007_2',
      '第 2 张，共 3 张',
      'disc 2 of 3',
      'BD 25 GB',
      '010001 张三',
      '2026-07-01 09:30:00 +08:00',
      '300 个，共 21.8 GB (23,456,789,012 B)',
      FINGERPRINTS.sm2.sha256,
      FINGERPRINTS.sm2.sm3,
      FINGERPRINTS.ed25519.sha256,
      // What is on the disc.
      'evidence/<案号>/<执法证号>/<录制日期>/',
      'evidence/<case>/<badge>/<date>/',
      'MANIFEST.sha256, MANIFEST.sm3',
      'keys/',
      'FINGERPRINTS.txt',
      '清单.pdf',
      'custody.json',
      'DISCSET.txt',
      'par2/',
      'verify/verify.sh, verify/verify.ps1',
    ]) {
      expect(text, shown).toContain(shown);
    }
    // Both fingerprints in each language.
    expect(text.split(FINGERPRINTS.ed25519.sha256)).toHaveLength(3);

    const fonts = poppler('pdffonts', [file]);
    const cid = fonts.split('\n').filter((l) => /CID/.test(l));
    expect(cid.length, fonts).toBeGreaterThan(0);
    expect(
      cid.every((l) => /\byes\s+yes\s+yes\s+\d+\s+\d+\s*$/.test(l)),
      fonts,
    ).toBe(true);
  });

  it('gives the exact commands that verify the disc, the same ones verify.sh runs', async () => {
    const { text } = read(await discReadmePdf(readmeInfo(1)), 'readme-commands.pdf');
    const commands = joined(text);
    const ed25519 =
      'openssl pkeyutl -verify -pubin -inkey keys/ed25519.pub.pem -rawin -in MANIFEST.json -sigfile MANIFEST.json.ed25519';
    const sm2 =
      'openssl pkeyutl -verify -pubin -inkey keys/sm2.pub.pem -rawin -digest sm3 -pkeyopt distid:1234567812345678 -in MANIFEST.json -sigfile MANIFEST.json.sm2';
    for (const command of [
      'sh verify/verify.sh',
      'sha256sum -c MANIFEST.sha256',
      'shasum -a 256 -c MANIFEST.sha256',
      ed25519,
      sm2,
      'openssl pkey -pubin -in keys/sm2.pub.pem -outform DER | sha256sum',
      'openssl pkey -pubin -in keys/ed25519.pub.pem -outform DER | sha256sum',
      'powershell -ExecutionPolicy Bypass -File verify\\verify.ps1',
      'par2 repair par2/evidence.par2',
    ]) {
      // Once in each language.
      expect(commands.split(command).length - 1, command).toBe(2);
    }
    // verify.sh checks each signed file with the same OpenSSL arguments.
    const script = joined(VERIFY_SH)
      .replaceAll('"$signed"', 'MANIFEST.json')
      .replaceAll('"$signed.', 'MANIFEST.json.')
      .replaceAll('ed25519" ', 'ed25519 ')
      .replaceAll('sm2" ', 'sm2 ');
    expect(script).toContain(`${ed25519} >/dev/null`);
    expect(script).toContain(`${sm2} >/dev/null`);
    expect(script).toContain('openssl pkey -pubin -in keys/sm2.pub.pem -outform DER');
  });

  it('marks a further copy 副本 / COPY on every page, and the original nowhere', async () => {
    const original = read(await discReadmePdf(readmeInfo(1)), 'readme-original.pdf');
    expect(original.text).not.toContain('副本');
    expect(original.text).not.toContain('COPY');
    expect(original.text).toContain('第 1 份（正本）');

    const copy = read(await discReadmePdf(readmeInfo(2)), 'readme-copy.pdf');
    expect(copy.text).toContain('第 2 份（副本）');
    expect(copy.text).toContain('本盘为第 2 份，内容与正本逐字节相同');
    expect(copy.text).toContain('This disc is copy 2.');
    for (const page of copy.pages) expect(page).toContain('副本 / COPY');
  });

  it('is the same file for the same disc, dated when the disc was made', async () => {
    const [a, b] = await Promise.all([discReadmePdf(readmeInfo(1)), discReadmePdf(readmeInfo(1))]);
    expect(a.equals(b)).toBe(true);
    const { file } = read(a, 'readme-dated.pdf');
    const info = poppler('pdfinfo', ['-isodates', file]);
    expect(info).toMatch(/^CreationDate:\s+2026-07-01T01:30:00Z$/m);
    expect(info).toMatch(
      /^Title:\s+长期保存证据光盘说明 \/ Long-term evidence disc: read this first · EVD_2026_0007_2$/m,
    );
    expect(info).toMatch(/^Author:\s+010001 张三$/m);
  });
});

describe('清单.pdf, the electronic data list', () => {
  it('lists every file with its SHA-256 and SM3 on one page for a few files, with lines to sign', async () => {
    const m = manifest(3);
    const sha = hex('manifest of 3');
    const { text, pages } = read(
      await evidenceListPdf(m, {
        createdBy: { badge: '010001', name: '张三' },
        unitName: '金普新区综合行政执法局',
        manifestSha256: sha,
      }),
      'list-3.pdf',
    );
    expect(pages).toHaveLength(1);
    expect(text).toContain('电子数据清单');
    expect(text).toContain('Electronic data list');
    expect(text).toContain(
      `案号 Case number(s)：${CASE}；无（日常执法） / none (daily enforcement)`,
    );
    expect(text).toContain('金普新区综合行政执法局');
    expect(text).toContain('视听资料');
    for (const f of m.files) {
      expect(text).toContain(`SHA-256 ${f.sha256}`);
      expect(text).toContain(`SM3 ${f.sm3!}`);
      expect(text).toContain(f.path.split('/').pop()!);
    }
    expect(text).toContain('MP4');
    expect(text).toContain('2026-06-10 08:01:00 +08:00');
    expect(text).toContain('DSJ-A8-1001');
    for (const line of [
      '收集人 Collector(s)：',
      '见证人 Witness：',
      '持有人 Holder：',
      '日期 Date：',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toContain('第 1 页 共 1 页 / Page 1 of 1');
    expect(text).toContain(`MANIFEST.json 的 SHA-256 / SHA-256 of MANIFEST.json：${sha}`);
    expect(text).toContain('EVD_2026_0007_2');
    expect(text).toContain('DS-2026-0007');
    expect(text).not.toContain('COPY');
  });

  it('runs over as many pages as 300 files take, the header and the footer on each', async () => {
    const m = manifest(300, 2);
    const sha = hex('manifest of 300');
    const { text, pages } = read(
      await evidenceListPdf(m, {
        createdBy: { badge: '010001', name: '张三' },
        manifestSha256: sha,
      }),
      'list-300.pdf',
    );
    expect(pages.length).toBeGreaterThan(10);
    for (const f of m.files) {
      expect(text).toContain(`SHA-256 ${f.sha256}`);
      expect(text).toContain(`SM3 ${f.sm3!}`);
    }
    expect(text).toContain('VID_0300.MP4');
    pages.forEach((page, i) => {
      expect(page).toContain(
        `第 ${i + 1} 页 共 ${pages.length} 页 / Page ${i + 1} of ${pages.length}`,
      );
      expect(page).toContain(sha);
      expect(page).toContain('副本 / COPY');
    });
    // Every page with rows of the table has its header.
    const withRows = pages.filter((p) => /SM3 [0-9a-f]{64}/.test(p));
    expect(withRows.length).toBeGreaterThan(10);
    for (const page of withRows) {
      expect(page).toContain('完整性校验值');
      expect(page).toContain('Integrity values');
    }
    expect(pages.at(-1)).toContain('持有人 Holder：');
  });
});

describe('the disc label and sleeve insert', () => {
  const label = (copy: number, caseNumbers = [CASE]) => ({
    caseNumbers,
    setId: 'DS-2026-0007',
    n: 2,
    of: 3,
    copy,
    volumeId: 'EVD_2026_0007_2',
    burnedAt: '2026-07-01T09:30:00+08:00',
    manifestSha256: hex('manifest'),
  });

  it('shows the disc, its cases and the manifest fingerprint on one page, ORIGINAL for the first copy', async () => {
    const sha = hex('manifest');
    const { text, pages, file } = read(await discLabelPdf(label(1)), 'label-original.pdf');
    expect(pages).toHaveLength(1);
    expect(text).toContain('EVD_2026_0007_2');
    expect(text).toContain('DS-2026-0007');
    expect(text).toContain(CASE);
    expect(text).toContain('第 2 张，共 3 张 / disc 2 of 3');
    expect(text).toContain('2026-07-01');
    const short = sha.slice(0, 16).toUpperCase().match(/.{4}/g)!.join(' ');
    // On the circle and on the sleeve, and the full value on the sleeve.
    expect(text.split(short)).toHaveLength(3);
    expect(text).toContain(sha);
    expect(text).toContain('正本 / ORIGINAL');
    expect(text).not.toContain('副本');
    expect(text).not.toContain('COPY');
    expect(poppler('pdfinfo', ['-isodates', file])).toMatch(
      /^CreationDate:\s+2026-07-01T01:30:00Z$/m,
    );
  });

  it('says 副本 / COPY on a further copy, and counts the case numbers that do not fit', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `金普民宗罚〔2026〕${i + 1}号`);
    const { text } = read(await discLabelPdf(label(2, many)), 'label-copy.pdf');
    expect(text.split('副本 / COPY')).toHaveLength(3);
    expect(text).not.toContain('正本 / ORIGINAL');
    expect(text).toContain('共 40 件 / 40 in all');
    expect(text).toContain('金普民宗罚〔2026〕1号');
  });
});

describe('the font', () => {
  const saved = process.env['EVIDOCK_REPORT_FONT'];
  afterEach(() => {
    if (saved === undefined) delete process.env['EVIDOCK_REPORT_FONT'];
    else process.env['EVIDOCK_REPORT_FONT'] = saved;
  });

  it('is the one EVIDOCK_REPORT_FONT names, as for the compliance report, and a missing one says how to fix it', async () => {
    process.env['EVIDOCK_REPORT_FONT'] = '/nowhere/font.ttc';
    const made = discReadmePdf(readmeInfo(1));
    await expect(made).rejects.toBeInstanceOf(ReportFontUnavailable);
    await expect(made).rejects.toThrow(/\/nowhere\/font\.ttc.*apt-get install fonts-noto-cjk/);
  });
});
