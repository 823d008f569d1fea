import { it } from 'vitest';
import { discReadmePdf, evidenceListPdf } from '../../src-main/disc/disc-documents';
it('time', async () => {
  const fp = { sm2: { sha256: 'a'.repeat(64), sm3: 'b'.repeat(64) }, ed25519: { sha256: 'c'.repeat(64) } } as any;
  for (let i = 0; i < 2; i++) {
    let t0 = Date.now();
    await discReadmePdf({ stationId: 's', setId: 'S1', n: 1, of: 2, copy: 1, volumeId: 'V', medium: 'DVD', createdAt: new Date().toISOString(), createdBy: { badge: 'C', name: '保管员' }, fingerprints: fp, files: 2, bytes: 100 });
    console.log('readme', Date.now() - t0);
    t0 = Date.now();
    await evidenceListPdf({ format: 'evidock-disc-manifest/1', station: { id: 's', keys: fp }, set: { id: 'S', discs: 1 }, disc: { n: 1, copy: 1, volumeId: 'V', medium: 'DVD' }, createdAt: new Date().toISOString(), createdBy: 'C', files: [] } as any, { createdBy: { badge: 'C', name: 'x' }, manifestSha256: 'a'.repeat(64) });
    console.log('list', Date.now() - t0);
  }
}, 120000);
