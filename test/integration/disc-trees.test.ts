// A disc's three directory trees (Rock Ridge, Joliet, plain ISO 9660) show the same files: the
// station's burn writes Chinese names into Joliet as they are (what Windows shows), and a disc
// made to show other footage through Joliet than through Rock Ridge fails the check.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { burnDisc, checkTreesAgree } from '../../src-main/disc';
import { reportedExtents } from '../../src-main/disc/tree-check';
import { treeExtentsArgs } from '../../src-main/disc/xorriso';
import { missingTools } from '../support/disc-image';
import { tempDir } from '../support/temp';

const missing = missingTools(['xorriso']);
const dir = tempDir('disc-trees-');
afterAll(() => dir.remove());

const CLIP = 'evidence/金普民宗罚〔2026〕31号/P100/2026-12-08/V2_1.MP4';

function staged(name: string): string {
  const root = join(dir.path, name);
  mkdirSync(join(root, ...CLIP.split('/').slice(0, -1)), { recursive: true });
  writeFileSync(join(root, ...CLIP.split('/')), 'genuine footage');
  writeFileSync(join(root, '清单.pdf'), 'list');
  return root;
}

describe.skipIf(missing.length > 0)('a disc’s directory trees', () => {
  it('name Chinese folders and files in Joliet as Rock Ridge does', async () => {
    const image = join(dir.path, 'good.iso');
    await burnDisc({ drive: `stdio:${image}`, volumeId: 'CASE31_D1OF1', staged: staged('good') });
    const joliet = reportedExtents(
      execFileSync('xorriso', treeExtentsArgs(`stdio:${image}`, 'norock'), {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ).map((e) => e.path);
    expect(joliet.sort()).toEqual([`/${CLIP}`, '/清单.pdf'].sort());
    expect(await checkTreesAgree(`stdio:${image}`)).toEqual({ ok: true, problems: [] });
  });

  it('fail a disc whose Joliet tree shows other data than its Rock Ridge tree', () => {
    const root = staged('forged');
    const forged = CLIP.replace('V2_1.MP4', 'v2_1.mp4');
    writeFileSync(join(root, ...forged.split('/')), 'altered footage');
    const image = join(dir.path, 'forged.iso');
    execFileSync(
      'xorriso',
      [
        ...['-no_rc', '-local_charset', 'UTF-8', '-md5', 'on'],
        ...['-outdev', `stdio:${image}`, '-joliet', 'on', '-rockridge', 'on'],
        ...['-map', root, '/'],
        ...['-hide', 'joliet', `/${CLIP}`, '--'],
        ...['-hide', 'iso_rr', `/${forged}`, '--'],
        '-commit',
      ],
      { stdio: 'ignore' },
    );
    return expect(checkTreesAgree(`stdio:${image}`)).resolves.toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^the Joliet tree \(what Windows shows\) differs/)],
    });
  });
});
