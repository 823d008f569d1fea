import type { FormRule as Rule } from 'antd';
import type { TFunction } from 'i18next';
import {
  badgeSchema,
  cardNumberSchema,
  newPasswordSchema,
  personNameSchema,
  pinSchema,
} from '../../src-main/contract';

/**
 * A form rule that checks with one of the contract's own schemas, so the form refuses exactly
 * what the station would refuse, with a translated message (an empty field is left to `required`).
 */
export function schemaRule(
  schema: { safeParse(value: unknown): { success: boolean } },
  message: string,
) {
  return {
    validator: (_rule: unknown, value: unknown) =>
      value === undefined || value === '' || schema.safeParse(value).success
        ? Promise.resolve()
        : Promise.reject(new Error(message)),
  };
}

export function badgeRules(t: TFunction): Rule[] {
  return [
    { required: true, message: t('validation.badgeRequired') },
    schemaRule(badgeSchema, t('validation.badgeFormat')),
  ];
}

export function nameRules(t: TFunction): Rule[] {
  return [
    { required: true, whitespace: true, message: t('validation.nameRequired') },
    schemaRule(personNameSchema, t('validation.nameFormat')),
  ];
}

export function newPasswordRules(t: TFunction): Rule[] {
  return [
    { required: true, message: t('validation.passwordRequired') },
    schemaRule(newPasswordSchema, t('validation.passwordLength')),
  ];
}

/** A dock PIN: 4–8 digits. */
export function pinRules(t: TFunction): Rule[] {
  return [
    { required: true, message: t('validation.pinFormat') },
    schemaRule(pinSchema, t('validation.pinFormat')),
  ];
}

/** An IC card number as the dock's reader types it. */
export function cardRules(t: TFunction): Rule[] {
  return [
    { required: true, message: t('validation.cardFormat') },
    schemaRule(cardNumberSchema, t('validation.cardFormat')),
  ];
}

export function passwordRules(t: TFunction): Rule[] {
  return [{ required: true, message: t('validation.passwordRequired') }];
}

/** The confirmation field must repeat the field named `field`. */
export function confirmRules(t: TFunction, field: string): Rule[] {
  return [
    { required: true, message: t('validation.confirmRequired') },
    ({ getFieldValue }) => ({
      validator: (_rule, value) =>
        value === undefined || value === '' || value === getFieldValue(field)
          ? Promise.resolve()
          : Promise.reject(new Error(t('validation.confirmMismatch'))),
    }),
  ];
}
