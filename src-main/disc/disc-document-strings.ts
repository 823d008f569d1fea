// The words of the documents a long-term evidence disc carries (README.pdf, 清单.pdf) and of its
// printed label, in Chinese and English. Chinese comes first: the readers are Chinese enforcement
// units, courts and archives; the English is there for a reader years from now who has no Chinese.
// Every document shows both, so the code asks for both and puts zh-CN first.

export const DISC_DOCUMENT_LOCALES = ['zh-CN', 'en'] as const;
export type DiscDocumentLocale = (typeof DISC_DOCUMENT_LOCALES)[number];

/** What README.pdf says a disc holds, in the order it says it. */
export const DISC_CONTENT_ENTRIES = [
  'evidence',
  'manifest',
  'checksums',
  'signatures',
  'keys',
  'evidenceList',
  'custody',
  'discSet',
  'recovery',
  'verifiers',
  'readme',
] as const;
export type DiscContentEntry = (typeof DISC_CONTENT_ENTRIES)[number];

/** The steps of README.pdf's "how to verify", each with its commands. */
export const VERIFY_STEPS = [
  'script',
  'byHand',
  'signatures',
  'keys',
  'windows',
  'repair',
] as const;
export type VerifyStep = (typeof VERIFY_STEPS)[number];

export interface DiscDocumentStrings {
  /** Between a label and its value ("：" or ": "). */
  colon: string;
  /** Between the items of a list on one line ("；" or "; "). */
  listSeparator: string;
  /** Marks for the first copy of a disc and for every further one (D-LONGTERM). */
  original: string;
  copy: string;
  /** "第 2 张，共 3 张". */
  discOf: (n: number, of: number) => string;
  page: (n: number, of: number) => string;
  unknown: string;

  readmeTitle: string;
  readmeIntro: (stationId: string) => string;
  /** Under the COPY mark: what a further copy is. */
  copyNote: (copy: number) => string;
  station: string;
  set: string;
  disc: string;
  copyNumber: string;
  copyValue: (copy: number) => string;
  medium: string;
  volumeId: string;
  madeBy: string;
  madeAt: string;
  originals: string;
  originalsValue: (files: number, size: string) => string;
  contentsHeading: string;
  /** How the folders of the originals are named. */
  evidencePattern: string;
  contents: Record<DiscContentEntry, string>;
  verifyHeading: string;
  verifyIntro: string;
  verify: Record<VerifyStep, { title: string; text: string; after?: string }>;
  fingerprintsHeading: string;
  fingerprintsNote: string;
  sm2Sha256: string;
  sm2Sm3: string;
  ed25519Sha256: string;

  listTitle: string;
  continued: string;
  caseNumbers: string;
  noCase: string;
  unit: string;
  preparedBy: string;
  preparedAt: string;
  totals: string;
  categoryNote: string;
  columns: {
    no: string;
    name: string;
    category: string;
    format: string;
    size: string;
    integrity: string;
    recorded: string;
    badge: string;
    serial: string;
  };
  category: string;
  collector: string;
  witness: string;
  holder: string;
  date: string;
  manifestSha256: string;

  labelTitle: string;
  labelDate: string;
  labelFingerprint: string;
  /** After the case numbers that fit on a label: how many there are. */
  caseCount: (n: number) => string;
  cutGuide: string;
}

