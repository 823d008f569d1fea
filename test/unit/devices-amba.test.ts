// The amba-bulk protocol against a scripted recorder: every command byte-exact, every reply
// shape we accept, and each way a recorder can fail us (wrong password, silence, garbage).
import { afterEach, describe, expect, it } from 'vitest';
import { AmbaBulkDriver } from '../../src-main/devices/drivers/amba-bulk';
import {
  AmbaError,
  AmbaSession,
  parseAmbaReply,
} from '../../src-main/devices/drivers/amba-protocol';
import { createDriver } from '../../src-main/devices/drivers/create-driver';
import { loadProfiles, resolveProfilesDir } from '../../src-main/devices/profiles';
import { ScriptedRecorder, type ScriptStep } from '../support/dock-scripted-usb';

// A unit's configured password in these tests; evidock itself ships none.
const PASSWORD = '13572468';

let recorder: ScriptedRecorder | undefined;
afterEach(() => {
  recorder?.assertDone();
  recorder = undefined;
});

function session(script: ScriptStep[]): AmbaSession {
  recorder = new ScriptedRecorder(script);
  return new AmbaSession(recorder, { timeoutMs: 200, settleMs: 20 });
}

async function failure(promise: Promise<unknown>): Promise<AmbaError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AmbaError);
    return error as AmbaError;
  }
  throw new Error('expected an AmbaError');
}

describe('commands and replies', () => {
  it('version: @Ver;8;00000000;# → the firmware text after OK', async () => {
    const s = session([{ expect: '@Ver;8;00000000;#', reply: ['Ver;OK;AMBA-V2.3.1;#'] }]);
    expect(await s.version()).toBe('AMBA-V2.3.1');
  });

  it('device id: @Gdv;8;<pwd>;# → the id', async () => {
    const s = session([{ expect: `@Gdv;8;${PASSWORD};#`, reply: ['Gdv;OK;DSJA0001;#'] }]);
    expect(await s.deviceId(PASSWORD)).toBe('DSJA0001');
  });

  it('device id from a firmware that sends a length instead of a status', async () => {
    const s = session([{ expect: `@Gdv;8;${PASSWORD};#`, reply: ['@Gdv;8;DSJA0002;#'] }]);
    expect(await s.deviceId(PASSWORD)).toBe('DSJA0002');
  });

  it('a reply in pieces, with NUL padding and CR/LF, is one reply', async () => {
    const s = session([
      {
        expect: `@Gdv;8;${PASSWORD};#`,
        reply: ['\u0000\u0000Gd', 'v;OK;DS', 'JA0003;#\r\n\u0000\u0000'],
      },
    ]);
    expect(await s.deviceId(PASSWORD)).toBe('DSJA0003');
  });

  it('a reply without # ends when the recorder falls silent', async () => {
    const s = session([{ expect: '@Ver;8;00000000;#', reply: ['Ver;OK;V1'] }]);
    expect(await s.version()).toBe('V1');
  });

  it('the password length is the length field (a 6-digit password)', async () => {
    const s = session([{ expect: '@Gdv;6;246810;#', reply: ['Gdv;OK;X6;#'] }]);
    expect(await s.deviceId('246810')).toBe('X6');
  });

  it('clock: @Sdt;8;YYYYMMDD;# then @Stm;6;HHmmss00;#, in the recorder zone', async () => {
    const s = session([
      { expect: '@Sdt;8;20261122;#', reply: ['Sdt;OK;#'] },
      { expect: '@Stm;6;08300500;#', reply: ['Stm;OK;#'] },
    ]);
    // 00:30:05 UTC is 08:30:05 in Beijing.
    await s.setClock(new Date('2026-11-22T00:30:05.700Z'), 'Asia/Shanghai');
  });

  it('clock: the date is the recorder zone date, not UTC (past midnight in Beijing)', async () => {
    const s = session([
      { expect: '@Sdt;8;20261123;#', reply: ['Sdt;OK;#'] },
      { expect: '@Stm;6;00000900;#', reply: ['Stm;OK;#'] },
    ]);
    await s.setClock(new Date('2026-11-22T16:00:09Z'), 'Asia/Shanghai');
  });

  it('clock: a refused date stops before the time is sent', async () => {
    const s = session([{ expect: '@Sdt;8;20261122;#', reply: ['Sdt;ERR;#'] }]);
    const error = await failure(s.setClock(new Date('2026-11-22T00:30:05Z'), 'Asia/Shanghai'));
    expect(error.code).toBe('refused');
  });

  it('storage mode: @ATH;8;<pwd>;#', async () => {
    const s = session([{ expect: `@ATH;8;${PASSWORD};#`, reply: ['ATH;OK;#'] }]);
    await s.storageMode(PASSWORD);
  });

  it('an unknown zone is refused before anything is sent', async () => {
    const s = session([]);
    await expect(s.setClock(new Date(), 'Mars/Olympus')).rejects.toThrow(RangeError);
  });
});

