import { useCallback, useState } from 'react';
import { App, Alert, Button, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { RedoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { OutboxFailure } from '../../../src-main/contract';
import { errorText, failureText, formatLocalTime } from '../../i18n/format';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';

/**
 * The clips that failed to reach a target, with the server's code and words, the attempts and
 * when each is tried again; a custodian retries one or all (D-CUSTODIAN). For a supervisor a
 * confidential clip's object key and words are withheld by the station (D-CONFIDENTIAL).
 */
export function TargetFailures({
  target,
  failed,
  moved,
  mayRetry,
  onRetried,
}: {
  target: string;
  /** How many clips the queue counts as failed: the list loads only when there are some. */
  failed: number;
  /** Changes whenever the queue moves, so the list follows it. */
  moved: string;
  mayRetry: boolean;
  onRetried: () => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = App.useApp();
  const [retrying, setRetrying] = useState<number | 'all' | null>(null);
  const load = useCallback(
    async (signal: AbortSignal) =>
      (await client.call('forward.failures', { name: target }, { signal })).failures,
    [client, target],
  );
  const { data, error, reload } = useStationData(failed > 0 ? load : null, { reloadKey: moved });
  const failures = failed > 0 ? (data ?? []) : [];
  const loadError = failureText(t, error);

  const retry = async (clipId?: number) => {
    setRetrying(clipId ?? 'all');
    try {
      const { retried } = await client.call('forward.retry', {
        name: target,
        ...(clipId !== undefined && { clipId }),
      });
      void message.success(t('forwarding.failures.retried', { count: retried }));
      onRetried();
      await reload();
    } catch (cause) {
      void message.error(errorText(t, cause));
    } finally {
      setRetrying(null);
    }
  };

  if (failed === 0) return null;

  const columns: TableColumnsType<OutboxFailure> = [
    { title: t('forwarding.failures.clip'), dataIndex: 'clipId', width: 112 },
    {
      title: t('forwarding.failures.reason'),
      key: 'reason',
      render: (_: unknown, row: OutboxFailure) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text code>{row.code}</Typography.Text>
          {row.withheld !== null ? (
            <Typography.Text type="secondary">
              {t('forwarding.failures.withheld', { rule: row.withheld })}
            </Typography.Text>
          ) : (
            <>
              {row.message !== null && (
                <Typography.Text style={{ wordBreak: 'break-word' }}>{row.message}</Typography.Text>
              )}
              {row.objectKey !== null && (
                <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                  {row.objectKey}
                </Typography.Text>
              )}
            </>
          )}
        </Space>
      ),
    },
    { title: t('forwarding.failures.attempts'), dataIndex: 'attempts', width: 90 },
    {
      title: t('forwarding.failures.nextTry'),
      dataIndex: 'nextTryAt',
      width: 180,
      render: (at: string | null) =>
        at === null ? (
          <Typography.Text type="warning">
            {t('forwarding.failures.waitsForCustodian')}
          </Typography.Text>
        ) : (
          formatLocalTime(at)
        ),
    },
    ...(mayRetry
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            render: (_: unknown, row: OutboxFailure) => (
              <Button
                size="small"
                icon={<RedoOutlined />}
                loading={retrying === row.clipId}
                disabled={retrying !== null}
                onClick={() => void retry(row.clipId)}
                data-testid={`retry-clip-${row.clipId}`}
              >
                {t('common.retry')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="target-failures">
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text strong>
          {t('forwarding.failures.title', { count: failed })}
        </Typography.Text>
        {mayRetry && (
          <Button
            size="small"
            icon={<RedoOutlined />}
            loading={retrying === 'all'}
            disabled={retrying !== null}
            onClick={() => void retry()}
            data-testid="retry-all"
          >
            {t('forwarding.failures.retryAll')}
          </Button>
        )}
      </Space>
      {loadError !== null && <Alert type="error" showIcon title={loadError} />}
      <Table<OutboxFailure>
        size="small"
        rowKey="clipId"
        columns={columns}
        dataSource={failures}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
      />
      {failed > failures.length && failures.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('forwarding.failures.more', { shown: failures.length, count: failed })}
        </Typography.Text>
      )}
    </div>
  );
}
