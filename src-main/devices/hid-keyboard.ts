/**
 * IC-card readers at the dock are "keyboard wedges": they type the card number as key presses
 * and end it with Enter. This turns their raw HID reports back into card numbers.
 *
 * A report is the boot-keyboard layout: modifier byte, reserved byte, six key slots holding HID
 * usage ids of the keys held down (Keyboard/Keypad page 0x07). A key counts when it appears in a
 * report and was not in the one before, so a held key is one character and a repeated digit
 * ("00") is two presses with a release between them.
 */

const ENTER = 0x28;
const KEYPAD_ENTER = 0x58;
/** Phantom state: too many keys at once; the report says nothing about which. */
const ERROR_ROLL_OVER = 0x01;
const SHIFT_BITS = 0x02 | 0x20;

function characterOf(usage: number, shifted: boolean): string | undefined {
  if (usage >= 0x04 && usage <= 0x1d) {
    const letter = String.fromCharCode(0x61 + usage - 0x04);
    return shifted ? letter.toUpperCase() : letter;
  }
  // Shifted digits are symbols, never part of a card number.
  if (usage >= 0x1e && usage <= 0x27 && !shifted)
    return usage === 0x27 ? '0' : String(usage - 0x1d);
  if (usage >= 0x59 && usage <= 0x62) return usage === 0x62 ? '0' : String(usage - 0x58);
  if (usage === 0x2d && !shifted) return '-';
  return undefined;
}

export interface KeyboardWedgeOptions {
  /**
   * Whether reports start with a report-id byte. `auto`: a 9-byte report has one (hidraw passes
   * the id through for readers that declare report ids); an 8-byte report does not.
   */
  reportId?: 'auto' | 'present' | 'absent';
  /** A pause longer than this between keys drops what was typed so far (a half-read card). */
  interKeyTimeoutMs?: number;
  /** Longer input is not a card number; it is dropped at the next Enter. */
  maxLength?: number;
}

export class KeyboardWedgeDecoder {
  private readonly reportId: 'auto' | 'present' | 'absent';
  private readonly interKeyTimeoutMs: number;
  private readonly maxLength: number;
  private held: number[] = [];
  private typed = '';
  private overflow = false;
  private lastKeyAt: number | undefined;

  constructor(options: KeyboardWedgeOptions = {}) {
    this.reportId = options.reportId ?? 'auto';
    this.interKeyTimeoutMs = options.interKeyTimeoutMs ?? 1000;
    this.maxLength = options.maxLength ?? 64;
  }

  /** Feeds one report; returns a card number when this report's Enter completes one. */
  push(report: Uint8Array, now: number = Date.now()): string | undefined {
    const withId = this.reportId === 'present' || (this.reportId === 'auto' && report.length === 9);
    const bytes = withId ? report.subarray(1) : report;
    if (bytes.length < 3) return undefined;
    const modifiers = bytes[0] ?? 0;
    const keys = [...bytes.subarray(2, 8)].filter((k) => k !== 0);
    if (keys.includes(ERROR_ROLL_OVER)) return undefined;
    const pressed = keys.filter((k) => !this.held.includes(k));
    this.held = keys;
    let card: string | undefined;
    for (const usage of pressed) {
      if (
        this.lastKeyAt !== undefined &&
        now - this.lastKeyAt > this.interKeyTimeoutMs &&
        this.typed !== ''
      ) {
        this.reset();
      }
      this.lastKeyAt = now;
      if (usage === ENTER || usage === KEYPAD_ENTER) {
        if (this.typed !== '' && !this.overflow) card = this.typed;
        this.reset();
        continue;
      }
      const character = characterOf(usage, (modifiers & SHIFT_BITS) !== 0);
      if (character === undefined) continue;
      if (this.typed.length >= this.maxLength) this.overflow = true;
      else this.typed += character;
    }
    return card;
  }

  private reset(): void {
    this.typed = '';
    this.overflow = false;
  }
}
