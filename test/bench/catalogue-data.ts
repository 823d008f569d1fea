// A synthetic catalogue for the catalogue bench: a unit of 300 officers over five years, a
// million clips, built once into test-output/bench/catalogue.sqlite and reused while the schema
// (the migrations' SQL) and this generator are unchanged. Deterministic: the same seed gives the
// same catalogue, so runs of the bench ask the same questions of the same data.
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { closeCatalogue, openCatalogue } from '../../src-main/catalogue/open';
import { MIGRATIONS } from '../../src-main/catalogue/migrations';
import { PROCEDURAL_ACTS, STAGES, type EnforcementKind } from '../../src-main/contract';

/** Bump when the generator changes what it writes. */
const GENERATOR_VERSION = 2;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CatalogueShape {
  clips: number;
  officers: number;
  years: number;
  /** The first day of footage (UTC midnight). */
  start: string;
}

export const DEFAULT_SHAPE: CatalogueShape = {
  clips: 1_000_000,
  officers: 300,
  years: 5,
  start: '2021-07-01T00:00:00.000Z',
};

/** What the bench needs to ask realistic questions of the catalogue. */
export interface Sample {
  officers: string[];
  recorders: string[];
  /** Case numbers that have clips. */
  cases: string[];
  /** Words that occur in labels: parties' names and addresses. */
  words: string[];
  /** The day after the last day of footage: the bench's "now". */
  end: string;
  counts: Record<string, number>;
}

interface Stamp {
  stamp: string;
  sample: Sample;
}

function stampOf(shape: CatalogueShape): string {
  const hash = createHash('sha256');
  for (const m of MIGRATIONS) hash.update(`${m.version}\0${m.sql}\0`);
  hash.update(JSON.stringify({ shape, GENERATOR_VERSION }));
  return hash.digest('hex');
}

/**
 * The bench catalogue at `file`: reused when its stamp (schema, shape, generator) matches and
 * `rebuild` is false; otherwise built afresh.
 */
