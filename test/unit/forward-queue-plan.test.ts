// The forwarding queue's hot statements stay index ranges however large the outbox grows: a new
// target on a station with a million clips must not sort them all for every clip it sends.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { COUNTS_SQL, DUE_SQL, OLDEST_WAITING_SQL } from '../../src-main/catalogue/forwarding';
import { tempDir } from '../support/temp';

describe('the forwarding queue’s query plans', () => {
  const dir = tempDir();
  let catalogue: Catalogue;
  const plan = (sql: string, ...params: unknown[]) =>
    (catalogue.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
      (r) => r.detail,
    );

  beforeAll(() => {
    ({ catalogue } = Catalogue.open(join(dir.path, 'catalogue.sqlite')));
    // Statistics as a large station would have them: many rows per target, most verified.
    catalogue.db.exec(`
      ANALYZE;
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('forward_outbox', 'forward_outbox_by_state', '2000000 1000000 400000 2'),
        ('forward_outbox', 'forward_outbox_due', '50000 25000 10000 3 1'),
        ('forward_outbox', 'forward_outbox_waiting', '50000 25000 3'),
        ('forward_outbox', 'forward_outbox_by_clip', '2000000 2'),
        ('clips', 'clips_by_custody', '1000000 2');
      ANALYZE sqlite_schema;`);
  });
  afterAll(() => {
    catalogue.close();
    dir.remove();
  });

  it('takes what is due in order from the due index, without sorting', () => {
    const detail = plan(DUE_SQL, 1, '2026-12-07T00:00:00.000Z', '[]', 4);
    expect(
      detail.some((d) => /SEARCH o USING INDEX forward_outbox_due \(target_id=\?\)/.test(d)),
    ).toBe(true);
    expect(detail.join('\n')).not.toMatch(/TEMP B-TREE|SCAN o\b|SCAN c\b/);
  });

  it('finds the oldest waiting custody and counts each state from indexes alone', () => {
    expect(plan(OLDEST_WAITING_SQL, 1).join('\n')).toMatch(
      /SEARCH forward_outbox USING (COVERING )?INDEX forward_outbox_waiting \(target_id=\?\)/,
    );
    expect(plan(COUNTS_SQL, 1).join('\n')).toMatch(
      /SEARCH forward_outbox USING COVERING INDEX forward_outbox_by_state \(target_id=\?\)/,
    );
  });
});
