import { useCallback, useState } from 'react';
import { Alert, Button, Card, Descriptions, Space, Tooltip, Typography } from 'antd';
import { KeyOutlined, QuestionCircleOutlined } from '@ant-design/icons';
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
function CheckpointText({ checkpoint }: { checkpoint: CheckpointSummary }) {
  const { t } = useTranslation();
  return (
    <span data-testid="audit-last-checkpoint">
      {t('audit.keys.checkpoint', {
        seq: checkpoint.seq,
        headSeq: checkpoint.headSeq,
        at: formatLocalTime(checkpoint.at),
        reason: t(`audit.keys.reasons.${checkpoint.reason}`, { defaultValue: checkpoint.reason }),
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
  const [showPem, setShowPem] = useState(false);
  const publicKeys = data?.publicKeys;

  return (
    <Card
      size="small"
      title={
        <Space size={6}>
          <KeyOutlined />
          {t('audit.keys.title')}
          <Tooltip title={t('audit.keys.hint')}>
            <QuestionCircleOutlined style={{ color: 'rgba(0, 0, 0, 0.45)' }} />
          </Tooltip>
        </Space>
      }
      extra={
        publicKeys && (
          <Button size="small" type="link" onClick={() => setShowPem((shown) => !shown)}>
            {t(showPem ? 'audit.keys.hidePublicKeys' : 'audit.keys.publicKeys')}
          </Button>
        )
      }
      styles={{ body: { paddingTop: 8, paddingBottom: 8 } }}
      data-testid="audit-keys"
    >
      {failure !== null && <Alert type="warning" showIcon title={failure} />}
      {data?.problem && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 8 }}
          title={t('audit.keys.unusable', {
            problem: t(`audit.chain.problems.${data.problem.code}`),
          })}
          data-testid="audit-keys-problem"
        />
      )}
      {data !== null && (
        <Descriptions size="small" column={1} colon>
          <Descriptions.Item label={t('audit.keys.sm2')}>
            {data.keys === null ? (
              '—'
            ) : (
              <Space orientation="vertical" size={0}>
                <span>
                  {t('audit.keys.sha256')}{' '}
                  <Fingerprint hex={data.keys.sm2.sha256} testId="audit-keys-sm2" />
                </span>
                <span>
                  {t('audit.keys.sm3')}{' '}
                  <Fingerprint hex={data.keys.sm2.sm3} testId="audit-keys-sm2-sm3" />
                </span>
              </Space>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('audit.keys.ed25519')}>
            {data.keys === null ? (
              '—'
            ) : (
              <span>
                {t('audit.keys.sha256')}{' '}
                <Fingerprint hex={data.keys.ed25519.sha256} testId="audit-keys-ed25519" />
              </span>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('audit.keys.lastCheckpoint')}>
            {data.lastCheckpoint === null ? (
              t('audit.keys.noCheckpoint')
            ) : (
              <Space size={16} wrap>
                <CheckpointText checkpoint={data.lastCheckpoint} />
                <Typography.Text type="secondary" style={MONO}>
                  {t('audit.keys.headHash', { hash: data.lastCheckpoint.headHash })}
                </Typography.Text>
              </Space>
            )}
          </Descriptions.Item>
        </Descriptions>
      )}
      {publicKeys && showPem && (
        <div data-testid="audit-keys-pem">
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 4 }}>
            {t('audit.keys.publicKeysHint')}
          </Typography.Paragraph>
          <Space align="start" size={24} wrap>
            {(['sm2', 'ed25519'] as const).map((kind) => (
              <Typography.Paragraph key={kind} copyable={{ text: publicKeys[kind] }}>
                <Typography.Text type="secondary">{t(`audit.keys.${kind}`)}</Typography.Text>
                <pre style={{ ...MONO, margin: 0 }} data-testid={`audit-keys-pem-${kind}`}>
                  {publicKeys[kind]}
                </pre>
              </Typography.Paragraph>
            ))}
          </Space>
        </div>
      )}
    </Card>
  );
}
