// The station's log: one JSON line per event in a file only the station's account reads, rotated
// so it never fills the disk, with warnings and errors on stderr for a terminal or the journal.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOG_FILE, LOG_FOLDER, openLogger } from '../../src-main/station/logger';
import { tempDir } from '../support/temp';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir('evidock-log-');
});
afterEach(() => dir.remove());

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the station log', () => {
  it('writes one JSON line per event at or above its level, readable by the station alone', () => {
    const said: string[] = [];
    const logger = openLogger({ dataDir: dir.path, stderr: (line) => said.push(line) });
    logger.log('debug', 'not kept at info');
    logger.log('info', 'a recorder was docked', { serial: 'CAM01' });
    logger.log('error', 'internal error in clips.search', { error: new Error('disk on fire') });
    logger.close();
    const file = join(dir.path, LOG_FOLDER, LOG_FILE);
    expect(logger.file).toBe(file);
    const kept = lines(file);
    expect(kept.map((l) => [l.level, l.message])).toEqual([
      ['info', 'a recorder was docked'],
      ['error', 'internal error in clips.search'],
    ]);
    expect(kept[0]).toMatchObject({ serial: 'CAM01' });
    expect(kept[1]).toMatchObject({ error: { message: 'disk on fire' } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Only the error reached stderr.
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^evidock error: internal error in clips\.search/);
  });

  it('rotates past its size, keeping five old files', () => {
    const logger = openLogger({ dataDir: dir.path, stderr: () => {}, rotateBytes: 200 });
    for (let i = 0; i < 40; i += 1) logger.log('info', `event ${i}`, { pad: 'x'.repeat(40) });
    logger.close();
    const files = readdirSync(join(dir.path, LOG_FOLDER)).sort();
    expect(files).toEqual([LOG_FILE, ...[1, 2, 3, 4, 5].map((n) => `${LOG_FILE}.${n}`)]);
    const newest = lines(join(dir.path, LOG_FOLDER, LOG_FILE));
    expect(newest.at(-1)).toMatchObject({ message: 'event 39' });
    for (const file of files)
      expect(statSync(join(dir.path, LOG_FOLDER, file)).size).toBeLessThan(400);
  });

  it('a log that cannot be written says so once on stderr and never stops the station', () => {
    const said: string[] = [];
    const logger = openLogger({
      dataDir: join(dir.path, 'no', '\u0000bad'),
      stderr: (line) => said.push(line),
    });
    expect(() => logger.log('info', 'still running')).not.toThrow();
    expect(() => logger.log('info', 'still running')).not.toThrow();
    expect(said.filter((l) => l.includes('cannot be written'))).toHaveLength(1);
  });
});
