// IC-card readers type the card number as a HID keyboard: decoding their raw reports, and the
// reader coming and going at the dock.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CardReader, type HidHandle } from '../../src-main/devices/card-reader';
import { KeyboardWedgeDecoder } from '../../src-main/devices/hid-keyboard';

/** Reports as hidraw hands them over, written out the way a USB capture shows them. */
function hex(...reports: string[]): Buffer[] {
  return reports.map((r) => Buffer.from(r.replace(/\s+/g, ''), 'hex'));
}

const RELEASE = '00 00 00 00 00 00 00 00';

/**
 * "0012345678" + Enter, recorded through node-hid (hidraw) from QEMU's emulated usb-kbd, keys sent
 * with the monitor's sendkey: press, release, per character, as a 10-digit card reader types.
 */
const CARD_0012345678 = hex(
  '0000270000000000',
  '0000000000000000',
  '0000270000000000',
  '0000000000000000',
  '00001e0000000000',
  '0000000000000000',
  '00001f0000000000',
  '0000000000000000',
  '0000200000000000',
  '0000000000000000',
  '0000210000000000',
  '0000000000000000',
  '0000220000000000',
  '0000000000000000',
  '0000230000000000',
  '0000000000000000',
  '0000240000000000',
  '0000000000000000',
  '0000250000000000',
  '0000000000000000',
  '0000280000000000',
  '0000000000000000',
);

function decodeAll(reports: Buffer[], decoder = new KeyboardWedgeDecoder(), start = 0): string[] {
  const cards: string[] = [];
  reports.forEach((report, i) => {
    const card = decoder.push(report, start + i * 8);
    if (card !== undefined) cards.push(card);
  });
  return cards;
}

describe('KeyboardWedgeDecoder', () => {
  it('a 10-digit card with repeated digits (00) separated by releases', () => {
    expect(decodeAll(CARD_0012345678)).toEqual(['0012345678']);
  });

  it('reports with a report-id byte (9 bytes) decode the same', () => {
    const withId = CARD_0012345678.map((r) => Buffer.concat([Buffer.from([0x01]), r]));
    expect(decodeAll(withId)).toEqual(['0012345678']);
  });

  it('hex card numbers typed with Shift are upper-case', () => {
    // "04A3" + Enter: 0, 4, Shift+a, 3.
    const reports = hex(
      '00 00 27 00 00 00 00 00',
      RELEASE,
      '00 00 21 00 00 00 00 00',
      RELEASE,
      '02 00 04 00 00 00 00 00',
      '02 00 00 00 00 00 00 00',
      RELEASE,
      '00 00 20 00 00 00 00 00',
      RELEASE,
      '00 00 28 00 00 00 00 00',
      RELEASE,
    );
    expect(decodeAll(reports)).toEqual(['04A3']);
  });

  it('a fast reader that never sends releases between different keys (rollover)', () => {
    const reports = hex(
      '00 00 1e 00 00 00 00 00',
      '00 00 1e 1f 00 00 00 00',
      '00 00 1f 00 00 00 00 00',
      '00 00 20 00 00 00 00 00',
      '00 00 58 00 00 00 00 00',
      RELEASE,
    );
    expect(decodeAll(reports)).toEqual(['123']);
  });

  it('a held key repeated in consecutive reports is one character', () => {
    const reports = hex(
      '00 00 22 00 00 00 00 00',
      '00 00 22 00 00 00 00 00',
      '00 00 22 00 00 00 00 00',
      RELEASE,
      '00 00 28 00 00 00 00 00',
    );
    expect(decodeAll(reports)).toEqual(['5']);
  });

  it('keypad digits and keypad Enter', () => {
    const reports = hex(
      '00 00 59 00 00 00 00 00',
      RELEASE,
      '00 00 62 00 00 00 00 00',
      RELEASE,
      '00 00 61 00 00 00 00 00',
      RELEASE,
      '00 00 58 00 00 00 00 00',
    );
    expect(decodeAll(reports)).toEqual(['109']);
  });

  it('two cards in a row', () => {
    expect(decodeAll([...CARD_0012345678, ...CARD_0012345678])).toEqual([
      '0012345678',
      '0012345678',
    ]);
  });

  it('Enter alone, shifted digits (symbols) and error-rollover reports give nothing', () => {
    const reports = hex(
      '00 00 28 00 00 00 00 00',
      RELEASE,
      '02 00 1e 00 00 00 00 00',
      RELEASE,
      '00 00 01 01 01 01 01 01',
      RELEASE,
      '00 00 28 00 00 00 00 00',
    );
    expect(decodeAll(reports)).toEqual([]);
  });

  it('a half-read card followed by a pause is dropped, the next card reads whole', () => {
    const decoder = new KeyboardWedgeDecoder({ interKeyTimeoutMs: 500 });
    const half = CARD_0012345678.slice(0, 8);
    expect(decodeAll(half, decoder, 0)).toEqual([]);
    expect(decodeAll(CARD_0012345678, decoder, 10_000)).toEqual(['0012345678']);
  });

  it('input longer than the limit is not a card', () => {
    const decoder = new KeyboardWedgeDecoder({ maxLength: 6 });
    expect(decodeAll(CARD_0012345678, decoder)).toEqual([]);
    expect(
      decodeAll(hex('00 00 1e 00 00 00 00 00', RELEASE, '00 00 28 00 00 00 00 00'), decoder),
    ).toEqual(['1']);
  });

  it('short or empty reports are ignored', () => {
    const decoder = new KeyboardWedgeDecoder();
    expect(decoder.push(Buffer.alloc(0))).toBeUndefined();
    expect(decoder.push(Buffer.from([0x00, 0x00]))).toBeUndefined();
  });
});

