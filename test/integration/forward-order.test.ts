// Which clips go first when the way to central storage is narrow: long-term footage (D-LONGTERM),
// then case footage, then the oldest custody (D-24H) — to a folder target, one clip at a time.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CUSTODIAN_PW,
  forwardStation,
  OFFICER_PW,
  type ForwardStation,
} from '../support/forward-station';
import { tempDir } from '../support/temp';

const CASE = '金普民宗罚〔2026〕12号';

describe('forwarding order', () => {
  let station: ForwardStation;
  const share = tempDir('evidock-share-');

  beforeAll(async () => {
    station = await forwardStation([1000]);
    await station.ingest([2000]);
    await station.ingest([3000]);
    await station.ingest([4000]);
    const [oldest, plain, inCase, longTerm] = station.clips;
    const as = async (badge: string, pw: string, args: string[]) => {
      const run = await station.cli([...args, '--user', badge], `${pw}\n`);
      expect(run.code, run.stdout + run.stderr).toBe(0);
    };
    await as('P100', OFFICER_PW, [
      'cases',
      'create',
      '--number',
      CASE,
      '--kind',
      'penalty',
      '--title',
      '无证经营',
    ]);
    await as('P100', OFFICER_PW, ['clips', 'label', String(inCase!.id), '--case', CASE]);
    await as('C001', CUSTODIAN_PW, [
      'clips',
      'label',
      String(longTerm!.id),
      '--no-case',
      '--matter',
      '现场纠纷',
      '--long-term',
      'dispute',
    ]);
    expect(oldest && plain).toBeTruthy();
  }, 120_000);
  afterAll(() => {
    station?.remove();
    share.remove();
  });

  it('sends long-term footage first, then case footage, then by custody time', async () => {
    const added = await station.cli(
      [
        'forward',
        'targets',
        'add',
        '--name',
        'share',
        '--kind',
        'folder',
        '--path',
        share.path,
        '--concurrency',
        '1',
        '--prefix',
        'st',
        '--user',
        'C001',
      ],
      `${CUSTODIAN_PW}\n`,
    );
    expect(added.code, added.stdout + added.stderr).toBe(0);
    const run = await station.cli(
      ['forward', 'run', '--until-idle', '--user', 'C001'],
      `${CUSTODIAN_PW}\n`,
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const db = new Database(join(station.dataDir, 'catalogue.sqlite'), { readonly: true });
    const order = (
      db
        .prepare("SELECT subject FROM audit_log WHERE action = 'clip.forwarded' ORDER BY seq")
        .all() as {
        subject: string;
      }[]
    ).map((r) => r.subject);
    db.close();
    const [oldest, plain, inCase, longTerm] = station.clips;
    expect(order).toEqual([longTerm, inCase, oldest, plain].map((c) => `clip:${c!.id}`));
    expect(readdirSync(join(share.path, 'st'))).toEqual(['archive', 'audit']);
  });

  it('refuses a folder target inside the data folder, or one that holds it', async () => {
    for (const path of [
      join(station.dataDir, 'archive'),
      station.dataDir,
      join(station.dataDir, '..'),
    ]) {
      const added = await station.cli(
        [
          'forward',
          'targets',
          'add',
          '--name',
          'inside',
          '--kind',
          'folder',
          '--path',
          path,
          '--user',
          'C001',
        ],
        `${CUSTODIAN_PW}\n`,
      );
      expect(added.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
      expect(added.stdout).toContain('overlaps');
    }
  });
});