describe('failures', () => {
  it.each([['Gdv;ERR;#'], ['Gdv;FAIL;#'], ['Gdv;ERR_PWD;#'], ['gdv;ng;#']])(
    'wrong password (%s)',
    async (reply) => {
      const s = session([{ expect: `@Gdv;8;${PASSWORD};#`, reply: [reply] }]);
      const error = await failure(s.deviceId(PASSWORD));
      expect(error.code).toBe('wrong-password');
      expect(error.message).toMatch(/refused the password/);
    },
  );

  it('wrong password for storage mode', async () => {
    const s = session([{ expect: '@ATH;8;00000001;#', reply: ['ATH;ERR;#'] }]);
    expect((await failure(s.storageMode('00000001'))).code).toBe('wrong-password');
  });

  it('timeout: the recorder never answers', async () => {
    const s = session([{ expect: '@Ver;8;00000000;#', reply: [] }]);
    const error = await failure(s.version());
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/did not answer Ver/);
  });

  it.each([
    ['binary noise', [new Uint8Array([0xff, 0xfe, 0x00, 0x3b, 0x23])]],
    ['another command name', ['Ver;OK;V1;#']],
    ['no fields at all', ['OK#']],
    ['endless bytes', Array.from({ length: 4 }, () => 'x'.repeat(400))],
  ])('garbage reply: %s', async (_, reply) => {
    const s = session([{ expect: `@Gdv;8;${PASSWORD};#`, reply }]);
    expect((await failure(s.deviceId(PASSWORD))).code).toBe('bad-reply');
  });

  it('a device id reply with nothing in it', async () => {
    const s = session([{ expect: `@Gdv;8;${PASSWORD};#`, reply: ['Gdv;OK;;#'] }]);
    expect((await failure(s.deviceId(PASSWORD))).code).toBe('bad-reply');
  });

  it('the transport failing is a transport error', async () => {
    recorder = new ScriptedRecorder([]);
    await recorder.close();
    const s = new AmbaSession(recorder, { timeoutMs: 50 });
    expect((await failure(s.version())).code).toBe('transport');
    recorder = undefined;
  });
});

describe('AmbaBulkDriver', () => {
  const amba = loadProfiles(resolveProfilesDir()).find((p) => p.id === 'ambarella-bulk')!;

  it('no password in the unit configuration: a clear error, before the recorder is touched', () => {
    let opened = false;
    const make = (password: string | undefined) =>
      new AmbaBulkDriver({
        password,
        openTransport: async () => {
          opened = true;
          return new ScriptedRecorder([]);
        },
      });
    for (const missing of [undefined, '']) {
      expect(() => make(missing)).toThrow(/no password for amba-bulk recorders/);
    }
    expect(() => make('12;34')).toThrow(/without ; # @/);
    expect(opened).toBe(false);
  });

  it('a docking: open (version), device id, clock, storage mode, close', async () => {
    recorder = new ScriptedRecorder([
      { expect: '@Ver;8;00000000;#', reply: ['Ver;OK;V3.0;#'] },
      { expect: `@Gdv;8;${PASSWORD};#`, reply: ['Gdv;OK;AMB00017;#'] },
      { expect: '@Sdt;8;20261122;#', reply: ['Sdt;OK;#'] },
      { expect: '@Stm;6;16593000;#', reply: ['Stm;OK;#'] },
      { expect: `@ATH;8;${PASSWORD};#`, reply: ['ATH;OK;#'] },
    ]);
    const transport = recorder;
    const targets: unknown[] = [];
    const driver = createDriver(amba, {
      usb: { vendorId: 0x4255, productId: 0x0001, port: '1-1.2' },
      ambaPassword: PASSWORD,
      timeZone: 'Asia/Shanghai',
      openTransport: async (target) => {
        targets.push(target);
        return transport;
      },
    });
    expect(driver.kind).toBe('amba-bulk');
    expect(driver.readClock).toBeUndefined();
    await driver.open();
    expect(await driver.deviceId!()).toBe('AMB00017');
    await driver.setClock!(new Date('2026-11-22T08:59:30Z'));
    await driver.prepareStorage!();
    await driver.close();
    expect(transport.closed).toBe(true);
    expect(targets).toEqual([{ vendorId: 0x4255, productId: 0x0001, port: '1-1.2' }]);
  });

  it('a recorder that does not speak the protocol: open fails and the transport is closed', async () => {
    recorder = new ScriptedRecorder([{ expect: '@Ver;8;00000000;#', reply: ['HTTP/1.1 400'] }]);
    const transport = recorder;
    const driver = new AmbaBulkDriver({ password: PASSWORD, openTransport: async () => transport });
    expect((await failure(driver.open())).code).toBe('bad-reply');
    expect(transport.closed).toBe(true);
    await expect(driver.deviceId()).rejects.toThrow(/open\(\) first/);
  });

  it('createDriver refuses amba-bulk without a password or USB device', () => {
    expect(() => createDriver(amba, { usb: { vendorId: 0x4255, productId: 1 } })).toThrow(
      /no password/,
    );
    expect(() => createDriver(amba, { ambaPassword: PASSWORD })).toThrow(/needs its USB device/);
  });
});

describe('the scripted recorder itself', () => {
  it('fails the test on an unexpected command', async () => {
    const scripted = new ScriptedRecorder([{ expect: '@Ver;8;00000000;#', reply: ['Ver;OK;#'] }]);
    const s = new AmbaSession(scripted, { timeoutMs: 50 });
    expect((await failure(s.deviceId(PASSWORD))).code).toBe('transport');
    expect(() => scripted.assertDone()).toThrow(/unexpected commands: @Gdv;8;13572468;#/);
  });
});

describe('parseAmbaReply', () => {
  it('keeps extra payload fields, tolerates a leading @ and letter case', () => {
    expect(parseAmbaReply('@VER;ok;V1;build 7;#', 'Ver')).toEqual({
      command: 'VER',
      status: 'ok',
      payload: ['V1', 'build 7'],
    });
  });
});
