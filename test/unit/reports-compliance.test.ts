// The D-SUPERVISION compliance report rendered as CSV and PDF. The CSV is parsed back (RFC 4180)
// and checked for the BOM, CRLF and formula injection; the PDF is read back with poppler's
// pdftotext and pdffonts: the Chinese text must be extractable and the CJK font embedded.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ComplianceFigures,
  type ComplianceReport,
  complianceReportSchema,
  PROCEDURAL_ACTS,
} from '../../src-main/contract';
import {
  collectionFaces,
  complianceCsv,
  compliancePdf,
  findReportFont,
  REPORT_FONT_ENV,
  reportStrings,
} from '../../src-main/reports';

const OUT = join('test-output', 'reports');
const COMMA_QUOTE = '王五,"老王"';
const FORMULA = '=HYPERLINK("http://example.invalid","点我")';

function figures(i: number): ComplianceFigures {
  const unlabelled = (i * 7) % 13;
  const lateCustody = (i * 5) % 6;
  const lateCustodyExcepted = Math.min(lateCustody, i % 3);
  const upTo1Day = Math.min(unlabelled, 2);
  const upTo7Days = Math.min(unlabelled - upTo1Day, 3);
  const upTo30Days = Math.min(unlabelled - upTo1Day - upTo7Days, 4);
  return {
    dockings: 3 + (i % 9),
    clips: 20 + ((i * 11) % 40),
    hoursRecorded: Math.round((5 + ((i * 13) % 50) / 3) * 100) / 100,
    lateCustody,
    lateCustodyExcepted,
    lateCustodyUnexcepted: lateCustody - lateCustodyExcepted,
    unlabelled,
    unlabelledOldestDays: unlabelled === 0 ? null : 1 + ((i * 3) % 40) + 0.5,
    unlabelledByAge: {
      upTo1Day,
      upTo7Days,
      upTo30Days,
      over30Days: unlabelled - upTo1Day - upTo7Days - upTo30Days,
    },
    deferrals: i % 4,
    continuityFindings: i % 10 === 0 ? 1 : 0,
    lateCentralStorage: i % 4 === 1 ? 2 : 0,
  };
}

/** D-NO-TAMPER: the keys the station signs its audit checkpoints with, and its last checkpoint. */
const AUDIT_SEAL: ComplianceReport['auditSeal'] = {
  keys: {
    sm2: {
      sha256: '51cf34b083826be84a51b116fe5ab51a78eaff1fd114f2f4dd968a38eda07bf4',
      sm3: '6b9593c59dedac54468f2bd96d459ea540a4ec490a81770b240d1a8fb06a2b32',
    },
    ed25519: { sha256: '1409c978c788efaa7a57457eb8912d3724acad2abe62925715caae86c0a91c66' },
  },
  lastCheckpoint: {
    seq: 4,
    headSeq: 254,
    headHash: '74b337e9457331d416bcdc7962f3600b2f98d09e27a1725d1f606fb1edda2aa9',
    at: '2026-06-30T23:00:00.000Z',
    reason: 'stop',
  },
};

/** D-NO-TAMPER: the archive integrity sweeps of the period, one of which found problems. */
const INTEGRITY: ComplianceReport['integrity'] = {
  sweeps: 30,
  withProblems: 1,
  incomplete: 0,
  last: { finishedAt: '2026-06-30T02:10:00.000Z', ok: false, clipsChecked: 5210, problemCount: 2 },
};

const SPECIAL_NAMES: (string | null)[] = ['张三', '李四', COMMA_QUOTE, FORMULA, null];

