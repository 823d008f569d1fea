import { useMemo } from 'react';
import { Alert, Descriptions, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ClipForwarding as TargetWay } from '../../../src-main/contract';
import { failureText, formatLocalTime } from '../../i18n/format';
import { OutboxStateTag } from '../../shared/forwarding/OutboxStateTag';
import { RuleTag } from '../../shared/RuleTag';
import { formatBytesOf, UNKNOWN } from '../../shared/format';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';

/**
 * A clip's way to each central-storage target (`forward.clip`; D-24H, D-NO-TAMPER: it counts as
 * stored there once verified): the state, bytes sent, attempts, the last failure in the server's
 * words and when it is tried again, and when it was verified.
 */
export function ClipForwarding({
  clipId,
  size,
  version,
}: {
  clipId: number;
  size: number;
  version: number;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const load = useMemo(
    () => (signal: AbortSignal) => client.call('forward.clip', { clipId }, { signal }),
    [client, clipId],
  );
  const { data, error } = useStationData(load, { reloadKey: version });
  const failure = failureText(t, error);

  const nextTry = (way: TargetWay) =>
    way.nextTryAt !== null
      ? formatLocalTime(way.nextTryAt)
      : way.state === 'failed'
        ? t('forwarding.failures.waitsForCustodian')
        : UNKNOWN;

  return (
    <div data-testid="drawer-forwarding">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        <Space>
          {t('clips.drawer.forwarding')} <RuleTag rule="D-24H" />
        </Space>
      </Typography.Title>
      {failure !== null && <Alert type="error" showIcon title={failure} />}
      {data === null && failure === null && <Spin size="small" />}
      {data !== null && data.targets.length === 0 && (
        <Typography.Text type="secondary">{t('clips.drawer.forwardNone')}</Typography.Text>
      )}
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        {(data?.targets ?? []).map((way) => (
          <Descriptions
            key={way.target}
            size="small"
            bordered
            column={2}
            data-testid={`drawer-forward-${way.target}`}
            data-state={way.state}
            title={
              <Space>
                <span>{way.target}</span>
                <OutboxStateTag state={way.state} />
              </Space>
            }
            items={[
              {
                key: 'sent',
                label: t('clips.drawer.forwardSent'),
                children: formatBytesOf(way.bytesSent, size),
              },
              { key: 'attempts', label: t('clips.drawer.forwardAttempts'), children: way.attempts },
              ...(way.failure !== null
                ? [
                    {
                      key: 'failure',
                      label: t('clips.drawer.forwardFailure'),
                      span: 'filled' as const,
                      children: (
                        <Typography.Text type="danger" style={{ wordBreak: 'break-word' }}>
                          {way.failure}
                        </Typography.Text>
                      ),
                    },
                  ]
                : []),
              ...(way.state !== 'verified'
                ? [
                    {
                      key: 'next',
                      label: t('clips.drawer.forwardNextTry'),
                      span: 'filled' as const,
                      children: nextTry(way),
                    },
                  ]
                : [
                    {
                      key: 'verified',
                      label: (
                        <Space size={4}>
                          {t('clips.drawer.forwardVerifiedAt')}
                          <RuleTag rule="D-NO-TAMPER" />
                        </Space>
                      ),
                      span: 'filled' as const,
                      children: way.verifiedAt !== null ? formatLocalTime(way.verifiedAt) : UNKNOWN,
                    },
                  ]),
            ]}
          />
        ))}
      </Space>
    </div>
  );
}
