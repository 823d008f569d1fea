import { useState } from 'react';
import { App, Alert, Button, Card, Descriptions, Popconfirm, Space, Tag, Typography } from 'antd';
import {
  CloudServerOutlined,
  DeleteOutlined,
  ExperimentOutlined,
  FolderOutlined,
  KeyOutlined,
  PauseCircleOutlined,
  PlayCircleOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ForwardTarget, TargetQueue, TargetTest } from '../../../src-main/contract';
import { errorText, formatLocalTime } from '../../i18n/format';
import { useStation } from '../../shared/StationContext';
import { UNKNOWN } from '../../shared/format';
import { scheduleSummary } from './forwardingFormat';
import { TargetFailures } from './TargetFailures';
import { TargetQueueView } from './TargetQueueView';
import { TargetTestResult } from './TargetTestResult';

/** Whether a target sends: on, off by a custodian, or stopped by a failure retrying cannot fix. */
function StateTag({ target }: { target: ForwardTarget }) {
  const { t } = useTranslation();
  if (target.stopped !== null) return <Tag color="error">{t('forwarding.state.stopped')}</Tag>;
  if (!target.enabled) return <Tag>{t('forwarding.state.disabled')}</Tag>;
  return <Tag color="success">{t('forwarding.state.enabled')}</Tag>;
}

/**
 * One central-storage target: where it is, its state (a stop with the server's code and words),
 * its timetable, its queue live, and its failures. Custodians test, switch, re-key, re-set and
 * remove it (D-CUSTODIAN); everyone else who may see it reads it only.
 */