function buildReport(officerCount: number): ComplianceReport {
  const officers = Array.from({ length: officerCount }, (_, i) => ({
    badge: `J${String(1001 + i).padStart(5, '0')}`,
    name: i < SPECIAL_NAMES.length ? (SPECIAL_NAMES[i] ?? null) : `执法员${i + 1}`,
    ...figures(i),
  }));
  const sum = (f: (o: ComplianceFigures) => number) => officers.reduce((n, o) => n + f(o), 0);
  const oldest = officers.map((o) => o.unlabelledOldestDays).filter((d): d is number => d !== null);
  const report: ComplianceReport = {
    from: '2026-06-01',
    to: '2026-06-30',
    generatedAt: '2026-07-01T09:30:00+08:00',
    generatedBy: '法制综合组 赵六',
    unit: {
      officers: officers.length,
      dockings: sum((o) => o.dockings),
      clips: sum((o) => o.clips),
      hoursRecorded: Math.round(sum((o) => o.hoursRecorded) * 100) / 100,
      lateCustody: sum((o) => o.lateCustody),
      lateCustodyExcepted: sum((o) => o.lateCustodyExcepted),
      lateCustodyUnexcepted: sum((o) => o.lateCustodyUnexcepted),
      unlabelled: sum((o) => o.unlabelled),
      unlabelledOldestDays: oldest.length === 0 ? null : Math.max(...oldest),
      unlabelledByAge: {
        upTo1Day: sum((o) => o.unlabelledByAge.upTo1Day),
        upTo7Days: sum((o) => o.unlabelledByAge.upTo7Days),
        upTo30Days: sum((o) => o.unlabelledByAge.upTo30Days),
        over30Days: sum((o) => o.unlabelledByAge.over30Days),
      },
      deferrals: sum((o) => o.deferrals),
      continuityFindings: sum((o) => o.continuityFindings),
      centralTargets: 2,
      lateCentralStorage: sum((o) => o.lateCentralStorage ?? 0),
      casesMissingFootage: [
        {
          number: '金普民宗罚〔2026〕12号',
          title: '某宗教活动场所未经批准扩建案',
          missing: ['site-inspection', 'hearing'],
        },
        {
          number: '+大自贸监罚〔2026〕7号',
          title: '某公司, "无证经营"\n一案',
          missing: ['seizure'],
        },
        {
          number: '抚文市罚〔2026〕3号',
          title: '某网吧接纳未成年人案',
          missing: [...PROCEDURAL_ACTS],
        },
      ],
      casesPastArchiveBy: [
        {
          number: '本民罚〔2026〕1号',
          title: '某社会组织未按规定年检案',
          archiveBy: '2026-06-15T00:00:00+08:00',
        },
        { number: '-金普交罚〔2026〕9号', title: '@某运输公司超限运输案', archiveBy: '2026-06-20' },
      ],
    },
    officers,
    auditSeal: AUDIT_SEAL,
    integrity: INTEGRITY,
    discs: { longTermNotOnDisc: 3, longTermNotOnDiscBytes: 3_000_000_000, dueForCheck: 1 },
  };
  return complianceReportSchema.parse(report);
}

/** The report of a station that had no central storage in the period (D-24H). */
function withoutCentralStorage(report: ComplianceReport): ComplianceReport {
  for (const o of report.officers) o.lateCentralStorage = null;
  report.unit.lateCentralStorage = null;
  report.unit.centralTargets = 0;
  return complianceReportSchema.parse(report);
}

