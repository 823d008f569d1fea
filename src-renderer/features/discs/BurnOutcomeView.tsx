import { Alert, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorCodeOf } from '../../api/errors';
import { DiscError } from './DiscError';
import { PassResults } from './PassResults';
import { copyText, tookText } from './discFormat';
import type { BurnOutcome } from './useBurner';

/**
 * How one burn ended. A disc that fails a pass is recorded failed: its clips stay "not yet on
 * disc" (D-LONGTERM) and a new one must be burned, which the custodian is told in so many words.
 */
export function BurnOutcomeView({ outcome }: { outcome: BurnOutcome }) {
  const { t } = useTranslation();
  const { job, disc } = outcome;
  const which = t('discs.burn.which', {
    tag: job.setTag,
    n: job.n,
    of: job.of,
    copy: copyText(t, job.copy),
    volumeId: job.volumeId,
  });
  const state = disc?.state ?? (errorCodeOf(outcome.error) === 'CANCELLED' ? 'stopped' : 'error');

  return (
    <Space
      orientation="vertical"
      size={8}
      style={{ width: '100%' }}
      data-testid={`burn-outcome-${job.setId}-${job.n}-${job.copy}`}
      data-state={state}
    >
      {disc === null ? (
        state === 'stopped' ? (
          <Alert type="warning" showIcon title={which} description={t('discs.burn.stopped')} />
        ) : (
          <DiscError error={outcome.error} title={which} />
        )
      ) : disc.state === 'verified' ? (
        <Alert
          type="success"
          showIcon
          title={which}
          description={t('discs.burn.verified', { drive: outcome.drive })}
        />
      ) : (
        <Alert
          type="error"
          showIcon
          title={which}
          description={
            <Space orientation="vertical" size={2}>
              <span data-testid="burn-failed-notice">{t('discs.burn.failed')}</span>
              {disc.problem !== null && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {disc.problem}
                </Typography.Text>
              )}
            </Space>
          }
        />
      )}
      {outcome.passes.length > 0 && <PassResults passes={outcome.passes} />}
      {outcome.timings !== null && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {outcome.timings.stagingMs === 0
            ? t('discs.burn.timingsStaged', { burn: tookText(t, outcome.timings.burnMs) })
            : t('discs.burn.timings', {
                staging: tookText(t, outcome.timings.stagingMs),
                burn: tookText(t, outcome.timings.burnMs),
              })}
        </Typography.Text>
      )}
    </Space>
  );
}
