import { Alert, Button, Card, Popconfirm, Space, Typography } from 'antd';
import { StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { RuleTag } from '../../shared/RuleTag';
import { BurnOutcomeView } from './BurnOutcomeView';
import { DriveInput } from './DriveInput';
import { PhaseSteps } from './PhaseSteps';
import { BURN_PHASES, copyText, driveForDisc, isImageDrive, isDriveText } from './discFormat';
import type { Burner } from './useBurner';
import { isAboutJob, type SeenProgress } from './useDiscProgress';

/** An image path shown as an example of what a disc's own file will be called. */
const EXAMPLE_VOLUME = 'CASE…_D1OF1';

/**
 * Where discs are burned (a drive, or an image file for each disc), the burn under way phase by
 * phase, and how the latest burns ended. The discs to burn are chosen in the sets below.
 */
export function BurnCard({
  drive,
  onDrive,
  burner,
  progress,
}: {
  drive: string;
  onDrive: (drive: string) => void;
  burner: Burner;
  progress: SeenProgress | null;
}) {
  const { t } = useTranslation();
  const { running, batch, outcomes } = burner;
  const shown =
    running !== null && progress !== null && isAboutJob(progress, running.job, running.since)
      ? progress
      : null;
  const ready = isDriveText(drive);

  return (
    <Card
      size="small"
      data-testid="burn-card"
      title={
        <Space>
          {t('discs.burn.title')}
          <RuleTag rule="D-NO-TAMPER" />
        </Space>
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('discs.burn.intro')}</Typography.Text>
        <div>
          <Typography.Text strong>{t('discs.drive.label')}</Typography.Text>
          <DriveInput
            value={drive}
            onChange={onDrive}
            disabled={running !== null}
            testId="burn-drive"
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {ready && isImageDrive(drive)
              ? t('discs.drive.imageEach', {
                  example: driveForDisc(drive, EXAMPLE_VOLUME).slice('stdio:'.length),
                })
              : t('discs.drive.hint')}
          </Typography.Text>
        </div>
        {running !== null && (
          <Card
            size="small"
            type="inner"
            data-testid="burn-running"
            title={
              <Space wrap>
                {t('discs.burn.which', {
                  tag: running.job.setTag,
                  n: running.job.n,
                  of: running.job.of,
                  copy: copyText(t, running.job.copy),
                  volumeId: running.job.volumeId,
                })}
                {batch !== null && batch.total > 1 && (
                  <Typography.Text type="secondary">
                    {t('discs.burn.batch', { index: batch.index + 1, total: batch.total })}
                  </Typography.Text>
                )}
              </Space>
            }
            extra={
              <Popconfirm
                title={t('discs.burn.stopConfirm')}
                okText={t('discs.burn.stop')}
                okButtonProps={{ danger: true }}
                cancelText={t('common.cancel')}
                onConfirm={burner.stop}
              >
                <Button size="small" danger icon={<StopOutlined />} data-testid="burn-stop">
                  {t('discs.burn.stop')}
                </Button>
              </Popconfirm>
            }
          >
            <Space orientation="vertical" size={8} style={{ width: '100%' }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('discs.burn.to', { drive: running.drive })}
              </Typography.Text>
              <PhaseSteps phases={BURN_PHASES} progress={shown} discsInSet={running.job.of} />
              <Alert type="info" showIcon title={t('discs.burn.keepOpen')} />
            </Space>
          </Card>
        )}
        {outcomes.map((outcome) => (
          <BurnOutcomeView
            key={`${outcome.job.setId}-${outcome.job.n}-${outcome.job.copy}`}
            outcome={outcome}
          />
        ))}
      </Space>
    </Card>
  );
}
