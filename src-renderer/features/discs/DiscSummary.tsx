import { Space, Statistic, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../../src-main/contract';
import { formatLocalTime } from '../../i18n/format';
import { RuleTag } from '../../shared/RuleTag';
import { formatBytes } from '../../shared/format';

type DiscList = MethodOutput<'disc.list'>;

/**
 * What D-LONGTERM still asks for: long-term footage no verified disc holds yet (how much, since
 * when, of which cases), and the discs whose re-check has come.
 */
export function DiscSummary({ list }: { list: DiscList }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { pending, due } = list;
  const warn = (n: number) => (n > 0 ? token.colorWarning : token.colorSuccess);
  const named = pending.cases.reduce((sum, c) => sum + c.clips, 0);

  return (
    <div
      style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 1fr)', gap: 16 }}
      data-testid="disc-summary"
    >
      <Space orientation="vertical" size={6} data-testid="disc-pending" data-clips={pending.clips}>
        <Statistic
          title={
            <Space size={6}>
              {t('discs.summary.pending')}
              <RuleTag rule="D-LONGTERM" />
            </Space>
          }
          value={pending.clips}
          suffix={
            <Typography.Text type="secondary" style={{ fontSize: 14 }}>
              {t('discs.summary.pendingSize', { size: formatBytes(pending.bytes) })}
            </Typography.Text>
          }
          styles={{ content: { color: warn(pending.clips) } }}
        />
        {pending.oldestCustodyAt !== null && (
          <Typography.Text type="secondary">
            {t('discs.summary.oldest', { at: formatLocalTime(pending.oldestCustodyAt) })}
          </Typography.Text>
        )}
        {pending.cases.length > 0 && (
          <Space size={4} wrap>
            {pending.cases.map((c) => (
              <Tag key={c.caseNumber ?? ''}>
                {t('discs.summary.caseClips', {
                  number: c.caseNumber ?? t('discs.noCase'),
                  count: c.clips,
                })}
              </Tag>
            ))}
            {named < pending.clips && pending.cases.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('discs.summary.moreCases', { count: pending.clips - named })}
              </Typography.Text>
            )}
          </Space>
        )}
      </Space>
      <Space orientation="vertical" size={6} data-testid="disc-due" data-due={due}>
        <Statistic
          title={
            <Space size={6}>
              {t('discs.summary.due')}
              <RuleTag rule="D-LONGTERM" />
            </Space>
          }
          value={due}
          styles={{ content: { color: warn(due) } }}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('discs.summary.dueHint')}
        </Typography.Text>
      </Space>
    </div>
  );
}
