import { errorText } from '../log';
import { wallClock } from '../wall-clock';
import { TransportTimeoutError, type BulkTransport } from './bulk-transport';

/**
 * The ASCII command protocol of Ambarella-based recorders over their bulk endpoints
 * (DESIGN.md, Recorders). What we rely on, and where we are lenient because models differ:
 *
 * - A command is `@<name>;<length>;<argument>;#` in ASCII, one bulk transfer, nothing after `#`.
 *   `<length>` is what DESIGN.md gives per command: 8 for `@Ver;8;00000000;#` and for the date
 *   `@Sdt;8;YYYYMMDD;#`, 6 for the time `@Stm;6;HHmmss00;#` (six digits that count, two zeros of
 *   padding), and for the password commands `@Gdv` / `@ATH` the password's length (8 for the
 *   usual eight digits).
 * - A reply echoes the name, then a status, then payload fields: `Ver;OK;<version>;#`. We accept
 *   a leading `@`, NULs, spaces and CR/LF around it, any letter case in the name, a reply split
 *   over several transfers, and a missing `#` when nothing more arrives for a moment. A status
 *   of OK is success; ERR/ERROR/FAIL/NG/NO (and anything starting with ERR) is a refusal; some
 *   firmwares send no status at all (`Gdv;8;<id>;#`), which counts as success with payload.
 * - The device id is the last non-empty payload field (a length field, if any, comes first).
 * - Anything else (another command's name, bytes that are not printable ASCII, no `;`) is a
 *   garbage reply and fails the step: we never guess at what a recorder meant.
 */

export type AmbaErrorCode =
  | 'no-password'
  | 'bad-password'
  | 'wrong-password'
  | 'refused'
  | 'timeout'
  | 'bad-reply'
  | 'transport';

export class AmbaError extends Error {
  readonly code: AmbaErrorCode;
  /** The reply as received (printable form), when there was one. */
  readonly reply: string | undefined;

  constructor(code: AmbaErrorCode, message: string, reply?: string) {
    super(message);
    this.name = 'AmbaError';
    this.code = code;
    this.reply = reply;
  }
}

export interface AmbaReply {
  command: string;
  status: 'ok' | 'error' | 'none';
  /** Fields after the status (or after the name, when there is no status). */
  payload: string[];
}

export function ambaCommand(name: string, lengthField: number, argument: string): Uint8Array {
  return Buffer.from(`@${name};${lengthField};${argument};#`, 'latin1');
}

const REFUSALS = new Set(['ERR', 'ERROR', 'FAIL', 'FAILED', 'NG', 'NO', 'DENY', 'DENIED']);

/** Parses one reply to the command `expected`; throws AmbaError('bad-reply') for anything else. */
export function parseAmbaReply(raw: string, expected: string): AmbaReply {
  // eslint-disable-next-line no-control-regex
  let text = raw.replace(/[\u0000\r\n]/g, '').trim();
  if (text.startsWith('@')) text = text.slice(1);
  const end = text.indexOf('#');
  if (end >= 0) text = text.slice(0, end);
  if (!/^[\x20-\x7e]*$/.test(text) || !text.includes(';')) {
    throw new AmbaError('bad-reply', `garbage reply to ${expected}`, printable(raw));
  }
  const fields = text.split(';').map((f) => f.trim());
  if (fields.at(-1) === '') fields.pop();
  const [command = '', statusField = '', ...rest] = fields;
  if (command.toLowerCase() !== expected.toLowerCase()) {
    throw new AmbaError('bad-reply', `reply to ${expected} names "${command}"`, printable(raw));
  }
  const status = statusField.toUpperCase();
  if (status === 'OK') return { command, status: 'ok', payload: rest };
  if (REFUSALS.has(status) || status.startsWith('ERR')) {
    return { command, status: 'error', payload: rest };
  }
  return { command, status: 'none', payload: statusField === '' ? rest : [statusField, ...rest] };
}

/**
 * The password is unit configuration (never shipped with evidock): missing is an error that
 * says so, and characters that would break the framing are refused rather than sent.
 */
