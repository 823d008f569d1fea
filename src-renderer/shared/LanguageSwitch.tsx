import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, isLanguage, setLanguage, type Language } from '../i18n/index';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current: Language = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  return (
    <Segmented<Language>
      size="small"
      value={current}
      data-testid="language-switch"
      aria-label={t('header.language')}
      options={LANGUAGES.map((language) => ({
        value: language,
        label: <span data-testid={`language-${language}`}>{t(`languages.${language}`)}</span>,
      }))}
      onChange={(language) => void setLanguage(language)}
    />
  );
}
