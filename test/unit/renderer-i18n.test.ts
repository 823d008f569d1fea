import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInstance, type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS as KNOWN_AUDIT_ACTIONS, ERROR_CODES, ROLES } from '../../src-main/contract';
import { CLIENT_ONLY_CODES, StationError } from '../../src-renderer/api/errors';
import { SCREENS } from '../../src-renderer/shared/routes';
import { auditActionKey, auditActionLabel, errorText } from '../../src-renderer/i18n/format';
import en from '../../src-renderer/i18n/en.json';
import zhCN from '../../src-renderer/i18n/zh-CN.json';

const RENDERER = fileURLToPath(new URL('../../src-renderer/', import.meta.url));
const CATALOGUES = { 'zh-CN': zhCN, en } as Record<string, Record<string, unknown>>;
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Flattens a catalogue to `a.b.c` → text. */
function flatten(tree: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(path, value);
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of flatten(value as Record<string, unknown>, path)) out.set(k, v);
    } else throw new Error(`${path}: not a string`);
  }
  return out;
}

/** Keys as code asks for them: plural forms collapse to their base key. */
function baseKeys(flat: Map<string, string>): Set<string> {
  return new Set([...flat.keys()].map((key) => key.replace(PLURAL_SUFFIX, '')));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const zhFlat = flatten(zhCN);
const enFlat = flatten(en);
const zhKeys = baseKeys(zhFlat);
const enKeys = baseKeys(enFlat);

function translator(language: 'zh-CN' | 'en'): TFunction {
  const i18n = createInstance();
  void i18n.init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: language,
    fallbackLng: false,
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}

describe('renderer i18n catalogues', () => {
  it('have the same keys in zh-CN and en', () => {
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  it('list zh-CN first (the default language)', () => {
    expect(Object.keys(CATALOGUES)[0]).toBe('zh-CN');
  });

  it('have no empty strings', () => {
    for (const [language, flat] of [
      ['zh-CN', zhFlat],
      ['en', enFlat],
    ] as const) {
      const empty = [...flat].filter(([, text]) => text.trim() === '').map(([key]) => key);
      expect(empty, language).toEqual([]);
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, zhText] of zhFlat) {
      const base = key.replace(PLURAL_SUFFIX, '');
      const enVariants = [...enFlat].filter(([k]) => k.replace(PLURAL_SUFFIX, '') === base);
      for (const [enKey, enText] of enVariants) {
        expect(placeholders(enText), `${enKey} vs ${key}`).toEqual(placeholders(zhText));
      }
    }
  });

  it('translate every error code, role, screen and known audit action', () => {
    const required = [
      ...ERROR_CODES.map((code) => `errors.${code}`),
      ...CLIENT_ONLY_CODES.map((code) => `errors.${code}`),
      ...ROLES.map((role) => `roles.${role}`),
      ...SCREENS.map((screen) => `nav.${screen}`),
      ...KNOWN_AUDIT_ACTIONS.map(auditActionKey),
      ...['idle', 'manual', 'expired', 'reload'].map((reason) => `lock.reason.${reason}`),
      ...['users.read', 'users.manage', 'audit.read', 'audit.verify'].map(
        (p) => `permissions.${p}`,
      ),
      'languages.zh-CN',
      'languages.en',
    ];
    expect(required.filter((key) => !zhKeys.has(key))).toEqual([]);
    expect(required.filter((key) => !enKeys.has(key))).toEqual([]);
  });

  it('contain every literal key the components ask for', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(RENDERER)) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/\bt\(\s*'([^']+)'/g)) {
        const key = match[1] ?? '';
        if (!zhKeys.has(key) || !enKeys.has(key)) missing.push(`${file}: ${key}`);
      }
      for (const match of source.matchAll(
        /\?\s*'([a-z]+\.[A-Za-z.]+)'\s*:\s*'([a-z]+\.[A-Za-z.]+)'/g,
      )) {
        for (const key of [match[1] ?? '', match[2] ?? '']) {
          if (!zhKeys.has(key) || !enKeys.has(key)) missing.push(`${file}: ${key}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('names the role words the unit uses', () => {
    const t = translator('zh-CN');
    expect(t('roles.officer')).toBe('执法人员');
    expect(t('roles.supervisor')).toBe('法制监督');
    expect(t('roles.admin')).toBe('系统管理员');
    expect(t('roles.custodian')).toBe('专门人员（保管）');
    expect(translator('en')('roles.custodian')).toBe('Custodian');
  });

  it('cites the rules in the audit note', () => {
    for (const flat of [zhFlat, enFlat]) {
      expect(flat.get('audit.tamperNote')).toContain('D-NO-TAMPER');
      expect(flat.get('audit.tamperNote')).toContain('D-SUPERVISION');
    }
  });

  it('pluralise counts in English and not in Chinese', () => {
    expect(translator('en')('audit.chain.intact', { count: 1, at: 'x' })).toContain('1 entry,');
    expect(translator('en')('audit.chain.intact', { count: 3, at: 'x' })).toContain('3 entries');
    expect(translator('zh-CN')('audit.chain.intact', { count: 3, at: 'x' })).toContain('共 3 条');
  });
});

describe('renderer text helpers', () => {
  it('label known audit actions and fall back to the raw id', () => {
    const t = translator('zh-CN');
    expect(auditActionLabel(t, 'auth.login.failed')).toBe('登录失败');
    expect(auditActionLabel(t, 'user.added')).toBe('添加用户');
    expect(auditActionLabel(t, 'clip.ingested')).toBe('clip.ingested');
    expect(auditActionLabel(translator('en'), 'auth.logout')).toBe('Logged out');
  });

  it('say until when a locked account unlocks', () => {
    const t = translator('en');
    const error = new StationError('ACCOUNT_LOCKED', 'locked', {
      lockedUntil: '2030-01-02T03:04:05.000Z',
    });
    expect(errorText(t, error)).toMatch(/^The account is locked until 2030-01-0\d \d\d:04:05$/);
    expect(errorText(t, new StationError('ACCOUNT_LOCKED', 'locked'))).toBe(
      'The account is locked for now',
    );
  });

  it('translate codes and keep the station message for refused requests', () => {
    const t = translator('zh-CN');
    expect(errorText(t, new StationError('FORBIDDEN', 'no'))).toBe('您的角色无权执行此操作');
    expect(errorText(t, new StationError('BAD_REQUEST', 'badge: too short'))).toBe(
      '请求无效（badge: too short）',
    );
    expect(errorText(t, new Error('boom'))).toBe('采集站内部错误');
  });
});
