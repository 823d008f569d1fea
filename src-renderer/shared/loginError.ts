import type { TFunction } from 'i18next';
import type { PinClearedReason } from '../../src-main/contract';
import { StationError } from '../api/errors';
import { errorText, formatLocalTime } from '../i18n/format';

/** What a failed `auth.login` tells the person at the keyboard (login and lock screens). */
export function loginErrorText(t: TFunction, error: unknown): string {
  if (error instanceof StationError) {
    switch (error.code) {
      case 'INVALID_CREDENTIALS':
        return t('login.errors.invalid');
      case 'ACCOUNT_DISABLED':
        return t('login.errors.disabled');
      case 'ACCOUNT_LOCKED': {
        const until = error.details?.['lockedUntil'];
        return typeof until === 'string'
          ? t('login.errors.lockedUntil', { until: formatLocalTime(until) })
          : t('login.errors.locked');
      }
      default:
        break;
    }
  }
  return errorText(t, error);
}

/** Why the station cleared someone's dock PIN, in the words they are told (login, PIN form). */
export function pinClearedText(t: TFunction, reason: PinClearedReason): string {
  return reason === 'six-digit-pins'
    ? t('pin.cleared.sixDigitPins')
    : t('pin.cleared.passwordReset');
}
