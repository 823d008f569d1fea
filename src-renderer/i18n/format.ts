import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import type { ClientErrorCode } from '../api/errors';
import { StationError } from '../api/errors';

/** Station times are ISO strings (UTC); officers read them in the workstation's local time. */
export function formatLocalTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '';
  const time = dayjs(iso);
  return time.isValid() ? time.format('YYYY-MM-DD HH:mm:ss') : iso;
}

export function errorCodeText(t: TFunction, code: ClientErrorCode): string {
  return t(`errors.${code}`, { defaultValue: code });
}

/**
 * Codes whose station message says what the code cannot: the field refused, the state in the
 * way, which disc tool is missing and how to install it, why a burn or a disc failed.
 */
const WITH_STATION_DETAIL: ReadonlySet<ClientErrorCode> = new Set([
  'BAD_REQUEST',
  'INTERNAL',
  'CONFLICT',
  'DISC_TOOL_MISSING',
  'DISC_TOO_SMALL',
  'DISC_BURN_FAILED',
  'DISC_UNKNOWN',
]);

/**
 * A failed call as a sentence for the user: the translated stable code; for the codes above the
 * station's own message is added.
 */
export function errorText(t: TFunction, error: unknown): string {
  if (error instanceof StationError) {
    const text = errorCodeText(t, error.code);
    if (error.code === 'ACCOUNT_LOCKED') {
      const until = error.details?.['lockedUntil'];
      if (typeof until === 'string') {
        return t('errors.ACCOUNT_LOCKED_UNTIL', { until: formatLocalTime(until) });
      }
    }
    const example = error.details?.['example'];
    const number = error.details?.['number'];
    if (error.code === 'BAD_REQUEST' && typeof example === 'string' && typeof number === 'string') {
      return t('errors.caseNumberFormat', { number, example });
    }
    if (WITH_STATION_DETAIL.has(error.code)) {
      return t('errors.withDetail', { text, detail: error.message });
    }
    return text;
  }
  return t('errors.INTERNAL');
}

/** Why a load failed, as errorText() says it; null while nothing has failed. */
export function failureText(t: TFunction, failure: unknown): string | null {
  return failure === null ? null : errorText(t, failure);
}

/** Audit action ids contain dots; catalogue keys use underscores in their place. */
export function auditActionKey(action: string): string {
  return `auditActions.${action.replace(/\./g, '_')}`;
}

export function auditActionLabel(t: TFunction, action: string): string {
  return t(auditActionKey(action), { defaultValue: action });
}