const zhCN: DiscDocumentStrings = {
  colon: '：',
  listSeparator: '；',
  original: '正本',
  copy: '副本',
  discOf: (n, of) => `第 ${n} 张，共 ${of} 张`,
  page: (n, of) => `第 ${n} 页 共 ${of} 页`,
  unknown: '不详',

  readmeTitle: '长期保存证据光盘说明',
  readmeIntro: (stationId) =>
    `本光盘由采集站 ${stationId} 刻录，保存执法记录仪音像记录的原始文件，供长期保存（D-LONGTERM）。` +
    '光盘刻录后内容不能更改（D-NO-TAMPER）：任何人都可以按下面的步骤，只用通用工具核对每个文件与刻录时完全一致、' +
    '清单由本单位采集站的密钥签名。',
  copyNote: (copy) => `本盘为第 ${copy} 份，内容与正本逐字节相同，可独立校验。`,
  station: '采集站',
  set: '光盘组',
  disc: '光盘',
  copyNumber: '份号',
  copyValue: (copy) => `第 ${copy} 份（${copy >= 2 ? '副本' : '正本'}）`,
  medium: '介质',
  volumeId: '卷标',
  madeBy: '制作人',
  madeAt: '制作时间',
  originals: '原始文件',
  originalsValue: (files, size) => `${files} 个，共 ${size}`,
  contentsHeading: '光盘内容',
  evidencePattern: 'evidence/<案号>/<执法证号>/<录制日期>/',
  contents: {
    evidence:
      '音像记录原始文件，与采集时逐字节相同，未经转码或剪辑；没有案号的日常执法记录在 no-case 目录下。',
    manifest: '清单：每个原始文件的路径、大小、SHA-256 和 SM3 值、录制时间、执法人员和记录仪。',
    checksums:
      '光盘上每个文件（先是原始文件，再是其余各文件）的 SHA-256 值和 SM3 值，格式与 sha256sum 相同；不在其中的文件不属于本光盘。',
    signatures: '上面三个清单文件各自的 SM2 签名和 Ed25519 签名。',
    keys: '验证签名用的采集站公钥（sm2.pub.pem、ed25519.pub.pem）及其指纹（FINGERPRINTS.txt）。',
    evidenceList: '电子数据清单，供收集人、见证人、持有人签名。',
    custody: '保管记录：这些原始文件的审计记录及覆盖它们的签名检查点，可用 keys/ 中的公钥核对。',
    discSet:
      '本光盘组每张光盘上的全部原始文件（SHA-256 值、大小、路径），据此可找到组内其他光盘上的文件。',
    recovery: '恢复数据（par2），光盘部分损坏时可用来修复原始文件。',
    verifiers: '校验程序：Linux/macOS 用 verify.sh，Windows 用 verify.ps1。',
    readme: '本说明。',
  },
  verifyHeading: '如何校验本光盘',
  verifyIntro: '以下命令都在光盘根目录（本文件所在的目录）中运行，只需要通用工具。',
  verify: {
    script: {
      title: '一、Linux 或 macOS：运行校验程序',
      text: '需要 sha256sum 或 shasum；校验签名需要 OpenSSL 3。',
      after:
        '逐个文件显示 PASS 或 FAIL，清单以外的文件显示 EXTRA，然后显示签名结果、公钥指纹和合计。' +
        '只有全部文件和全部签名都通过时，退出码才为 0。',
    },
    byHand: {
      title: '二、手工核对原始文件',
      text: 'macOS 用第二条命令。MANIFEST.sm3 中是 SM3 值，格式相同，可用 SM3 工具核对。',
      after: '这两条命令不会发现清单以外多出的文件；校验程序会。',
    },
    signatures: {
      title: '三、核对清单的签名（OpenSSL 3）',
      text: '每条命令都应显示 Signature Verified Successfully。',
      after:
        '对 MANIFEST.sha256 和 MANIFEST.sm3 各重复一次，把命令中的 MANIFEST.json 换成该文件名。',
    },
    keys: {
      title: '四、核对公钥指纹',
      text: '计算光盘上两个公钥的指纹：',
      after:
        '结果应与下面印出的指纹以及本单位公布的指纹一致。任何人都能用自己的密钥签名，只有指纹能证明签名出自本单位。',
    },
    windows: {
      title: '五、Windows',
      text: '在光盘根目录打开 PowerShell 运行：',
      after:
        '它只核对 SHA-256 值，不能核对签名，因此结束时总是返回 1；签名请用 OpenSSL 3 按第三步核对。',
    },
    repair: {
      title: '六、光盘损坏时修复',
      text: '把整张光盘复制到一个可写的目录，在该目录中运行：',
      after: '修复后按第一步再次校验。修复的是复制件，光盘本身不变。',
    },
  },
  fingerprintsHeading: '本光盘的签名公钥指纹',
  fingerprintsNote: '与 keys/FINGERPRINTS.txt、verify.sh 显示的指纹以及本单位公布的指纹核对。',
  sm2Sha256: 'SM2 公钥指纹（SHA-256）',
  sm2Sm3: 'SM2 公钥指纹（SM3）',
  ed25519Sha256: 'Ed25519 公钥指纹（SHA-256）',

  listTitle: '电子数据清单',
  continued: '（续）',
  caseNumbers: '案号',
  noCase: '无（日常执法）',
  unit: '单位',
  preparedBy: '制作人',
  preparedAt: '制作时间',
  totals: '文件数量及大小',
  categoryNote: '类别：视听资料（执法记录仪音像记录），均为原始文件',
  columns: {
    no: '序号',
    name: '名称（光盘上的路径）',
    category: '类别',
    format: '格式',
    size: '大小',
    integrity: '完整性校验值',
    recorded: '录制起止时间',
    badge: '执法证号',
    serial: '记录仪编号',
  },
  category: '视听资料',
  collector: '收集人',
  witness: '见证人',
  holder: '持有人',
  date: '日期',
  manifestSha256: 'MANIFEST.json 的 SHA-256',

  labelTitle: '长期保存证据光盘',
  labelDate: '刻录日期',
  labelFingerprint: '清单指纹',
  caseCount: (n) => `共 ${n} 件`,
  cutGuide: '沿实线剪下；虚线圆为光盘中孔（15 mm）和不可打印区（41 mm）。',
};