export function benchCatalogue(
  file: string,
  shape: CatalogueShape,
  rebuild: boolean,
  progress: (line: string) => void,
): { sample: Sample; built: boolean; seconds: number } {
  const stampFile = `${file}.stamp.json`;
  const stamp = stampOf(shape);
  if (!rebuild && existsSync(file) && existsSync(stampFile)) {
    const saved = JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
    if (saved.stamp === stamp) return { sample: saved.sample, built: false, seconds: 0 };
    progress('the schema or the generator changed: building the catalogue again');
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`, stampFile]) rmSync(f, { force: true });
  const started = performance.now();
  const sample = build(file, shape, progress);
  writeFileSync(stampFile, JSON.stringify({ stamp, sample } satisfies Stamp));
  return { sample, built: true, seconds: (performance.now() - started) / 1000 };
}

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const GIVEN = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉力永健世广海山仁波宁福生龙元全胜学祥才发新利清飞彬富顺信子昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆民友裕河哲江浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘',
];
const DISTRICTS = ['金普新区', '金州区', '开发区', '保税区', '普兰店区'];
const STREETS = [
  '解放路',
  '人民路',
  '中山路',
  '黄河路',
  '长江路',
  '金马路',
  '友谊街',
  '光明街',
  '胜利路',
  '和平路',
  '建设路',
  '新华路',
  '站前街',
  '港湾街',
  '滨海路',
  '金州路',
  '辽河路',
  '松江路',
  '淮河路',
  '五一路',
];
const VENUES = ['', '农贸市场', '某小区', '某工地', '沿街商铺', '某宾馆', '某网吧', '某学校周边'];
const MATTERS = [
  '节前农贸市场巡查',
  '夜间噪声投诉处理',
  '占道经营整治',
  '无证经营检查',
  '食品安全抽检',
  '建筑工地扬尘检查',
  '违规广告牌拆除',
  '宗教活动场所检查',
  '烟花爆竹销售检查',
  '校园周边环境整治',
  '出租屋消防检查',
  '网吧接纳未成年人检查',
  '非法营运查处',
  '渣土车违规处置',
  '违法建设查处',
  '餐饮油烟投诉',
  '燃气安全检查',
  '药品零售检查',
  '价格欺诈投诉',
  '野广告清理',
  '户外烧烤整治',
  '共享单车乱停放整治',
  '河道垃圾清理',
  '违规养犬劝导',
  '露天焚烧处置',
];
const NOTES = [
  '当事人配合检查',
  '已责令限期整改',
  '现场拍照取证',
  '当事人拒绝签字',
  '已下达询问通知书',
  '商户无证经营，已责令停业',
  '现场查封扣押物品',
  '已告知陈述申辩权利',
  '投诉人不在现场',
  '复查已整改到位',
  '当事人情绪激动，已劝离',
  '已送达行政处罚决定书',
];
const CASE_WORD: Record<EnforcementKind, string> = {
  licensing: '许',
  penalty: '罚',
  coercion: '强',
  inspection: '检',
  levy: '征',
  benefit: '给',
  confirmation: '确',
};
const KIND_WEIGHTS: [EnforcementKind, number][] = [
  ['penalty', 0.35],
  ['inspection', 0.3],
  ['coercion', 0.1],
  ['licensing', 0.1],
  ['levy', 0.05],
  ['benefit', 0.05],
  ['confirmation', 0.05],
];

const iso = (ms: number) => new Date(ms).toISOString();

interface OpenCase {
  number: string;
  kind: EnforcementKind;
  openedAt: number;
  officer: string;
  clipsLeft: number;
  clipIds: number[];
}

function build(file: string, shape: CatalogueShape, progress: (line: string) => void): Sample {
  const { db } = openCatalogue(file);
  // A one-off bulk load: no journal, no fsync, a large cache. The station's own pragmas are
  // back (WAL) before the file is used.
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = OFF');
  // Indexes and triggers of the bulk tables go while rows are loaded and come back, exactly as
  // the migrations wrote them, once they are in: sorting once is far cheaper than a million
  // random B-tree inserts. The full-text index is rebuilt from the labels in one pass.
  const bulk = [
    'clips',
    'clip_labels',
    'docking_findings',
    'dockings',
    'case_act_clips',
    'custody_exceptions',
    'label_deferrals',
  ];
  const saved = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')
       AND sql IS NOT NULL AND tbl_name IN (${bulk.map(() => '?').join(', ')})`,
    )
    .all(...bulk) as { type: string; name: string; sql: string }[];
  for (const s of saved) db.exec(`DROP ${s.type.toUpperCase()} "${s.name}"`);

  const rnd = random(20260701);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const t0 = Date.parse(shape.start);
  const days = Math.round(shape.years * 365.25);
  const endMs = t0 + days * DAY_MS;
  const at = iso(t0);
  const officers = Array.from({ length: shape.officers }, (_, i) => `J${String(1000 + i)}`);
  const recorders = officers.map((_, i) => `DSJ${String(i + 1).padStart(5, '0')}`);
  // A docking carries 1–5 clips (3 on average): the share of officer-days with a docking that
  // spreads the clips over the whole period (a little over, so that the count is reached).
  const dockShare = Math.min(1, (1.01 * shape.clips) / (3 * shape.officers * days));

  const insert = {
    user: db.prepare(
      `INSERT INTO users (badge, name, role, password_hash, created_at, updated_at)
       VALUES (?, ?, ?, 'bench-no-login', ?, ?)`,
    ),
    recorder: db.prepare(
      `INSERT INTO recorders (serial, profile_id, officer_badge, registered_by, registered_at)
       VALUES (?, 'dsj-standard', ?, 'C0001', ?)`,
    ),
    docking: db.prepare(
      `INSERT INTO dockings (id, recorder_serial, officer_badge, identified_by, mountpoint,
         started_at, finished_at, status, clips_planned, bytes_planned, safe_to_undock,
         identified_at, officer_done_at)
       VALUES (?, ?, ?, 'card', '/media/evidock/DSJ', ?, ?, 'complete', ?, ?, 1, ?, ?)`,
    ),
    clip: db.prepare(
      `INSERT INTO clips (id, recorder_serial, docking_id, original_path, original_size,
         original_mtime, kind, sha256, archive_path, status, officer_badge, sequence,
         recorded_start, recorded_start_source, recorded_end, recorded_end_source, duration_ms,
         width, height, codec, custody_at, labelled, late_custody)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'verified', ?, ?, ?, ?, ?, ?, ?, 1920, 1080, 'h264', ?,
         ?, ?)`,
    ),
    label: db.prepare(
      `INSERT INTO clip_labels (clip_id, case_number, matter, kind, stage, place, parties,
         party_ids, officers_present, confidentiality, notes, long_term_reason, updated_by,
         updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?)`,
    ),
    kase: db.prepare(
      `INSERT INTO cases (number, kind, title, status, opened_at, closed_at, archive_by,
         archived_at, handling_officer, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    act: db.prepare(
      `INSERT INTO case_acts (case_number, act, not_recorded_reason, not_recorded_text)
       VALUES (?, ?, ?, ?)`,
    ),
    actClip: db.prepare('INSERT OR IGNORE INTO case_act_clips (act_id, clip_id) VALUES (?, ?)'),
    finding: db.prepare(
      `INSERT INTO docking_findings (docking_id, code, message, clip_id, found_at)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    exception: db.prepare(
      `INSERT INTO custody_exceptions (clip_id, kind, returned_at, note, still_late, recorded_by,
         recorded_at)
       VALUES (?, ?, ?, NULL, ?, ?, ?)`,
    ),
    deferral: db.prepare(
      `INSERT INTO label_deferrals (officer_badge, docking_id, clips, reason, at)
       VALUES (?, ?, ?, ?, ?)`,
    ),
  };

  const counts: Record<string, number> = {
    clips: 0,
    dockings: 0,
    labels: 0,
    cases: 0,
    acts: 0,
    late: 0,
    exceptions: 0,
    findings: 0,
    deferrals: 0,
  };
  const caseSample: string[] = [];
  const words = new Set<string>();
  const serialOf = new Map<string, number>();
  const current = new Map<string, OpenCase>();
  const sequence = new Map<string, number>();

  const closeCase = (k: OpenCase) => {
    const closed = k.openedAt + (20 + Math.floor(rnd() * 100)) * DAY_MS;
    let status = 'open';
    let closedAt: string | null = null;
    let archiveBy: string | null = null;
    let archivedAt: string | null = null;
    if (closed < endMs) {
      status = 'closed';
      closedAt = iso(closed);
      archiveBy = iso(closed + 30 * DAY_MS);
      const archived = closed + (5 + Math.floor(rnd() * 40)) * DAY_MS;
      if (rnd() < 0.9 && archived < endMs) {
        status = 'archived';
        archivedAt = iso(archived);
      }
    }
    insert.kase.run(
      k.number,
      k.kind,
      `${pick(MATTERS)}案`,
      status,
      iso(k.openedAt),
      closedAt,
      archiveBy,
      archivedAt,
      k.officer,
      k.officer,
      iso(k.openedAt),
    );
    counts.cases! += 1;
    if (caseSample.length < 2000 && k.clipIds.length > 0 && rnd() < 0.1) caseSample.push(k.number);
    // D-AV-REQUIRED: a quarter of the cases name their procedural acts
    if (rnd() < 0.25) {
      const acts = new Set<string>();
      const n = 1 + Math.floor(rnd() * 3);
      while (acts.size < n) acts.add(pick(PROCEDURAL_ACTS));
      for (const act of acts) {
        const r = rnd();
        const reason = r > 0.9 && r <= 0.95 ? 'other' : null;
        const actId = Number(
          insert.act.run(k.number, act, reason, reason === null ? null : '现场涉及个人隐私')
            .lastInsertRowid,
        );
        counts.acts! += 1;
        if (r <= 0.8 && k.clipIds.length > 0) {
          insert.actClip.run(actId, pick(k.clipIds));
          insert.actClip.run(actId, pick(k.clipIds));
        }
      }
    }
  };

  const person = () => pick(SURNAMES) + pick(GIVEN) + (rnd() < 0.8 ? pick(GIVEN) : '');

  db.transaction(() => {
    for (let i = 0; i < officers.length; i++) {
      insert.user.run(officers[i], person(), 'officer', at, at);
      insert.recorder.run(recorders[i], officers[i], at);
    }
    insert.user.run('C0001', '周管理', 'custodian', at, at);
    insert.user.run('S0001', '吴监督', 'supervisor', at, at);

    let clipId = 0;
    let dockingId = 0;
    for (let day = 0; day < days && clipId < shape.clips; day++) {
      const dayMs = t0 + day * DAY_MS;
      const recent = endMs - dayMs < 30 * DAY_MS;
      for (let o = 0; o < officers.length && clipId < shape.clips; o++) {
        if (rnd() >= dockShare) continue;
        const badge = officers[o]!;
        const serial = recorders[o]!;
        // D-24H: one docking in thirty comes two or three days late
        const late = rnd() < 1 / 30;
        const dockedMs =
          dayMs +
          (late ? 2 + Math.floor(rnd() * 2) : 0) * DAY_MS +
          10.5 * 3600_000 +
          rnd() * 3600_000;
        dockingId += 1;
        const n = Math.min(1 + Math.floor(rnd() * 5), shape.clips - clipId);
        let unlabelled = 0;
        let kase = current.get(badge);
        if (kase === undefined || kase.clipsLeft <= 0) {
          if (kase !== undefined) closeCase(kase);
          let kind: EnforcementKind = 'penalty';
          let w = rnd();
          for (const [k, weight] of KIND_WEIGHTS) {
            if ((w -= weight) <= 0) {
              kind = k;
              break;
            }
          }
          const year = new Date(dayMs).getUTCFullYear();
          const key = `${kind}${year}`;
          const no = (serialOf.get(key) ?? 0) + 1;
          serialOf.set(key, no);
          kase = {
            number: `金普民宗${CASE_WORD[kind]}〔${year}〕${no}号`,
            kind,
            openedAt: dayMs,
            officer: badge,
            clipsLeft: 4 + Math.floor(rnd() * 12),
            clipIds: [],
          };
          current.set(badge, kase);
        }
        let clock = dayMs + 0.5 * 3600_000 + rnd() * 3600_000;
        const first = clipId + 1;
        for (let c = 0; c < n; c++) {
          clipId += 1;
          const seq = (sequence.get(serial) ?? 0) + 1;
          sequence.set(serial, seq);
          const durationMs = Math.floor((1 + rnd() * 29) * 60_000);
          const untimed = rnd() < 0.001;
          const start = untimed ? null : iso(clock);
          const end = untimed ? null : iso(clock + durationMs);
          clock += durationMs + rnd() * 5400_000;
          const labelled = rnd() < (recent ? 0.4 : 0.72);
          const custodyAt = iso(dockedMs + c * 20_000);
          const name = `${String(seq).padStart(6, '0')}.MP4`;
          const date = iso(dayMs).slice(0, 10).replace(/-/g, '/');
          insert.clip.run(
            clipId,
            serial,
            dockingId,
            `DCIM/100MEDIA/${name}`,
            50_000_000 + Math.floor(rnd() * 1e9),
            end ?? custodyAt,
            'video',
            createHash('sha256').update(`clip ${clipId}`).digest('hex'),
            `archive/${date}/${serial}/${name}`,
            badge,
            seq,
            start,
            untimed ? null : 'container',
            end,
            untimed ? null : 'container',
            durationMs,
            custodyAt,
            labelled ? 1 : 0,
            late ? 1 : 0,
          );
          counts.clips! += 1;
          if (late) {
            counts.late! += 1;
            insert.finding.run(dockingId, 'late-custody', '超过24小时才存储', clipId, custodyAt);
            counts.findings! += 1;
            if (rnd() < 0.5) {
              insert.exception.run(
                clipId,
                pick(['continuous-duty', 'off-site', 'remote-area']),
                iso(dockedMs - 3 * 3600_000),
                rnd() < 0.2 ? 1 : 0,
                badge,
                custodyAt,
              );
              counts.exceptions! += 1;
            }
          }
          if (!labelled) {
            unlabelled += 1;
            continue;
          }
          const inCase = rnd() < 0.45;
          const parties = rnd() < 0.7 ? [person(), ...(rnd() < 0.3 ? [person()] : [])] : [];
          const place = `${pick(DISTRICTS)}${pick(STREETS)}${1 + Math.floor(rnd() * 300)}号${pick(VENUES)}`;
          if (rnd() < 0.01) {
            words.add(
              place.replace(/^(金普新区|金州区|开发区|保税区|普兰店区)/, '').replace(/号.*$/, '号'),
            );
            for (const p of parties) if ([...p].length >= 3) words.add(p);
          }
          const r = rnd();
          insert.label.run(
            clipId,
            inCase ? kase.number : null,
            inCase ? null : pick(MATTERS),
            inCase ? kase.kind : pick(['inspection', 'penalty', 'licensing']),
            pick(STAGES),
            place,
            JSON.stringify(parties),
            JSON.stringify([badge]),
            r < 0.95 ? 'none' : r < 0.98 ? 'privacy' : r < 0.995 ? 'commercial' : 'state',
            rnd() < 0.6 ? pick(NOTES) : null,
            rnd() < 0.01 ? pick(['dispute', 'obstruction', 'incident', 'other']) : null,
            badge,
            custodyAt,
          );
          counts.labels! += 1;
          if (inCase) {
            kase.clipsLeft -= 1;
            if (kase.clipIds.length < 20) kase.clipIds.push(clipId);
          }
        }
        // D-CONTINUOUS: one docking in twenty-five with a gap, one in a hundred an overlap
        const f = rnd();
        if (f < 0.05) {
          const code = f < 0.01 ? 'timeline-overlap' : f < 0.03 ? 'timeline-gap' : 'sequence-gap';
          const clip = first + Math.floor(rnd() * n);
          insert.finding.run(dockingId, code, code, clip, iso(dockedMs));
          counts.findings! += 1;
        }
        const finished = iso(dockedMs + n * 20_000 + 5_000);
        insert.docking.run(
          dockingId,
          serial,
          badge,
          iso(dockedMs),
          finished,
          n,
          n * 500_000_000,
          iso(dockedMs + 2_000),
          finished,
        );
        counts.dockings! += 1;
        if (unlabelled > 0 && rnd() < 0.3) {
          insert.deferral.run(badge, dockingId, unlabelled, '夜班结束，明日补录', finished);
          counts.deferrals! += 1;
        }
      }
      if (day % 180 === 0) progress(`  ${iso(dayMs).slice(0, 10)}: ${clipId} clips`);
    }
    for (const k of current.values()) closeCase(k);
  })();

  progress('  indexes and triggers back, full-text index rebuilt');
  db.transaction(() => {
    for (const s of saved) db.exec(s.sql);
    db.exec("INSERT INTO clip_label_text (clip_label_text) VALUES ('rebuild')");
  })();
  db.pragma('foreign_keys = ON');
  db.pragma('journal_mode = WAL');
  closeCatalogue(db);
  return {
    officers,
    recorders,
    cases: caseSample,
    words: [...words].slice(0, 2000),
    end: iso(endMs),
    counts,
  };
}

/** The catalogue's figures, for the bench's header. */
export function catalogueSummary(db: Database.Database): string {
  const n = (sql: string) => (db.prepare(sql).pluck().get() as number).toLocaleString('en');
  return [
    `${n('SELECT count(*) FROM clips')} clips`,
    `${n('SELECT count(*) FROM clip_labels')} labels`,
    `${n('SELECT count(*) FROM dockings')} dockings`,
    `${n('SELECT count(*) FROM cases')} cases`,
    `${n("SELECT count(*) FROM users WHERE role = 'officer'")} officers`,
  ].join(', ');
}
