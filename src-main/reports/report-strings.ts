// The words of the D-SUPERVISION compliance report, in Chinese and English (Chinese first: the
// station's users are Chinese enforcement units). The CSV and the PDF take every label from here.
import type { ComplianceFigures, ProceduralAct } from '../contract';

export const REPORT_LOCALES = ['zh-CN', 'en'] as const;
export type ReportLocale = (typeof REPORT_LOCALES)[number];

export interface ReportStrings {
  title: string;
  period: string;
  /** "2026-06-01 至 2026-06-30". */
  periodRange: (from: string, to: string) => string;
  generatedAt: string;
  generatedBy: string;
  /** Between a label and its value ("：" or ": "). */
  colon: string;
  /** Between items of a list in one cell ("；" or "; "). */
  listSeparator: string;
  none: string;
  unitFigures: string;
  officersHeading: string;
  /** Figure labels (D-SUPERVISION). */
  badge: string;
  name: string;
  noName: string;
  officers: string;
  officerCount: (n: number) => string;
  unitTotal: string;
  dockings: string;
  clips: string;
  hoursRecorded: string;
  lateCustody: string;
  lateCustodyExcepted: string;
  lateCustodyUnexcepted: string;
  lateCustodyBreakdown: (excepted: number, unexcepted: number) => string;
  /** D-24H: clips not proven on the unit's central storage within 24 h of custody. */
  lateCentralStorage: string;
  unlabelled: string;
  unlabelledOldestDays: string;
  unlabelledOldest: (days: string) => string;
  upTo1Day: string;
  upTo7Days: string;
  upTo30Days: string;
  over30Days: string;
  /** Short bucket names for the summary page. */
  ageBuckets: readonly [string, string, string, string];
  deferrals: string;
  continuityFindings: string;
  /** The figure columns of the PDF table, broken into lines where a narrow column reads best. */
  columnHeads: Record<keyof Omit<ComplianceFigures, 'unlabelledByAge'>, string> &
    Record<keyof ComplianceFigures['unlabelledByAge'], string>;
  /** Cases (D-AV-REQUIRED, D-ARCHIVE). */
  casesMissingFootage: string;
  casesPastArchiveBy: string;
  caseNumber: string;
  caseTitle: string;
  missingActs: string;
  archiveBy: string;
  caseCount: (n: number) => string;
  /** The summary chart. */
  chartTitle: (n: number) => string;
  chartAxis: string;
  chartEmpty: string;
  legendUnlabelled: string;
  legendLateUnexcepted: string;
  /** Notes under the summary. */
  notes: readonly string[];
  seeFollowingPages: string;
  continued: string;
  page: (n: number, of: number) => string;
  /** D-24H: the unit's central storage in the period, and what was not in it on time. */
  centralStorage: string;
  /** Under the figure on the summary page, what it counts. */
  centralStorageLate: string;
  noCentralStorage: string;
  centralStorageLine: (targets: number, late: number) => string;
  /** D-LONGTERM: long-term footage not yet on a verified disc, discs due for a re-check. */
  longTermDiscs: string;
  longTermDiscLine: (notOnDisc: number, due: number) => string;
  /** D-NO-TAMPER: the archive integrity sweeps of the period. */
  integritySweeps: string;
  sweepCounts: (sweeps: number, withProblems: number, incomplete: number) => string;
  lastSweep: (at: string, clips: number, problems: number) => string;
  noSweep: string;
  acts: Record<ProceduralAct, string>;
  /** D-NO-TAMPER: the audit chain's seal, printed on every report. */
  auditSeal: string;
  sm2Fingerprint: string;
  sm2Sm3Fingerprint: string;
  ed25519Fingerprint: string;
  lastCheckpoint: string;
  /** "checkpoint #4 sealed entry #254 at …". */
  checkpointSealed: (seq: number, headSeq: number, at: string) => string;
  entryHash: string;
  noCheckpoint: string;
  keysUnavailable: string;
}