class FakeReader extends EventEmitter implements HidHandle {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

describe('CardReader', () => {
  afterEach(() => vi.useRealTimers());

  it('absent at first: logs once, keeps looking, then reads cards; unplugged: looks again', async () => {
    vi.useFakeTimers();
    const log = vi.fn();
    const handles: FakeReader[] = [];
    let present = false;
    const reader = new CardReader({
      vendorId: 0xffff,
      productId: 0x0035,
      retryMs: 1000,
      log,
      open: async (vendorId, productId) => {
        expect([vendorId, productId]).toEqual([0xffff, 0x0035]);
        if (!present) throw new Error('could not open device');
        const handle = new FakeReader();
        handles.push(handle);
        return handle;
      },
    });
    const cards: string[] = [];
    const status: boolean[] = [];
    reader.on('card', (card) => cards.push(card));
    reader.on('status', (connected) => status.push(connected));

    reader.start();
    await vi.advanceTimersByTimeAsync(3500);
    expect(reader.connected).toBe(false);
    expect(log.mock.calls.filter(([, message]) => /not found/.test(message))).toHaveLength(1);

    present = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(reader.connected).toBe(true);
    for (const report of CARD_0012345678) handles[0]!.emit('data', report);
    expect(cards).toEqual(['0012345678']);

    handles[0]!.emit('error', new Error('could not read from HID device'));
    await vi.advanceTimersByTimeAsync(0);
    expect(reader.connected).toBe(false);
    expect(handles[0]!.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(reader.connected).toBe(true);
    expect(status).toEqual([true, false, true]);

    await reader.stop();
    expect(handles[1]!.closed).toBe(true);
    expect(status).toEqual([true, false, true, false]);
  });

  it('with node-hid and no reader on this machine: no error, just not connected', async () => {
    const log = vi.fn();
    const reader = new CardReader({ vendorId: 0xfffe, productId: 0xfffe, log, retryMs: 60_000 });
    reader.start();
    await vi.waitFor(() => expect(log).toHaveBeenCalled());
    expect(reader.connected).toBe(false);
    await reader.stop();
  });
});
