import { useCallback } from 'react';
import { Alert, Button, Card, Descriptions, Space, Typography, theme } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { failureText, formatLocalTime } from '../../i18n/format';
import { RuleTag } from '../../shared/RuleTag';
import { formatBytes } from '../../shared/format';
import { navigate } from '../../shared/routes';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';

/**
 * Long-term discs on Home, for custodians and supervisors (D-LONGTERM): long-term footage no
 * verified disc holds yet, and the discs whose re-check has come; in warning colours while either
 * is not nil, with the way to the Discs screen.
 */
export function LongTermDiscsCard() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { client } = useStation();
  // The counts come with any listing: one disc is the least the station lists.
  const load = useCallback(
    (signal: AbortSignal) => client.call('disc.list', { limit: 1 }, { signal }),
    [client],
  );
  const { data, error } = useStationData(load);
  const failure = failureText(t, error);
  const pending = data?.pending ?? null;
  const due = data?.due ?? null;
  const warn = (n: number | null) =>
    n === null ? undefined : { color: n > 0 ? token.colorWarning : token.colorSuccess };

  return (
    <Card
      size="small"
      data-testid="discs-card"
      data-pending={pending?.clips ?? ''}
      data-due={due ?? ''}
      title={
        <Space>
          <SaveOutlined />
          {t('home.discs.title')}
          <RuleTag rule="D-LONGTERM" />
        </Space>
      }
      extra={
        <Button size="small" onClick={() => navigate('discs')} data-testid="discs-card-open">
          {t('home.discs.open')}
        </Button>
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {failure !== null && <Alert type="warning" showIcon title={failure} />}
        {data !== null && pending !== null && (
          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              {
                key: 'pending',
                label: t('home.discs.pending'),
                children: (
                  <Space orientation="vertical" size={0}>
                    <span style={{ ...warn(pending.clips), fontWeight: 600 }}>
                      {t('home.discs.pendingValue', {
                        count: pending.clips,
                        size: formatBytes(pending.bytes),
                      })}
                    </span>
                    {pending.oldestCustodyAt !== null && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('discs.summary.oldest', {
                          at: formatLocalTime(pending.oldestCustodyAt),
                        })}
                      </Typography.Text>
                    )}
                  </Space>
                ),
              },
              {
                key: 'due',
                label: t('home.discs.due'),
                children: (
                  <span style={{ ...warn(due), fontWeight: 600 }}>
                    {t('home.discs.dueValue', { count: due ?? 0 })}
                  </span>
                ),
              },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}