const zhCN: ReportStrings = {
  title: '执法记录仪使用合规报告',
  period: '统计期间',
  periodRange: (from, to) => `${from} 至 ${to}`,
  generatedAt: '生成时间',
  generatedBy: '生成人',
  colon: '：',
  listSeparator: '；',
  none: '无',
  unitFigures: '单位汇总',
  officersHeading: '行政执法人员明细',
  badge: '执法证号',
  name: '姓名',
  noName: '（未登记姓名）',
  officers: '执法人员',
  officerCount: (n) => `共 ${n} 人`,
  unitTotal: '单位合计',
  dockings: '采集次数',
  clips: '音像记录（条）',
  hoursRecorded: '录制时长（小时）',
  lateCustody: '超24小时存储（条）',
  lateCustodyExcepted: '其中有例外情形',
  lateCustodyUnexcepted: '其中无例外情形',
  lateCustodyBreakdown: (e, u) => `有例外 ${e} · 无例外 ${u}`,
  lateCentralStorage: '24小时内未存入中心存储（条）',
  unlabelled: '未标注（条）',
  unlabelledOldestDays: '最久未标注（天）',
  unlabelledOldest: (d) => `最久 ${d} 天`,
  upTo1Day: '未标注 ≤1天',
  upTo7Days: '未标注 1–7天',
  upTo30Days: '未标注 7–30天',
  over30Days: '未标注 >30天',
  ageBuckets: ['≤1天', '1–7天', '7–30天', '>30天'],
  deferrals: '暂缓标注',
  continuityFindings: '连续性异常',
  columnHeads: {
    dockings: '采集\n次数',
    clips: '音像记录\n（条）',
    hoursRecorded: '录制时长\n（小时）',
    lateCustody: '超24小时\n存储（条）',
    lateCustodyExcepted: '其中\n有例外情形',
    lateCustodyUnexcepted: '其中\n无例外情形',
    lateCentralStorage: '24小时内\n未存入中心\n存储（条）',
    unlabelled: '未标注\n（条）',
    unlabelledOldestDays: '最久未标注\n（天）',
    upTo1Day: '未标注\n≤1天',
    upTo7Days: '未标注\n1–7天',
    upTo30Days: '未标注\n7–30天',
    over30Days: '未标注\n>30天',
    deferrals: '暂缓\n标注',
    continuityFindings: '连续性\n异常',
  },
  casesMissingFootage: '缺少音像记录的案件',
  casesPastArchiveBy: '逾期未归档的案件',
  caseNumber: '案号',
  caseTitle: '案件名称',
  missingActs: '缺少音像记录的程序环节',
  archiveBy: '归档期限',
  caseCount: (n) => `${n} 件`,
  chartTitle: (n) => `未标注与超24小时存储（无例外情形）最多的 ${n} 名执法人员`,
  chartAxis: '音像记录（条）',
  chartEmpty: '本期没有未标注或超24小时存储的音像记录。',
  legendUnlabelled: '未标注',
  legendLateUnexcepted: '超24小时存储（无例外情形）',
  notes: [
    '超24小时存储：录制结束后超过24小时才存入采集站；连续工作、异地工作或边远地区的，自返回单位时起算，并记录原因。',
    '24小时内未存入中心存储（D-24H）：采集站接收起24小时内未在本单位中心存储校验无误的音像记录，按接收时间计入期间，未满24小时的不计。',
    '未标注：尚未标注案号（或执法事项）、制作方式、制作时间和制作人的音像记录。',
    '缺少音像记录的案件：应当全过程音像记录的程序环节既无音像记录也无书面说明。',
    '逾期未归档的案件：执法行为结束后超过归档期限仍未归档。',
  ],
  seeFollowingPages: '明细见后页。',
  continued: '（续）',
  page: (n, of) => `第 ${n} 页，共 ${of} 页`,
  centralStorage: '中心存储（D-24H）',
  centralStorageLate: '24小时内未存入（条）',
  noCentralStorage: '本期未配置中心存储',
  centralStorageLine: (targets, late) =>
    `本期已配置中心存储 ${targets} 个，24小时内未存入中心存储的音像记录 ${late} 条`,
  longTermDiscs: '长期保存光盘（D-LONGTERM）',
  longTermDiscLine: (notOnDisc, due) =>
    `未刻录到经校验光盘的长期保存音像 ${notOnDisc} 条，到期待复检光盘 ${due} 张（报告生成时）`,
  integritySweeps: '存档完整性核查（D-NO-TAMPER）',
  sweepCounts: (sweeps, withProblems, incomplete) =>
    `本期核查 ${sweeps} 次，其中发现问题 ${withProblems} 次，未能完成 ${incomplete} 次`,
  lastSweep: (at, clips, problems) =>
    `最近一次：${at}，核查 ${clips} 条音像记录，${problems === 0 ? '完好' : `发现 ${problems} 个问题`}`,
  noSweep: '本期没有完成的核查',
  auditSeal: '审计链签名（D-NO-TAMPER）',
  sm2Fingerprint: 'SM2 公钥指纹（SHA-256）',
  sm2Sm3Fingerprint: 'SM2 公钥指纹（SM3）',
  ed25519Fingerprint: 'Ed25519 公钥指纹（SHA-256）',
  lastCheckpoint: '最近检查点',
  checkpointSealed: (seq, headSeq, at) => `检查点 #${seq} 封存第 #${headSeq} 条审计记录，${at}`,
  entryHash: '记录哈希',
  noCheckpoint: '尚无检查点',
  keysUnavailable: '签名密钥无法使用',
  acts: {
    'site-inspection': '现场检查、勘验',
    sampling: '抽样取证',
    hearing: '听证',
    seizure: '查封、扣押、限制人身自由',
    'service-leaving': '留置送达',
    'service-notice': '公告送达',
    restoration: '排除妨碍、恢复原状',
    preservation: '证据保全',
    'summary-dispute': '简易程序有争议',
  },
};

