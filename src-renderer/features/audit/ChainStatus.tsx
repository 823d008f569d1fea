import { useCallback } from 'react';
import { Alert, Button } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ChainBeforeKeys, ChainFinding } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { failureText, formatLocalTime } from '../../i18n/format';

/** One finding in words: what kind of damage, and at which entry or checkpoint. */
function findingText(t: TFunction, finding: ChainFinding): string {
  const what = t(`audit.chain.problems.${finding.code}`);
  if (finding.entrySeq !== null && finding.checkpointSeq !== null) {
    return t('audit.chain.findingAtBoth', {
      problem: what,
      seq: finding.entrySeq,
      checkpoint: finding.checkpointSeq,
    });
  }
  if (finding.entrySeq !== null) {
    return t('audit.chain.findingAtEntry', { problem: what, seq: finding.entrySeq });
  }
  if (finding.checkpointSeq !== null) {
    return t('audit.chain.findingAtCheckpoint', {
      problem: what,
      checkpoint: finding.checkpointSeq,
    });
  }
  return what;
}

/**
 * Entries written before the station had its keys (D-NO-TAMPER): not a failure, since a station
 * upgraded from a version without keys has them too, but always said, so that keys made after a
 * rewritten history are seen.
 */
function BeforeKeysNotice({ notice }: { notice: ChainBeforeKeys }) {
  const { t } = useTranslation();
  const range =
    notice.fromSeq === notice.toSeq ? `#${notice.fromSeq}` : `#${notice.fromSeq}–#${notice.toSeq}`;
  return (
    <Alert
      type="warning"
      showIcon
      title={t('audit.chain.beforeKeysTitle')}
      description={
        notice.keysSeq === null
          ? t('audit.chain.beforeKeysNone', { range })
          : t('audit.chain.beforeKeys', { range, keys: notice.keysSeq })
      }
      data-testid="audit-chain-before-keys"
    />
  );
}

/**
 * The audit chain's verification (`audit.verify`): every entry carries the hash of the one
 * before it, so an altered, removed or reordered entry breaks the chain from there on; and the
 * chain is held to every signed checkpoint, so a cut tail or a re-hashed middle shows too. Each
 * kind of damage found is named (rules D-NO-TAMPER, D-SUPERVISION).
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
  const last = result.checkpoints.last;
  const sealed =
    last === null
      ? t('audit.chain.unsealed')
      : t('audit.chain.sealed', {
          count: result.checkpoints.count,
          seq: last.headSeq,
          at: formatLocalTime(last.at),
        });
  const notice = result.beforeKeys && <BeforeKeysNotice notice={result.beforeKeys} />;
  if (result.ok) {
    return (
      <>
        <Alert
          type="success"
          showIcon
          title={t('audit.chain.intact', {
            count: result.entries,
            at: formatLocalTime(result.checkedAt),
          })}
          description={sealed}
          action={action}
          data-testid="audit-chain-status"
          data-state="intact"
        />
        {notice}
      </>
    );
  }
  return (
    <>
      <Alert
        type="error"
        showIcon
        title={t('audit.chain.brokenFindings', {
          count: result.findings.length + result.findingsOmitted,
        })}
        description={
          <>
            <ul style={{ margin: '4px 0', paddingLeft: 20 }} data-testid="audit-chain-findings">
              {result.findings.map((finding, i) => (
                <li key={i} data-code={finding.code}>
                  {findingText(t, finding)}
                </li>
              ))}
            </ul>
            {result.findingsOmitted > 0 && (
              <div>{t('audit.chain.findingsOmitted', { count: result.findingsOmitted })}</div>
            )}
            <div>
              {t('audit.chain.brokenHint', {
                count: result.entries,
                at: formatLocalTime(result.checkedAt),
              })}
            </div>
            <div>{sealed}</div>
          </>
        }
        action={action}
        data-testid="audit-chain-status"
        data-state="broken"
      />
      {notice}
    </>
  );
}
