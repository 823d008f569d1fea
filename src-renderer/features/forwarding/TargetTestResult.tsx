import { Alert, List, Space, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, MinusCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { TARGET_TEST_STEPS, type TargetKind, type TargetTest } from '../../../src-main/contract';

/** A step's name: a share has no bucket, the step there checks the share is mounted. */
export function stepName(t: TFunction, step: (typeof TARGET_TEST_STEPS)[number], kind: TargetKind) {
  return step === 'bucket' && kind === 'folder'
    ? t('forwarding.test.steps.mounted')
    : t(`forwarding.test.steps.${step}`);
}

/**
 * What a target's test found, step by step: connection, bucket (or the share's marker), write,
 * read and delete of a probe object; the first failure with the server's code and words, the
 * steps after it not tried.
 */
export function TargetTestResult({ result, kind }: { result: TargetTest; kind: TargetKind }) {
  const { t } = useTranslation();
  const steps = TARGET_TEST_STEPS.map((step) => ({
    step,
    outcome: result.steps.find((s) => s.step === step) ?? null,
  }));
  return (
    <Alert
      type={result.ok ? 'success' : 'error'}
      showIcon
      data-testid="target-test-result"
      data-ok={result.ok ? 'yes' : 'no'}
      title={result.ok ? t('forwarding.test.passed') : t('forwarding.test.failed')}
      description={
        <List
          size="small"
          split={false}
          dataSource={steps}
          renderItem={({ step, outcome }) => (
            <List.Item style={{ padding: '2px 0' }} data-testid={`test-step-${step}`}>
              <Space align="start">
                {outcome === null ? (
                  <MinusCircleOutlined style={{ color: '#8c8c8c' }} />
                ) : outcome.ok ? (
                  <CheckCircleFilled style={{ color: '#389e0d' }} />
                ) : (
                  <CloseCircleFilled style={{ color: '#cf1322' }} />
                )}
                <span style={{ minWidth: 72, display: 'inline-block' }}>
                  {stepName(t, step, kind)}
                </span>
                {outcome === null ? (
                  <Typography.Text type="secondary">
                    {t('forwarding.test.notTried')}
                  </Typography.Text>
                ) : outcome.ok ? (
                  <Typography.Text>{t('forwarding.test.ok')}</Typography.Text>
                ) : (
                  <Typography.Text type="danger" style={{ wordBreak: 'break-word' }}>
                    {t('forwarding.test.stepFailed', {
                      code: outcome.code ?? '',
                      message: outcome.message ?? '',
                    })}
                  </Typography.Text>
                )}
              </Space>
            </List.Item>
          )}
          footer={
            result.partChecksums === null ? undefined : (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {result.partChecksums
                  ? t('forwarding.test.partChecksumsYes')
                  : t('forwarding.test.partChecksumsNo')}
              </Typography.Text>
            )
          }
        />
      }
    />
  );
}
