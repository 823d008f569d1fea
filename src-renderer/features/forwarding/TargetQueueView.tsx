import { Descriptions, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OutboxState, TargetQueue } from '../../../src-main/contract';
import { formatLocalTime } from '../../i18n/format';
import { RuleTag } from '../../shared/RuleTag';
import { formatBytes, formatEta, formatRate, UNKNOWN } from '../../shared/format';
import { etaSeconds, waitedPastDay } from './forwardingFormat';

const SHOWN: readonly OutboxState[] = ['queued', 'uploading', 'uploaded', 'verified', 'failed'];

/**
 * One target's queue (D-24H: footage reaches the unit's storage within the day; D-NO-TAMPER:
 * a copy counts only once it is verified there): clips and bytes in each state, the rate, the
 * time left at that rate, and the custody time of the oldest clip still waiting.
 */
export function TargetQueueView({ queue, now }: { queue: TargetQueue; now: number }) {
  const { t } = useTranslation();
  const eta = etaSeconds(queue);
  const late = waitedPastDay(queue.oldestWaiting, now);
  const count = (state: OutboxState) => (
    <span
      data-testid={`queue-${state}`}
      data-clips={queue[state].clips}
      style={state === 'failed' && queue.failed.clips > 0 ? { color: '#cf1322' } : undefined}
    >
      {t('forwarding.queue.countValue', {
        count: queue[state].clips,
        size: formatBytes(queue[state].bytes),
      })}
    </span>
  );
  return (
    <Descriptions
      size="small"
      bordered
      column={3}
      data-testid="target-queue"
      title={
        <Space>
          {t('forwarding.queue.title')} <RuleTag rule="D-24H" />
        </Space>
      }
      items={[
        ...SHOWN.map((state) => ({
          key: state,
          label:
            state === 'verified' ? (
              <Space size={4}>
                {t(`forwarding.states.${state}`)}
                <RuleTag rule="D-NO-TAMPER" />
              </Space>
            ) : (
              t(`forwarding.states.${state}`)
            ),
          children: count(state),
        })),
        {
          key: 'rate',
          label: t('forwarding.queue.rate'),
          children: <span data-testid="queue-rate">{formatRate(queue.rate)}</span>,
        },
        {
          key: 'eta',
          label: t('forwarding.queue.eta'),
          children: (
            <span data-testid="queue-eta">
              {eta === 0
                ? t('forwarding.queue.nothingWaiting')
                : eta === null
                  ? queue.stopped !== null || !queue.enabled
                    ? t('forwarding.queue.paused')
                    : UNKNOWN
                  : formatEta(t, eta)}
            </span>
          ),
        },
        {
          key: 'oldest',
          label: t('forwarding.queue.oldestWaiting'),
          span: 'filled',
          children:
            queue.oldestWaiting === null ? (
              <Typography.Text type="secondary">
                {t('forwarding.queue.noneWaiting')}
              </Typography.Text>
            ) : (
              <Space size={6} data-testid="queue-oldest">
                {formatLocalTime(queue.oldestWaiting)}
                {late && <Tag color="warning">{t('forwarding.queue.overDay')}</Tag>}
              </Space>
            ),
        },
      ]}
    />
  );
}