const en: ReportStrings = {
  title: 'Body-camera compliance report',
  period: 'Period',
  periodRange: (from, to) => `${from} to ${to}`,
  generatedAt: 'Generated at',
  generatedBy: 'Generated by',
  colon: ': ',
  listSeparator: '; ',
  none: 'None',
  unitFigures: 'Unit totals',
  officersHeading: 'Figures per officer',
  badge: 'Badge',
  name: 'Name',
  noName: '(no name on record)',
  officers: 'Officers',
  officerCount: (n) => `${n} ${n === 1 ? 'officer' : 'officers'}`,
  unitTotal: 'Unit total',
  dockings: 'Dockings',
  clips: 'Clips',
  hoursRecorded: 'Hours recorded',
  lateCustody: 'Late custody (>24 h)',
  lateCustodyExcepted: 'of which excepted',
  lateCustodyUnexcepted: 'of which not excepted',
  lateCustodyBreakdown: (e, u) => `excepted ${e} · not ${u}`,
  lateCentralStorage: 'Not in central storage within 24 h',
  unlabelled: 'Unlabelled',
  unlabelledOldestDays: 'Oldest unlabelled (days)',
  unlabelledOldest: (d) => `oldest ${d} days`,
  upTo1Day: 'Unlabelled ≤1 day',
  upTo7Days: 'Unlabelled 1–7 days',
  upTo30Days: 'Unlabelled 7–30 days',
  over30Days: 'Unlabelled >30 days',
  ageBuckets: ['≤1 day', '1–7 days', '7–30 days', '>30 days'],
  deferrals: 'Labelling deferred',
  continuityFindings: 'Continuity findings',
  columnHeads: {
    dockings: 'Dock-\nings',
    clips: 'Clips',
    hoursRecorded: 'Hours\nrecorded',
    lateCustody: 'Late\ncustody',
    lateCustodyExcepted: 'of which\nexcepted',
    lateCustodyUnexcepted: 'of which\nnot\nexcepted',
    lateCentralStorage: 'Not in\ncentral\nstorage\nin 24 h',
    unlabelled: 'Unla-\nbelled',
    unlabelledOldestDays: 'Oldest\nunla-\nbelled\n(days)',
    upTo1Day: 'Unla-\nbelled\n≤1 day',
    upTo7Days: 'Unla-\nbelled\n1–7 days',
    upTo30Days: 'Unla-\nbelled\n7–30 days',
    over30Days: 'Unla-\nbelled\n>30 days',
    deferrals: 'Label-\nling\ndeferred',
    continuityFindings: 'Conti-\nnuity\nfindings',
  },
  casesMissingFootage: 'Cases missing footage',
  casesPastArchiveBy: 'Cases past archive-by',
  caseNumber: 'Case number',
  caseTitle: 'Title',
  missingActs: 'Procedural acts without footage',
  archiveBy: 'Archive by',
  caseCount: (n) => `${n} ${n === 1 ? 'case' : 'cases'}`,
  chartTitle: (n) =>
    `Unlabelled clips and late custody without exception: top ${n} ${n === 1 ? 'officer' : 'officers'}`,
  chartAxis: 'Clips',
  chartEmpty: 'No unlabelled clips and no late custody in this period.',
  legendUnlabelled: 'Unlabelled',
  legendLateUnexcepted: 'Late custody, no exception',
  notes: [
    'Late custody: stored at the station more than 24 hours after the recording ended; for continuous duty, off-site duty or remote areas, counted from the return to the unit, with the reason recorded.',
    "Not in central storage within 24 h (D-24H): clips not proven on the unit's central storage within 24 hours of custody at the station, counted in the period of custody; clips still inside their 24 hours are not counted.",
    'Unlabelled: clips still lacking the case number (or matter), production method, production time or producer.',
    'Cases missing footage: a procedural act that must be recorded has neither footage nor a written reason.',
    'Cases past archive-by: not archived by the deadline after the enforcement act ended.',
  ],
  seeFollowingPages: 'Details on the following pages.',
  continued: ' (continued)',
  page: (n, of) => `Page ${n} of ${of}`,
  centralStorage: 'Central storage (D-24H)',
  centralStorageLate: 'clips not stored within 24 h',
  noCentralStorage: 'No central storage configured in this period',
  centralStorageLine: (targets, late) =>
    `${targets} central storage ${targets === 1 ? 'target' : 'targets'} in the period; ${late} ${late === 1 ? 'clip' : 'clips'} not in central storage within 24 h`,
  longTermDiscs: 'Long-term discs (D-LONGTERM)',
  longTermDiscLine: (notOnDisc, due) =>
    `${notOnDisc} long-term ${notOnDisc === 1 ? 'clip' : 'clips'} not yet on a verified disc; ${due} ${due === 1 ? 'disc' : 'discs'} due for a re-check (as the report was made)`,
  integritySweeps: 'Archive integrity checks (D-NO-TAMPER)',
  sweepCounts: (sweeps, withProblems, incomplete) =>
    `${sweeps} ${sweeps === 1 ? 'check' : 'checks'} in the period: ${withProblems} found problems, ${incomplete} could not finish`,
  lastSweep: (at, clips, problems) =>
    `last: ${at}, ${clips} ${clips === 1 ? 'clip' : 'clips'} checked, ${problems === 0 ? 'intact' : `${problems} ${problems === 1 ? 'problem' : 'problems'} found`}`,
  noSweep: 'no check finished in the period',
  auditSeal: 'Audit chain seal (D-NO-TAMPER)',
  sm2Fingerprint: 'SM2 public key fingerprint (SHA-256)',
  sm2Sm3Fingerprint: 'SM2 public key fingerprint (SM3)',
  ed25519Fingerprint: 'Ed25519 public key fingerprint (SHA-256)',
  lastCheckpoint: 'Last checkpoint',
  checkpointSealed: (seq, headSeq, at) =>
    `checkpoint #${seq} sealed audit entry #${headSeq}, ${at}`,
  entryHash: 'Entry hash',
  noCheckpoint: 'No checkpoint yet',
  keysUnavailable: 'Signing keys unusable',
  acts: {
    'site-inspection': 'On-site inspection / survey',
    sampling: 'Sampling',
    hearing: 'Hearing',
    seizure: 'Seizure, detention of property, restriction of personal freedom',
    'service-leaving': 'Service by leaving documents',
    'service-notice': 'Service by public notice',
    restoration: 'Removal of obstruction / restoration',
    preservation: 'Evidence preservation',
    'summary-dispute': 'Disputed summary procedure',
  },
};

const STRINGS: Record<ReportLocale, ReportStrings> = { 'zh-CN': zhCN, en };

export function reportStrings(locale: ReportLocale): ReportStrings {
  return STRINGS[locale];
}

/** A procedural act (D-AV-REQUIRED) in the locale's words. */
export function actName(act: ProceduralAct, locale: ReportLocale): string {
  return STRINGS[locale].acts[act];
}

/** A number of hours or days as shown: whole numbers plain, others to one decimal. */
export function formatAmount(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '';
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/**
 * A timestamp as people read it: "2026-07-01T09:30:00+08:00" becomes "2026-07-01 09:30 (UTC+08:00)".
 * The report's own offset is kept, so the output does not depend on the machine's time zone.
 * Anything that is not an ISO timestamp (a plain date, say) is shown as it is.
 */
export function formatTimestamp(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(
    iso,
  );
  if (!m) return iso;
  const zone = m[3] === undefined ? '' : m[3] === 'Z' ? ' (UTC)' : ` (UTC${m[3]})`;
  return `${m[1]} ${m[2]}${zone}`;
}