/** RFC 4180: fields split by commas, records by CRLF, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      throw new Error(`a bare line break outside quotes at ${i}`);
    } else field += c;
  }
  if (quoted) throw new Error('an unterminated quoted field');
  if (field !== '' || row.length > 0) throw new Error('the last record has no CRLF');
  return rows;
}

describe('compliance report as CSV', () => {
  const report = buildReport(6);
  const csv = complianceCsv(report, 'zh-CN');
  const text = csv.toString('utf8');
  const rows = parseCsv(text.slice(1));

  it('is UTF-8 with a BOM and CRLF line ends', () => {
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.endsWith('\r\n')).toBe(true);
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'compliance-sample.csv'), csv);
  });

  it('has a header in Chinese, a row per officer, then the unit total', () => {
    const s = reportStrings('zh-CN');
    expect(rows[0]).toEqual([
      '执法证号',
      '姓名',
      '采集次数',
      '音像记录（条）',
      '录制时长（小时）',
      '超24小时存储（条）',
      '其中有例外情形',
      '其中无例外情形',
      '24小时内未存入中心存储（条）',
      '未标注（条）',
      '最久未标注（天）',
      '未标注 ≤1天',
      '未标注 1–7天',
      '未标注 7–30天',
      '未标注 >30天',
      '暂缓标注',
      '连续性异常',
    ]);
    const o = report.officers[0]!;
    expect(rows[1]).toEqual([
      'J01001',
      '张三',
      String(o.dockings),
      String(o.clips),
      String(o.hoursRecorded),
      String(o.lateCustody),
      String(o.lateCustodyExcepted),
      String(o.lateCustodyUnexcepted),
      String(o.lateCentralStorage),
      String(o.unlabelled),
      o.unlabelledOldestDays === null ? '' : String(o.unlabelledOldestDays),
      String(o.unlabelledByAge.upTo1Day),
      String(o.unlabelledByAge.upTo7Days),
      String(o.unlabelledByAge.upTo30Days),
      String(o.unlabelledByAge.over30Days),
      String(o.deferrals),
      String(o.continuityFindings),
    ]);
    expect(rows.slice(1, 7).map((r) => r[0])).toEqual(report.officers.map((o) => o.badge));
    expect(rows[5]?.[1]).toBe(''); // no name on record
    const total = rows[7]!;
    expect(total.slice(0, 4)).toEqual([
      s.unitTotal,
      '共 6 人',
      String(report.unit.dockings),
      String(report.unit.clips),
    ]);
    expect(total).toHaveLength(17);
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and reads them back unchanged', () => {
    expect(text).toContain('"王五,""老王"""');
    expect(rows[3]?.[1]).toBe(COMMA_QUOTE);
    const missing = rows.find((r) => r[0] === "'+大自贸监罚〔2026〕7号");
    expect(missing?.[1]).toBe('某公司, "无证经营"\n一案');
  });

  it('defuses cells that a spreadsheet would run as formulas', () => {
    expect(rows[4]?.[1]).toBe(`'${FORMULA}`);
    expect(text).not.toMatch(/(^|,|\r\n)"?[=+\-@]/);
    const past = rows.find((r) => r[0] === "'-金普交罚〔2026〕9号");
    expect(past?.[1]).toBe("'@某运输公司超限运输案");
  });

  it('lists the cases missing footage with the acts in words, and those past archive-by', () => {
    const blank = rows.findIndex((r) => r.length === 1 && r[0] === '');
    expect(blank).toBe(8);
    expect(rows[9]).toEqual(['缺少音像记录的案件']);
    expect(rows[10]).toEqual(['案号', '案件名称', '缺少音像记录的程序环节']);
    expect(rows[11]).toEqual([
      '金普民宗罚〔2026〕12号',
      '某宗教活动场所未经批准扩建案',
      '现场检查、勘验；听证',
    ]);
    expect(rows[13]?.[2]).toBe(
      '现场检查、勘验；抽样取证；听证；查封、扣押、限制人身自由；留置送达；公告送达；排除妨碍、恢复原状；证据保全；简易程序有争议',
    );
    expect(rows[14]).toEqual(['']);
    expect(rows[15]).toEqual(['逾期未归档的案件']);
    expect(rows[16]).toEqual(['案号', '案件名称', '归档期限']);
    expect(rows[17]).toEqual([
      '本民罚〔2026〕1号',
      '某社会组织未按规定年检案',
      '2026-06-15 00:00 (UTC+08:00)',
    ]);
    expect(rows[18]?.[2]).toBe('2026-06-20');
    const footer = rows.findIndex((r) => r[0] === '统计期间');
    expect(rows.slice(footer, footer + 3)).toEqual([
      ['统计期间', '2026-06-01', '2026-06-30'],
      ['生成时间', '2026-07-01 09:30 (UTC+08:00)'],
      ['生成人', '法制综合组 赵六'],
    ]);
  });

  it('ends with the audit chain seal: both key fingerprints and the last checkpoint (D-NO-TAMPER)', () => {
    const seal = rows.findIndex((r) => r.length === 1 && r[0] === '审计链签名（D-NO-TAMPER）');
    expect(rows.slice(seal - 1)).toEqual([
      [''],
      ['审计链签名（D-NO-TAMPER）'],
      [
        'SM2 公钥指纹（SHA-256）',
        '51CF 34B0 8382 6BE8 4A51 B116 FE5A B51A 78EA FF1F D114 F2F4 DD96 8A38 EDA0 7BF4',
      ],
      [
        'Ed25519 公钥指纹（SHA-256）',
        '1409 C978 C788 EFAA 7A57 457E B891 2D37 24AC AD2A BE62 9257 15CA AE86 C0A9 1C66',
      ],
      [
        '最近检查点',
        `检查点 #4 封存第 #254 条审计记录，2026-06-30 23:00 (UTC)；记录哈希 ${AUDIT_SEAL.lastCheckpoint!.headHash}`,
      ],
    ]);
    const unsealed = buildReport(1);
    unsealed.auditSeal = { keys: null, lastCheckpoint: null };
    const en = parseCsv(complianceCsv(unsealed, 'en').toString('utf8').slice(1));
    expect(en.slice(-3)).toEqual([
      ['Audit chain seal (D-NO-TAMPER)'],
      ['Audit chain seal (D-NO-TAMPER)', 'Signing keys unusable'],
      ['Last checkpoint', 'No checkpoint yet'],
    ]);
  });

  it('says how the archive integrity sweeps of the period went (D-NO-TAMPER)', () => {
    const at = rows.findIndex((r) => r[0] === '存档完整性核查（D-NO-TAMPER）');
    expect(rows.slice(at, at + 3)).toEqual([
      ['存档完整性核查（D-NO-TAMPER）'],
      ['本期核查 30 次，其中发现问题 1 次，未能完成 0 次'],
      ['最近一次：2026-06-30 02:10 (UTC)，核查 5210 条音像记录，发现 2 个问题'],
    ]);
    const none = buildReport(1);
    none.integrity = { sweeps: 0, withProblems: 0, incomplete: 0, last: null };
    const en = parseCsv(complianceCsv(none, 'en').toString('utf8').slice(1));
    const enAt = en.findIndex((r) => r[0] === 'Archive integrity checks (D-NO-TAMPER)');
    expect(en.slice(enAt + 1, enAt + 3)).toEqual([
      ['0 checks in the period: 0 found problems, 0 could not finish'],
      ['no check finished in the period'],
    ]);
  });

  it('counts long-term footage not yet on disc and discs due for a re-check (D-LONGTERM)', () => {
    const at = rows.findIndex((r) => r[0] === '长期保存光盘（D-LONGTERM）');
    expect(rows[at + 1]).toEqual([
      '未刻录到经校验光盘的长期保存音像 3 条，到期待复检光盘 1 张（报告生成时）',
    ]);
    const en = parseCsv(complianceCsv(report, 'en').toString('utf8').slice(1));
    expect(en[en.findIndex((r) => r[0] === 'Long-term discs (D-LONGTERM)') + 1]).toEqual([
      '3 long-term clips not yet on a verified disc; 1 disc due for a re-check (as the report was made)',
    ]);
  });

  it('says how many clips missed central storage within 24 h, or that there was none (D-24H)', () => {
    const at = rows.findIndex((r) => r[0] === '中心存储（D-24H）');
    expect(rows.slice(at - 1, at + 2)).toEqual([
      [''],
      ['中心存储（D-24H）'],
      [
        `本期已配置中心存储 2 个，24小时内未存入中心存储的音像记录 ${report.unit.lateCentralStorage} 条`,
      ],
    ]);
    expect(report.unit.lateCentralStorage).toBeGreaterThan(0);

    // No central storage in the period: no figure (empty cells, not zeros), and the report says so.
    const none = withoutCentralStorage(buildReport(3));
    const zh = parseCsv(complianceCsv(none, 'zh-CN').toString('utf8').slice(1));
    const column = zh[0]!.indexOf('24小时内未存入中心存储（条）');
    expect(zh.slice(1, 5).map((r) => r[column])).toEqual(['', '', '', '']);
    expect(zh[zh.findIndex((r) => r[0] === '中心存储（D-24H）') + 1]).toEqual([
      '本期未配置中心存储',
    ]);
    const en = parseCsv(complianceCsv(none, 'en').toString('utf8').slice(1));
    expect(en[0]?.[column]).toBe('Not in central storage within 24 h');
    expect(en[en.findIndex((r) => r[0] === 'Central storage (D-24H)') + 1]).toEqual([
      'No central storage configured in this period',
    ]);
    const one = buildReport(2);
    one.unit.centralTargets = 1;
    one.unit.lateCentralStorage = 1;
    const enOne = parseCsv(complianceCsv(one, 'en').toString('utf8').slice(1));
    expect(enOne[enOne.findIndex((r) => r[0] === 'Central storage (D-24H)') + 1]).toEqual([
      '1 central storage target in the period; 1 clip not in central storage within 24 h',
    ]);
  });

  it('says "none" for empty case lists, and speaks English when asked', () => {
    const empty = buildReport(2);
    empty.unit.casesMissingFootage = [];
    empty.unit.casesPastArchiveBy = [];
    const en = parseCsv(complianceCsv(empty, 'en').toString('utf8').slice(1));
    expect(en[0]?.slice(0, 4)).toEqual(['Badge', 'Name', 'Dockings', 'Clips']);
    expect(en[3]?.slice(0, 2)).toEqual(['Unit total', '2 officers']);
    expect(en.slice(5, 8)).toEqual([
      ['Cases missing footage'],
      ['Case number', 'Title', 'Procedural acts without footage'],
      ['None'],
    ]);
  });
});

function poppler(tool: 'pdftotext' | 'pdffonts' | 'pdfinfo', args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

describe('compliance report as PDF', () => {
  beforeAll(() => {
    for (const tool of ['pdftotext', 'pdffonts', 'pdfinfo'] as const) {
      try {
        poppler(tool, ['-v']);
      } catch (e) {
        throw new Error(
          `${tool} is missing: the PDF report tests read the PDF back with poppler. ` +
            `Install it: apt-get install poppler-utils (${(e as Error).message})`,
        );
      }
    }
  });

  it('has the Chinese text extractable, the CJK font embedded, and ≥ 2 pages for 60 officers', async () => {
    const report60 = buildReport(60);
    const pdf = await compliancePdf(report60, 'zh-CN');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'compliance-sample.pdf');
    writeFileSync(file, pdf);

    const pages = Number(/^Pages:\s+(\d+)/m.exec(poppler('pdfinfo', [file]))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);

    const text = poppler('pdftotext', ['-enc', 'UTF-8', file, '-']);
    expect(text).toContain('执法记录仪使用合规报告');
    expect(text).toContain('合规');
    expect(text).toContain('张三');
    expect(text).toContain('2026-06-01 至 2026-06-30');
    expect(text).toContain('行政执法人员明细');
    expect(text).toContain('执法员60');
    expect(text).toContain('缺少音像记录的案件');
    expect(text).toContain('现场检查、勘验');
    expect(text).toContain('逾期未归档的案件');
    expect(text).toContain(`第 1 页，共 ${pages} 页`);
    // Page 1 is the summary: its text ends where the first form feed is.
    const first = text.split('\f')[0] ?? '';
    expect(first).toContain('单位汇总');
    expect(first).toContain('最多的 10 名执法人员');
    expect(first).not.toContain('行政执法人员明细');
    expect(first).toContain('存档完整性核查（D-NO-TAMPER）：本期核查 30 次，其中发现问题 1 次');
    // D-24H: the figure, the status line and the rule, all on the summary page.
    expect(first).toContain('中心存储（D-24H）');
    expect(first).toContain(
      `中心存储（D-24H）：本期已配置中心存储 2 个，24小时内未存入中心存储的音像记录 ${report60.unit.lateCentralStorage} 条`,
    );
    expect(first).toContain('24小时内未存入中心存储（D-24H）：采集站接收起24小时内');
    // D-LONGTERM: footage not yet on disc and discs due, on the summary page too.
    expect(first).toContain('长期保存光盘（D-LONGTERM）：未刻录到经校验光盘的长期保存音像 3 条');
    // Every note fits on the summary page.
    expect(first).toContain('逾期未归档的案件：执法行为结束后超过归档期限仍未归档。');

    // D-NO-TAMPER: every page carries the keys' fingerprints and the last checkpoint.
    for (const page of text.split('\f').slice(0, pages)) {
      expect(page).toContain('SM2 公钥指纹（SHA-256）：51CF 34B0 8382 6BE8');
      expect(page).toContain('EDA0 7BF4');
      expect(page).toContain('Ed25519 公钥指纹（SHA-256）：1409 C978');
      expect(page).toContain('检查点 #4 封存第 #254 条审计记录');
    }

    const fonts = poppler('pdffonts', [file]);
    const cid = fonts.split('\n').filter((l) => /CID/.test(l));
    expect(cid.length, fonts).toBeGreaterThan(0);
    // name, type, encoding, then emb / sub / uni: embedded, subset, with a ToUnicode map.
    expect(
      cid.every((l) => /\byes\s+yes\s+yes\s+\d+\s+\d+\s*$/.test(l)),
      fonts,
    ).toBe(true);
    expect(cid[0]).toMatch(/^[A-Z]{6}\+/);
  }, 60_000);

  it('is the same file for the same report (dates from generatedAt), and renders in English', async () => {
    const report = buildReport(8);
    const [a, b] = await Promise.all([
      compliancePdf(report, 'zh-CN'),
      compliancePdf(report, 'zh-CN'),
    ]);
    expect(a.equals(b)).toBe(true);
    const en = await compliancePdf(report, 'en');
    mkdirSync(OUT, { recursive: true });
    const zhFile = join(OUT, 'compliance-sample-8.pdf');
    writeFileSync(zhFile, a);
    expect(poppler('pdfinfo', ['-isodates', zhFile])).toMatch(
      /^CreationDate:\s+2026-07-01T01:30:00Z$/m,
    );

    const file = join(OUT, 'compliance-sample-en.pdf');
    writeFileSync(file, en);
    const text = poppler('pdftotext', ['-enc', 'UTF-8', file, '-']);
    expect(text).toContain('Body-camera compliance report');
    expect(text).toContain('2026-06-01 to 2026-06-30');
    expect(text).toContain('张三'); // names stay as they are
    expect(text).toContain('On-site inspection / survey');
  }, 60_000);

  it('says "none" when nobody falls short and no case is listed', async () => {
    const report = buildReport(1);
    const o = report.officers[0]!;
    Object.assign(o, { unlabelled: 0, lateCustodyUnexcepted: 0 });
    report.unit.casesMissingFootage = [];
    report.unit.casesPastArchiveBy = [];
    const file = join(OUT, 'compliance-empty.pdf');
    mkdirSync(OUT, { recursive: true });
    writeFileSync(file, await compliancePdf(report, 'zh-CN'));
    const text = poppler('pdftotext', ['-enc', 'UTF-8', file, '-']);
    expect(text).toContain('本期没有未标注或超24小时存储的音像记录');
    expect(text).toContain('无');
  }, 60_000);

  it('says "no central storage configured" on the summary page when there was none (D-24H)', async () => {
    const file = join(OUT, 'compliance-no-central-storage.pdf');
    mkdirSync(OUT, { recursive: true });
    writeFileSync(file, await compliancePdf(withoutCentralStorage(buildReport(3)), 'zh-CN'));
    const first = poppler('pdftotext', ['-enc', 'UTF-8', file, '-']).split('\f')[0] ?? '';
    expect(first).toContain('中心存储（D-24H）：本期未配置中心存储');
    expect(first).not.toContain('本期已配置中心存储');
    const en = join(OUT, 'compliance-no-central-storage-en.pdf');
    writeFileSync(en, await compliancePdf(withoutCentralStorage(buildReport(3)), 'en'));
    expect(poppler('pdftotext', ['-enc', 'UTF-8', en, '-'])).toContain(
      'Central storage (D-24H): No central storage configured in this period',
    );
  }, 60_000);
});

describe('the report font', () => {
  const none = () => false;

  it('is the fontPath option, else $EVIDOCK_REPORT_FONT, else a standard location', () => {
    const all = () => true;
    expect(
      findReportFont({ fontPath: '/fonts/a.ttf' }, { [REPORT_FONT_ENV]: '/b.ttf' }, all),
    ).toEqual({
      path: '/fonts/a.ttf',
    });
    expect(findReportFont({}, { [REPORT_FONT_ENV]: '/b.ttc' }, all)).toEqual({ path: '/b.ttc' });
    const debian = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
    expect(findReportFont({}, {}, (p) => p === debian)).toEqual({
      path: debian,
      face: 'NotoSansCJKsc-Regular',
    });
    expect(findReportFont({}, {}, (p) => p.endsWith('msyh.ttc')).face).toBe('MicrosoftYaHei');
  });

  it('fails clearly when a named font is missing or none is installed', () => {
    expect(() => findReportFont({ fontPath: '/nowhere/x.ttf' }, {}, none)).toThrow(
      /\/nowhere\/x\.ttf.*does not exist/,
    );
    expect(() => findReportFont({}, { [REPORT_FONT_ENV]: '/nowhere/y.otf' }, none)).toThrow(
      /EVIDOCK_REPORT_FONT/,
    );
    expect(() => findReportFont({}, {}, none)).toThrow(/fonts-noto-cjk.*EVIDOCK_REPORT_FONT/s);
  });

  it('rejects the PDF with that message rather than rendering boxes', async () => {
    await expect(
      compliancePdf(buildReport(1), 'zh-CN', { fontPath: '/nowhere/x.ttf' }),
    ).rejects.toThrow(/apt-get install fonts-noto-cjk/);
  });

  it('takes a face of a collection by its PostScript name', async () => {
    const { readFileSync } = await import('node:fs');
    const font = findReportFont();
    const faces = collectionFaces(readFileSync(font.path));
    if (font.path.endsWith('.ttc')) {
      expect(faces?.length).toBeGreaterThan(0);
      if (font.face) expect(faces).toContain(font.face);
    } else {
      expect(faces).toBeNull();
    }
  });
});
