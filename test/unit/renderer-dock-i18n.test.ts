import { createInstance, type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import {
  clockOffsetSourceSchema,
  DOCKING_PHASES,
  dockingSchema,
  mediaKindSchema,
  PERMISSIONS,
  RECORDER_FACTS,
  timeSourceSchema,
} from '../../src-main/contract';
import {
  FINDING_CODES,
  findingHint,
  findingRule,
  findingTitle,
} from '../../src-renderer/shared/clips/findings';
import en from '../../src-renderer/i18n/en.json';
import zhCN from '../../src-renderer/i18n/zh-CN.json';

const CATALOGUES = { 'zh-CN': zhCN, en } as const;

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

/** The keys the Dock and Recorders screens build from contract values at run time. */
const COMPUTED_KEYS = [
  ...DOCKING_PHASES.map((phase) => `dock.phase.${phase}`),
  ...dockingSchema.shape.clipsInFlight.element.shape.phase.options.map(
    (phase: string) => `dock.clipPhase.${phase}`,
  ),
  ...FINDING_CODES.map((code) => `dock.findings.codes.${code}`),
  ...FINDING_CODES.map((code) => `dock.findings.hints.${code}`),
  ...timeSourceSchema.options.map((source) => `dock.timeSource.${source}`),
  ...timeSourceSchema.options.map((source) => `dock.timeSource.hint.${source}`),
  ...mediaKindSchema.options.map((kind) => `dock.kinds.${kind}`),
  ...clockOffsetSourceSchema.options.map((source) => `dock.clock.source.${source}`),
  ...dockingSchema.shape.identifiedBy
    .unwrap()
    .options.map((how: string) => `dock.identifiedBy.${how}`),
  ...['working', 'safe', 'incomplete', 'interrupted', 'failed'].map((s) => `dock.state.${s}`),
  ...['working', 'incomplete', 'interrupted'].map((s) => `dock.state.${s}Detail`),
  ...PERMISSIONS.filter((p) => p !== 'public' && p !== 'session').map((p) => `permissions.${p}`),
  ...RECORDER_FACTS.map((fact) => `recorders.facts.${fact}`),
];

describe('Dock and Recorders text', () => {
  for (const language of ['zh-CN', 'en'] as const) {
    it(`has every computed key in ${language}`, () => {
      const t = translator(language);
      const missing = COMPUTED_KEYS.filter((key) => {
        const text = t(key, { count: 2 });
        return text === key || text.trim() === '';
      });
      expect(missing).toEqual([]);
    });
  }

  it('says "safe to undock" in words an officer cannot miss', () => {
    expect(translator('zh-CN')('dock.state.safe')).toBe('可以拔出');
    expect(translator('en')('dock.state.safe')).toBe('Safe to undock');
    expect(translator('zh-CN')('dock.state.working')).toContain('请勿拔出');
    expect(translator('en')('dock.state.working')).toContain('do not undock');
  });

  it('cites the rule in the explanation of each finding that serves one', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const t = translator(language);
      for (const code of FINDING_CODES) {
        const rule = findingRule(code);
        if (rule !== null) expect(findingHint(t, code), `${language} ${code}`).toContain(rule);
      }
      expect(t('dock.clips.lateTip', { end: 'a', custody: 'b' })).toContain('D-24H');
    }
  });

  it('names known findings and falls back to the station message for unknown ones', () => {
    const zh = translator('zh-CN');
    const message = 'Sequence 0012 missing';
    expect(findingTitle(zh, { code: 'sequence-gap', message })).toBe('文件序号不连续');
    expect(findingTitle(translator('en'), { code: 'late-custody', message })).toBe(
      'Custody later than 24 h',
    );
    expect(findingTitle(zh, { code: 'brand-new-code', message })).toBe(message);
    expect(findingTitle(zh, { code: 'brand-new-code', message: '' })).toBe('brand-new-code');
    expect(findingHint(zh, 'brand-new-code')).toBeNull();
  });

  it('says where a clock offset comes from', () => {
    expect(translator('zh-CN')('dock.clock.source.driver')).toBe('读自记录仪');
    expect(translator('zh-CN')('dock.clock.source.estimate')).toBe('估计值');
    expect(translator('en')('dock.clock.source.driver')).toBe('read from recorder');
    expect(translator('en')('dock.clock.source.estimate')).toBe('estimated');
  });

  it('pluralises clip counts in English only', () => {
    expect(translator('en')('dock.clips.count', { count: 1 })).toBe('1 clip');
    expect(translator('en')('dock.clips.count', { count: 3 })).toBe('3 clips');
    expect(translator('zh-CN')('dock.clips.count', { count: 3 })).toBe('共 3 条');
    expect(translator('en')('dock.state.safeDetail', { count: 1 })).toBe(
      '1 clip copied and verified',
    );
  });

  it('lists zh-CN first', () => {
    expect(Object.keys(CATALOGUES)[0]).toBe('zh-CN');
  });
});