export function TargetCard({
  target,
  queue,
  now,
  mayManage,
  onChanged,
  onChangeKeys,
  onChangeSettings,
}: {
  target: ForwardTarget;
  queue: TargetQueue | undefined;
  now: number;
  mayManage: boolean;
  onChanged: () => void;
  onChangeKeys: (target: ForwardTarget) => void;
  onChangeSettings: (target: ForwardTarget) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<'test' | 'switch' | 'remove' | null>(null);
  const [test, setTest] = useState<TargetTest | null>(null);

  const act = async (what: NonNullable<typeof busy>, work: () => Promise<void>) => {
    setBusy(what);
    try {
      await work();
    } catch (cause) {
      void message.error(errorText(t, cause));
    } finally {
      setBusy(null);
    }
  };

  const runTest = () =>
    act('test', async () => {
      setTest(null);
      setTest(await client.call('forward.targets.test', { name: target.name }));
    });

  // Switching on also clears a stop: the custodian says the cause is mended.
  const turn = (enabled: boolean) =>
    act('switch', async () => {
      await client.call('forward.targets.change', { name: target.name, enabled });
      void message.success(
        enabled ? t('forwarding.switch.enabledMsg') : t('forwarding.switch.disabledMsg'),
      );
      onChanged();
    });

  const remove = () =>
    act('remove', async () => {
      await client.call('forward.targets.remove', { name: target.name });
      void message.success(t('forwarding.remove.removedMsg', { name: target.name }));
      onChanged();
    });

  const where =
    target.kind === 's3'
      ? [
          { key: 'endpoint', label: t('forwarding.fields.endpoint'), children: target.endpoint },
          { key: 'bucket', label: t('forwarding.fields.bucket'), children: target.bucket },
          {
            key: 'region',
            label: t('forwarding.fields.region'),
            children: target.region ?? UNKNOWN,
          },
          {
            key: 'pathStyle',
            label: t('forwarding.fields.pathStyle'),
            children: target.pathStyle ? t('forwarding.yes') : t('forwarding.no'),
          },
          {
            key: 'keys',
            label: t('forwarding.fields.keys'),
            children: target.hasSecret ? t('forwarding.keys.set') : t('forwarding.keys.none'),
          },
        ]
      : [{ key: 'folder', label: t('forwarding.fields.folderPath'), children: target.folderPath }];

  const moved = queue
    ? [queue.queued, queue.uploading, queue.verified, queue.failed].map((c) => c.clips).join('/')
    : '';

  return (
    <Card
      size="small"
      data-testid={`target-card-${target.name}`}
      data-target={target.name}
      title={
        <Space>
          {target.kind === 's3' ? <CloudServerOutlined /> : <FolderOutlined />}
          <span>{target.name}</span>
          <Tag color="blue">{t(`forwarding.kinds.${target.kind}`)}</Tag>
          <StateTag target={target} />
        </Space>
      }
      extra={
        mayManage && (
          <Space wrap size={6}>
            <Button
              size="small"
              icon={<ExperimentOutlined />}
              loading={busy === 'test'}
              onClick={() => void runTest()}
              data-testid="target-test"
            >
              {t('forwarding.test.button')}
            </Button>
            {target.enabled && target.stopped === null ? (
              <Button
                size="small"
                icon={<PauseCircleOutlined />}
                loading={busy === 'switch'}
                onClick={() => void turn(false)}
                data-testid="target-disable"
              >
                {t('forwarding.switch.disable')}
              </Button>
            ) : (
              <Button
                size="small"
                type="primary"
                icon={<PlayCircleOutlined />}
                loading={busy === 'switch'}
                onClick={() => void turn(true)}
                data-testid="target-enable"
              >
                {target.stopped !== null
                  ? t('forwarding.switch.resume')
                  : t('forwarding.switch.enable')}
              </Button>
            )}
            {target.kind === 's3' && (
              <Button
                size="small"
                icon={<KeyOutlined />}
                onClick={() => onChangeKeys(target)}
                data-testid="target-change-keys"
              >
                {t('forwarding.keys.button')}
              </Button>
            )}
            <Button
              size="small"
              icon={<SettingOutlined />}
              onClick={() => onChangeSettings(target)}
              data-testid="target-settings"
            >
              {t('forwarding.settings.button')}
            </Button>
            <Popconfirm
              title={t('forwarding.remove.confirmTitle', { name: target.name })}
              description={t('forwarding.remove.confirm')}
              okText={t('forwarding.remove.button')}
              okButtonProps={{
                danger: true,
                ...({ 'data-testid': 'target-remove-confirm' } as Record<string, string>),
              }}
              cancelText={t('common.cancel')}
              onConfirm={() => remove()}
            >
              <Button
                size="small"
                danger
                icon={<DeleteOutlined />}
                loading={busy === 'remove'}
                data-testid="target-remove"
              >
                {t('forwarding.remove.button')}
              </Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {target.stopped !== null && (
          <Alert
            type="error"
            showIcon
            data-testid="target-stopped"
            title={t('forwarding.state.stoppedTitle', {
              code: target.stopped.code,
              at: formatLocalTime(target.stopped.at),
            })}
            description={
              <Space orientation="vertical" size={2}>
                <span>{target.stopped.reason}</span>
                <Typography.Text type="secondary">
                  {mayManage
                    ? t('forwarding.state.stoppedHint')
                    : t('forwarding.state.stoppedReadOnly')}
                </Typography.Text>
              </Space>
            }
          />
        )}
        {test !== null && <TargetTestResult result={test} kind={target.kind} />}
        <Descriptions
          size="small"
          bordered
          column={2}
          items={[
            ...where,
            {
              key: 'prefix',
              label: t('forwarding.fields.prefix'),
              children: <Typography.Text code>{target.prefix || '/'}</Typography.Text>,
            },
            {
              key: 'schedule',
              label: t('forwarding.fields.schedule'),
              span: 'filled',
              children: (
                <span data-testid="target-schedule">{scheduleSummary(t, target.schedule)}</span>
              ),
            },
            {
              key: 'upload',
              label: t('forwarding.fields.uploadSettings'),
              span: 'filled',
              children: t('forwarding.uploadSettingsValue', {
                concurrency: target.concurrency,
                partSize: Math.round(target.partSize / (1024 * 1024)),
                readBack: target.readBackPercent,
              }),
            },
            {
              key: 'added',
              label: t('forwarding.fields.added'),
              span: 'filled',
              children: `${target.addedBy} · ${formatLocalTime(target.addedAt)}`,
            },
          ]}
        />
        {queue !== undefined && <TargetQueueView queue={queue} now={now} />}
        {queue !== undefined && (
          <TargetFailures
            target={target.name}
            failed={queue.failed.clips}
            moved={moved}
            mayRetry={mayManage}
            onRetried={onChanged}
          />
        )}
      </Space>
    </Card>
  );
}
