import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorCodeOf } from '../../api/errors';
import { errorText } from '../../i18n/format';

/**
 * A failed disc call as the app shows failures, and for a missing tool what to do about it: the
 * station's message names the tool; the hint says who installs it, and with what.
 */
export function DiscError({
  error,
  type = 'error',
  title,
}: {
  error: unknown;
  type?: 'error' | 'warning';
  /** What failed, above why (e.g. which disc). */
  title?: string;
}) {
  const { t } = useTranslation();
  const code = errorCodeOf(error);
  const text = errorText(t, error);
  const hint = code === 'DISC_TOOL_MISSING' ? t('discs.toolHint') : null;
  return (
    <Alert
      type={type}
      showIcon
      data-testid="disc-error"
      data-code={code}
      title={title ?? text}
      description={
        title === undefined ? (hint ?? undefined) : hint === null ? text : `${text} ${hint}`
      }
    />
  );
}
