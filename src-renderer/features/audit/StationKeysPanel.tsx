import { useCallback } from 'react';
import { Alert, Card, Collapse, Descriptions, Typography } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { fingerprintGroups, type CheckpointSummary } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { failureText, formatLocalTime } from '../../i18n/format';

const MONO = { fontFamily: 'monospace', fontSize: 12 } as const;

function Fingerprint({ hex, testId }: { hex: string; testId: string }) {
  return (
    <Typography.Text copyable={{ text: hex }} style={MONO} data-testid={testId}>
      {fingerprintGroups(hex)}
    </Typography.Text>
  );
}

/** A checkpoint in words: which entry it seals, when, why. */
export function CheckpointText({ checkpoint }: { checkpoint: CheckpointSummary }) {
  const { t } = useTranslation();
  return (
    <span data-testid="audit-last-checkpoint">
      {t('audit.keys.checkpoint', {
        seq: checkpoint.seq,
        headSeq: checkpoint.headSeq,
        at: formatLocalTime(checkpoint.at),
        reason: t(`audit.keys.reasons.${checkpoint.reason}`),
      })}
    </span>
  );
}

/**
 * The station's signing keys (rules D-NO-TAMPER, D-SUPERVISION): the fingerprints of the SM2 and
 * Ed25519 keys that sign the audit chain's checkpoints, and the last checkpoint. Custodians and
 * supervisors compare them with what compliance reports printed, and with copies kept off the
 * station; the public keys check a checkpoint line with OpenSSL.
 */
export function StationKeysPanel() {
  const { t } = useTranslation();
  const { client } = useStation();
  const load = useCallback(
    (signal: AbortSignal) => client.call('audit.keys', {}, { signal }),
    [client],
  );
  const { data, error } = useStationData(load);
  const failure = failureText(t, error);
  const publicKeys = data?.publicKeys;

  return (
    <Card
      size="small"
      title={
        <span>
          <KeyOutlined /> {t('audit.keys.title')}
        </span>
      }
      data-testid="audit-keys"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('audit.keys.hint')}
      </Typography.Paragraph>
      {failure !== null && <Alert type="warning" showIcon title={failure} />}
      {data?.problem && (
        <Alert
          type="error"
          showIcon
          title={t('audit.keys.unusable', {
            problem: t(`audit.chain.problems.${data.problem.code}`),
          })}
          data-testid="audit-keys-problem"
        />
      )}
      {data !== null && (
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('audit.keys.sm2')}>
            {data.keys === null ? (
              '—'
            ) : (
              <>
                <div>
                  {t('audit.keys.sha256')}{' '}
                  <Fingerprint hex={data.keys.sm2.sha256} testId="audit-keys-sm2" />
                </div>
                <div>
                  {t('audit.keys.sm3')}{' '}
                  <Fingerprint hex={data.keys.sm2.sm3} testId="audit-keys-sm2-sm3" />
                </div>
              </>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('audit.keys.ed25519')}>
            {data.keys === null ? (
              '—'
            ) : (
              <>
                {t('audit.keys.sha256')}{' '}
                <Fingerprint hex={data.keys.ed25519.sha256} testId="audit-keys-ed25519" />
              </>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('audit.keys.lastCheckpoint')}>
            {data.lastCheckpoint === null ? (
              t('audit.keys.noCheckpoint')
            ) : (
              <>
                <CheckpointText checkpoint={data.lastCheckpoint} />
                <div>
                  <Typography.Text type="secondary" style={MONO}>
                    {t('audit.keys.headHash', { hash: data.lastCheckpoint.headHash })}
                  </Typography.Text>
                </div>
              </>
            )}
          </Descriptions.Item>
        </Descriptions>
      )}
      {publicKeys && (
        <Collapse
          size="small"
          style={{ marginTop: 8 }}
          items={[
            {
              key: 'pem',
              label: t('audit.keys.publicKeys'),
              children: (
                <>
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                    {t('audit.keys.publicKeysHint')}
                  </Typography.Paragraph>
                  {(['sm2', 'ed25519'] as const).map((kind) => (
                    <Typography.Paragraph key={kind} copyable={{ text: publicKeys[kind] }}>
                      <pre style={{ ...MONO, margin: 0 }} data-testid={`audit-keys-pem-${kind}`}>
                        {publicKeys[kind]}
                      </pre>
                    </Typography.Paragraph>
                  ))}
                </>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
