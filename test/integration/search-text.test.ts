// Full-text search words come from whoever types into the Clips screen (or a script on the
// RPC). A character the catalogue's full-text index cannot take is a bad request with a clear
// message, never an internal error. Real station process, real WebSocket RPC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ok,
  refused,
  seedClip,
  seededStation,
  type SeededStation,
} from '../support/seeded-station';

let station: SeededStation;

beforeAll(async () => {
  station = await seededStation([{ badge: 'C001', role: 'custodian' }], (tx) => {
    seedClip(tx, {
      officer: 'C001',
      serial: 'CAM01',
      recordedStart: '2026-11-20T01:00:00.000Z',
      custodyAt: '2026-11-20T10:00:00.000Z',
    });
  });
});
afterAll(() => station.stop());

describe('a NUL character in a search', () => {
  it.each([['农贸\u0000市场'], ['\u0000'], ['ab\u0000'], ['市场 \u0000x']])(
    'of the clips is a BAD_REQUEST that says which character: %j',
    async (text) => {
      const custodian = await station.as('C001');
      const error = await refused(custodian, 'clips.search', { text });
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).toMatch(/text: .*control character/);
    },
  );

  it('of the cases is a BAD_REQUEST too', async () => {
    const custodian = await station.as('C001');
    const error = await refused(custodian, 'cases.list', { text: '罚\u0000' });
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/text: .*control character/);
  });

  it('leaves ordinary searches as they were', async () => {
    const custodian = await station.as('C001');
    expect(await ok(custodian, 'clips.search', { text: '农贸市场' })).toMatchObject({ total: 0 });
    expect(await ok(custodian, 'cases.list', { text: '罚' })).toMatchObject({ total: 0 });
  });
});