export function checkAmbaPassword(password: string | undefined): string {
  if (password === undefined || password === '') {
    throw new AmbaError(
      'no-password',
      'no password for amba-bulk recorders in the unit configuration: a custodian must set it',
    );
  }
  if (!/^[\x21-\x7e]{1,32}$/.test(password) || /[;#@]/.test(password)) {
    throw new AmbaError(
      'bad-password',
      'the amba-bulk password must be 1–32 printable ASCII characters without ; # @',
    );
  }
  return password;
}

export interface AmbaSessionOptions {
  /** How long to wait for a reply to start. */
  timeoutMs?: number;
  /** After a partial reply without `#`, how long a silence ends it. */
  settleMs?: number;
}

/** The longest reply we collect; a real one is a few dozen bytes. */
const MAX_REPLY_BYTES = 1024;
/** One read; a multiple of every bulk max-packet size (64, 512). */
const READ_CHUNK = 512;

export class AmbaSession {
  private readonly timeoutMs: number;
  private readonly settleMs: number;

  constructor(
    private readonly transport: BulkTransport,
    options: AmbaSessionOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.settleMs = options.settleMs ?? 150;
  }

  /** `@Ver;8;00000000;#` → the firmware's version text. Proves the recorder speaks the protocol. */
  async version(): Promise<string> {
    const reply = await this.exchange('Ver', 8, '00000000');
    if (reply.status === 'error') throw refused('Ver', reply);
    return reply.payload.join(';');
  }

  /** `@Gdv;<n>;<pwd>;#` → the device id (the recorder's serial). */
  async deviceId(password: string): Promise<string> {
    const pwd = checkAmbaPassword(password);
    const reply = await this.exchange('Gdv', pwd.length, pwd);
    if (reply.status === 'error') throw wrongPassword('Gdv');
    const id = reply.payload.filter((f) => f !== '').at(-1);
    if (id === undefined) throw new AmbaError('bad-reply', 'the recorder sent no device id');
    return id;
  }

  /** `@Sdt;8;YYYYMMDD;#` then `@Stm;6;HHmmss00;#`, both from one instant, in the recorder's zone. */
  async setClock(date: Date, timeZone?: string): Promise<void> {
    const c = wallClock(date, timeZone);
    const day = await this.exchange('Sdt', 8, `${c.YYYY}${c.MM}${c.DD}`);
    if (day.status === 'error') throw refused('Sdt', day);
    const time = await this.exchange('Stm', 6, `${c.HH}${c.mm}${c.ss}00`);
    if (time.status === 'error') throw refused('Stm', time);
  }

  /** `@ATH;<n>;<pwd>;#`: the recorder switches to storage mode (and drops off the bus). */
  async storageMode(password: string): Promise<void> {
    const pwd = checkAmbaPassword(password);
    const reply = await this.exchange('ATH', pwd.length, pwd);
    if (reply.status === 'error') throw wrongPassword('ATH');
  }

  private async exchange(name: string, lengthField: number, argument: string): Promise<AmbaReply> {
    try {
      await this.transport.write(ambaCommand(name, lengthField, argument));
    } catch (error) {
      throw new AmbaError('transport', `sending ${name} failed: ${errorText(error)}`);
    }
    return parseAmbaReply(await this.readReply(name), name);
  }

  private async readReply(name: string): Promise<string> {
    const deadline = Date.now() + this.timeoutMs;
    let received = Buffer.alloc(0);
    for (;;) {
      const waiting = received.length === 0;
      const left = deadline - Date.now();
      if (waiting && left <= 0) break;
      const wait = waiting ? left : Math.min(this.settleMs, Math.max(left, 1));
      let chunk: Uint8Array;
      try {
        chunk = await this.transport.read(READ_CHUNK, wait);
      } catch (error) {
        if (!(error instanceof TransportTimeoutError)) {
          throw new AmbaError(
            'transport',
            `reading the reply to ${name} failed: ${errorText(error)}`,
          );
        }
        if (waiting) break;
        return received.toString('latin1');
      }
      received = Buffer.concat([received, chunk]);
      if (received.includes(0x23 /* # */)) return received.toString('latin1');
      if (received.length > MAX_REPLY_BYTES) {
        throw new AmbaError(
          'bad-reply',
          `reply to ${name} is too long`,
          printable(received.toString('latin1')),
        );
      }
      if (!waiting && Date.now() >= deadline) return received.toString('latin1');
    }
    throw new AmbaError(
      'timeout',
      `the recorder did not answer ${name} within ${this.timeoutMs} ms`,
    );
  }
}

function refused(name: string, reply: AmbaReply): AmbaError {
  return new AmbaError(
    'refused',
    `the recorder refused ${name}`,
    [reply.command, ...reply.payload].join(';'),
  );
}

function wrongPassword(name: string): AmbaError {
  return new AmbaError(
    'wrong-password',
    `the recorder refused the password (${name}): check the unit's amba-bulk password`,
  );
}

function printable(raw: string): string {
  return raw
    .replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .slice(0, 200);
}