const en: DiscDocumentStrings = {
  colon: ': ',
  listSeparator: '; ',
  original: 'ORIGINAL',
  copy: 'COPY',
  discOf: (n, of) => `disc ${n} of ${of}`,
  page: (n, of) => `Page ${n} of ${of}`,
  unknown: 'unknown',

  readmeTitle: 'Long-term evidence disc: read this first',
  readmeIntro: (stationId) =>
    `This disc was burned by collection station ${stationId}. It holds the original files of ` +
    'body-camera recordings, kept long-term (D-LONGTERM). What was burned cannot be changed ' +
    '(D-NO-TAMPER): anyone can follow the steps below, with standard tools only, to check that ' +
    "every file is exactly as burned and that the list of files was signed with the unit's station keys.",
  copyNote: (copy) =>
    `This disc is copy ${copy}. Its content is byte-for-byte that of the original, and it can be verified on its own.`,
  station: 'Station',
  set: 'Disc set',
  disc: 'Disc',
  copyNumber: 'Copy',
  copyValue: (copy) => `${copy} (${copy >= 2 ? 'a further copy' : 'the original'})`,
  medium: 'Medium',
  volumeId: 'Volume ID',
  madeBy: 'Made by',
  madeAt: 'Made at',
  originals: 'Originals',
  originalsValue: (files, size) => `${files} ${files === 1 ? 'file' : 'files'}, ${size}`,
  contentsHeading: 'What is on this disc',
  evidencePattern: 'evidence/<case>/<badge>/<date>/',
  contents: {
    evidence:
      'The original recordings, byte-for-byte as collected, never transcoded or cut; daily enforcement without a case number is under no-case.',
    manifest:
      "The manifest: each original's path, size, SHA-256 and SM3 values, recording times, officer and recorder.",
    checksums:
      "The SHA-256 and SM3 values of every file on the disc (the originals first, then the rest), in sha256sum's format; a file not in them is not part of this disc.",
    signatures: 'The SM2 and Ed25519 signatures of each of the three lists above.',
    keys: "The station's public keys that check the signatures (sm2.pub.pem, ed25519.pub.pem) and their fingerprints (FINGERPRINTS.txt).",
    evidenceList: 'The electronic data list, to be signed by collector, witness and holder.',
    custody:
      'The custody record: the audit entries of these originals with the signed checkpoints that cover them, checkable with the keys in keys/.',
    discSet:
      'Every original on every disc of the set (SHA-256, size, path): where the rest of the set is.',
    recovery:
      'Recovery data (par2) that repairs the originals if part of the disc becomes unreadable.',
    verifiers: 'The verifiers: verify.sh for Linux and macOS, verify.ps1 for Windows.',
    readme: 'This document.',
  },
  verifyHeading: 'How to verify this disc',
  verifyIntro:
    'Run every command below in the root folder of the disc (where this file is), with standard tools only.',
  verify: {
    script: {
      title: '1. Linux or macOS: run the verifier',
      text: 'It needs sha256sum or shasum, and OpenSSL 3 for the signatures.',
      after:
        'It prints PASS or FAIL for each file, EXTRA for a file the list leaves out, then the signatures, the key fingerprints and a total. ' +
        'It exits 0 only when every file and every signature passed.',
    },
    byHand: {
      title: '2. Check the originals by hand',
      text: 'On macOS use the second command. MANIFEST.sm3 holds the SM3 values in the same format, for SM3 tools.',
      after: 'These commands do not notice files the list leaves out; the verifier does.',
    },
    signatures: {
      title: '3. Check the signatures of the list (OpenSSL 3)',
      text: 'Each command must print Signature Verified Successfully.',
      after:
        'Repeat both for MANIFEST.sha256 and MANIFEST.sm3, with that name in place of MANIFEST.json.',
    },
    keys: {
      title: '4. Compare the key fingerprints',
      text: 'Compute the fingerprints of the two public keys on the disc:',
      after:
        'They must match the fingerprints printed below and the ones your unit publishes. Anyone can sign with keys of their own: only the fingerprints show that the unit signed.',
    },
    windows: {
      title: '5. Windows',
      text: 'Open PowerShell in the root folder of the disc and run:',
      after:
        'It checks the SHA-256 values only. It cannot check the signatures, so it always ends with exit code 1: check them with OpenSSL 3 as in step 3.',
    },
    repair: {
      title: '6. Repairing a damaged disc',
      text: 'Copy the whole disc into a writable folder and run, in that folder:',
      after: 'Then verify again as in step 1. The repair changes the copy, never the disc.',
    },
  },
  fingerprintsHeading: "Fingerprints of this disc's signing keys",
  fingerprintsNote:
    'Compare them with keys/FINGERPRINTS.txt, with what verify.sh prints and with the ones your unit publishes.',
  sm2Sha256: 'SM2 public key fingerprint (SHA-256)',
  sm2Sm3: 'SM2 public key fingerprint (SM3)',
  ed25519Sha256: 'Ed25519 public key fingerprint (SHA-256)',

  listTitle: 'Electronic data list',
  continued: ' (continued)',
  caseNumbers: 'Case number(s)',
  noCase: 'none (daily enforcement)',
  unit: 'Unit',
  preparedBy: 'Prepared by',
  preparedAt: 'Prepared at',
  totals: 'Files and size',
  categoryNote: 'Category: audio-visual material (body-camera recordings), all originals',
  columns: {
    no: 'No.',
    name: 'Name (path on the disc)',
    category: 'Category',
    format: 'Format',
    size: 'Size',
    integrity: 'Integrity values',
    recorded: 'Recorded from / to',
    badge: 'Officer badge',
    serial: 'Recorder serial',
  },
  category: 'Audio-visual',
  collector: 'Collector(s)',
  witness: 'Witness',
  holder: 'Holder',
  date: 'Date',
  manifestSha256: 'SHA-256 of MANIFEST.json',

  labelTitle: 'Long-term evidence disc',
  labelDate: 'Burned',
  labelFingerprint: 'Manifest fingerprint',
  caseCount: (n) => `${n} in all`,
  cutGuide:
    'Cut along the solid lines; the dashed circles are the hub hole (15 mm) and the unprintable ring (41 mm).',
};

const STRINGS: Record<DiscDocumentLocale, DiscDocumentStrings> = { 'zh-CN': zhCN, en };

export function discDocumentStrings(locale: DiscDocumentLocale): DiscDocumentStrings {
  return STRINGS[locale];
}

/** Both languages of one text, Chinese first, joined as the place calls for. */
export function bilingual(pick: (s: DiscDocumentStrings) => string, joiner = ' / '): string {
  return `${pick(zhCN)}${joiner}${pick(en)}`;
}

/** A size as people read it, and the exact bytes a court compares ("1.2 GB (1,234,567 B)"). */
export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const short = unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
  return unit === 0 ? short : `${short} (${bytes.toLocaleString('en-US')} B)`;
}

/**
 * A timestamp as people read it, in the offset it was recorded with (never the machine's):
 * "2026-07-01T09:30:00+08:00" is "2026-07-01 09:30:00 +08:00". Anything else is shown as it is.
 */
export function formatTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]}${m[3] === undefined ? '' : m[3] === 'Z' ? ' UTC' : ` ${m[3]}`}`;
}
