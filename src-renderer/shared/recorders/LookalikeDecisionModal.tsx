import { App as AntApp, Alert, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Lookalike } from '../../../src-main/contract';
import { errorText } from '../../i18n/format';
import { useModalForm } from '../useModalForm';
import { useStation } from '../StationContext';
import { LookalikeFacts } from './LookalikeFacts';

interface DecisionForm {
  reason: string;
}

/** What a custodian decides about a held look-alike, and on which one. */
export interface LookalikeDecision {
  lookalike: Lookalike;
  decision: 'confirm' | 'refuse';
}

/**
 * A custodian confirms a held look-alike is the recorder (its facts become the binding and, if
 * docked, it is collected) or refuses it (never read), and says why (D-WHO-RECORDS, D-CUSTODIAN).
 */
export function LookalikeDecisionModal({
  decision,
  onClose,
  onDecided,
}: {
  decision: LookalikeDecision | null;
  onClose: () => void;
  onDecided?: (lookalike: Lookalike) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const { form, busy, error, close, run } = useModalForm<DecisionForm>(onClose, (cause) =>
    errorText(t, cause),
  );
  const confirming = decision?.decision === 'confirm';
  const serial = decision?.lookalike.recorderSerial ?? '';

  const submit = (values: DecisionForm) =>
    run(async () => {
      if (decision === null) return;
      const params = { id: decision.lookalike.id, reason: values.reason.trim() };
      const { lookalike } = confirming
        ? await client.call('recorders.confirmLookalike', params)
        : await client.call('recorders.refuseLookalike', params);
      void message.success(
        t(confirming ? 'recorders.lookalikes.confirmed' : 'recorders.lookalikes.refused'),
      );
      onDecided?.(lookalike);
      close();
    });

  return (
    <Modal
      open={decision !== null}
      title={t(
        confirming ? 'recorders.lookalikes.confirmTitle' : 'recorders.lookalikes.refuseTitle',
        { serial },
      )}
      okText={t(confirming ? 'recorders.lookalikes.confirm' : 'recorders.lookalikes.refuse')}
      okButtonProps={{
        danger: !confirming,
        ...({ 'data-testid': 'lookalike-decision-submit' } as Record<string, string>),
      }}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={620}
    >
      <Typography.Paragraph type="secondary">
        {t(confirming ? 'recorders.lookalikes.confirmIntro' : 'recorders.lookalikes.refuseIntro')}
      </Typography.Paragraph>
      {decision !== null && <LookalikeFacts lookalike={decision.lookalike} />}
      <Form<DecisionForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => void submit(values)}
        style={{ marginTop: 12 }}
        data-testid="lookalike-decision-form"
      >
        <Form.Item
          name="reason"
          label={t('recorders.lookalikes.reason')}
          rules={[
            { required: true, whitespace: true, message: t('recorders.lookalikes.reasonRequired') },
            { min: 2, message: t('recorders.lookalikes.reasonRequired') },
          ]}
        >
          <Input.TextArea
            autoFocus
            autoSize={{ minRows: 2, maxRows: 4 }}
            maxLength={500}
            data-testid="lookalike-decision-reason"
          />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
