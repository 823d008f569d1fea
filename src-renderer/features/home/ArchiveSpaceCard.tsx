import { useCallback, useEffect } from 'react';
import { Alert, Card, Descriptions, Progress, Space, Typography } from 'antd';
import { HddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ArchiveStorage } from '../../../src-main/contract';
import { failureText, formatLocalTime } from '../../i18n/format';
import { RuleTag } from '../../shared/RuleTag';
import { formatBytes } from '../../shared/format';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';

/** Beyond ten years a day count says nothing more. */
const DECADE_DAYS = 3650;

/** The disk fills slowly: a look a minute is plenty. */
const REFRESH_MS = 60_000;

const STROKE: Record<ArchiveStorage['level'], string> = {
  ok: '#1677ff',
  warning: '#fa8c16',
  critical: '#cf1322',
};

/**
 * The archive disk's room on Home, for custodians and supervisors (D-NO-TAMPER: records must not
 * be lost for want of storage; D-24H: a full disk leaves footage on the recorders): free space,
 * size, the share used, and the days left at the intake of the last 14 days; a warning from
 * 80 % used, critical from 95 %.
 */
export function ArchiveSpaceCard() {
  const { t } = useTranslation();
  const { client } = useStation();
  const load = useCallback(
    (signal: AbortSignal) => client.call('station.storage', {}, { signal }),
    [client],
  );
  const { data: space, error, reload } = useStationData(load);
  useEffect(() => {
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const failure = failureText(t, error);

  return (
    <Card
      size="small"
      data-testid="archive-space-card"
      data-level={space?.level ?? ''}
      title={
        <Space>
          <HddOutlined />
          {t('home.space.title')}
          <RuleTag rule="D-NO-TAMPER" />
        </Space>
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {failure !== null && <Alert type="warning" showIcon title={failure} />}
        {space !== null && space.level !== 'ok' && (
          <Alert
            type={space.level === 'critical' ? 'error' : 'warning'}
            showIcon
            data-testid="archive-space-alert"
            title={t(`home.space.${space.level}Title`, { percent: space.usedPercent })}
            description={t(`home.space.${space.level}`)}
          />
        )}
        {space !== null && (
          <>
            <Progress
              percent={space.usedPercent}
              strokeColor={STROKE[space.level]}
              status={space.level === 'critical' ? 'exception' : 'normal'}
              data-testid="archive-space-progress"
            />
            <Descriptions
              size="small"
              column={2}
              bordered
              items={[
                {
                  key: 'free',
                  label: t('home.space.free'),
                  children: (
                    <span data-testid="archive-space-free">{formatBytes(space.freeBytes)}</span>
                  ),
                },
                {
                  key: 'total',
                  label: t('home.space.total'),
                  children: formatBytes(space.totalBytes),
                },
                {
                  key: 'intake',
                  label: t('home.space.intake', { days: space.intakeDays }),
                  children: t('home.space.intakeValue', {
                    size: formatBytes(space.archivedBytes),
                    perDay: formatBytes(space.bytesPerDay),
                  }),
                },
                {
                  key: 'daysLeft',
                  label: t('home.space.daysLeft'),
                  children: (
                    <span data-testid="archive-space-days">
                      {space.daysLeft === null ? (
                        <Typography.Text type="secondary">
                          {t('home.space.noIntake')}
                        </Typography.Text>
                      ) : space.daysLeft > DECADE_DAYS ? (
                        t('home.space.daysLeftDecade')
                      ) : (
                        t('home.space.daysLeftValue', { count: space.daysLeft })
                      )}
                    </span>
                  ),
                },
              ]}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('home.space.measuredAt', { at: formatLocalTime(space.measuredAt) })}
            </Typography.Text>
          </>
        )}
      </Space>
    </Card>
  );
}
