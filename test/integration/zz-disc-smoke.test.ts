import { it } from 'vitest';
import { forwardStation, CUSTODIAN_PW } from '../support/forward-station';
it('smoke', async () => {
  const s = await forwardStation([4_000_000, 3_500_000, 3_800_000, 2_900_000]);
  console.log('DATADIR', s.dataDir);
  const plan = await s.cli(['disc', 'plan', '--clips', s.clips.map((c) => c.id).join(','), '--media', String(26 * 1024 * 1024), '--copies', '2', '--user', 'C001'], `${CUSTODIAN_PW}\n`);
  console.log(plan.code, plan.stdout.slice(0, 1500), plan.stderr);
  const t0 = Date.now();
  const burn = await s.cli(['disc', 'burn', '--plan', '1', '--drive', `stdio:${s.dataDir}/../img-${Date.now()}.iso`, '--user', 'C001'], `${CUSTODIAN_PW}\n`);
  console.log(Date.now() - t0, 'ms', burn.code, burn.stdout.slice(0, 4000), burn.stderr.slice(0, 4000));
  const list = await s.cli(['disc', 'list', '--user', 'C001'], `${CUSTODIAN_PW}\n`);
  console.log(list.stdout.slice(0, 3000), list.stderr);
}, 300000);
