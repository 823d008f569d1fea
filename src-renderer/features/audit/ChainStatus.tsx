import { useCallback } from 'react';
import { Alert, Button } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { failureText, formatLocalTime } from '../../i18n/format';

/**
 * The audit chain's verification (`audit.verify`): every entry carries the hash of the one
 * before it, so an altered, removed or reordered entry breaks the chain from there on.
 */
export function ChainStatus() {
  const { t } = useTranslation();
  const { client } = useStation();
  const verify = useCallback(() => client.call('audit.verify', {}), [client]);
  const { data: result, loading: verifying, error: failure, reload } = useStationData(verify);
  const error = failureText(t, failure);

  const action = (
    <Button
      size="small"
      icon={<SafetyOutlined />}
      loading={verifying}
      onClick={() => void reload()}
      data-testid="audit-reverify"
    >
      {t('audit.chain.reverify')}
    </Button>
  );

  if (error !== null) {
    return (
      <Alert
        type="warning"
        showIcon
        title={t('audit.chain.failed', { error })}
        action={action}
        data-testid="audit-chain-status"
        data-state="unknown"
      />
    );
  }
  if (result === null) {
    return (
      <Alert
        type="info"
        showIcon
        title={t('audit.chain.verifying')}
        action={action}
        data-testid="audit-chain-status"
        data-state="verifying"
      />
    );
  }
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        title={t('audit.chain.intact', {
          count: result.entries,
          at: formatLocalTime(result.checkedAt),
        })}
        action={action}
        data-testid="audit-chain-status"
        data-state="intact"
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      title={t('audit.chain.broken', {
        seq: result.firstBadSeq ?? result.headSeq,
        problem: result.problemCode
          ? t(`audit.chain.problems.${result.problemCode}`)
          : t('audit.chain.unknownProblem'),
      })}
      description={t('audit.chain.brokenHint', {
        count: result.entries,
        at: formatLocalTime(result.checkedAt),
      })}
      action={action}
      data-testid="audit-chain-status"
      data-state="broken"
    />
  );
}
