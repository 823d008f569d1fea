import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DiscRecord } from '../../../src-main/contract';
import { errorText } from '../../i18n/format';
import { RuleTag } from '../../shared/RuleTag';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';

interface HandoverFields {
  toWhom: string;
  location: string;
  reason: string;
}

/**
 * A disc handed to someone — a court, a review body, the archive room (D-CUSTODIAN): to whom,
 * where it is kept now, and why. Recorded in the register and the audit log, never changed.
 */
export function HandoverModal({
  disc,
  onClose,
  onHanded,
}: {
  disc: DiscRecord | null;
  onClose: () => void;
  onHanded: (disc: DiscRecord) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { form, busy, error, close, run } = useModalForm<HandoverFields>(onClose, (cause) =>
    errorText(t, cause),
  );

  const submit = (values: HandoverFields) =>
    run(async () => {
      if (disc === null) return;
      const location = values.location.trim();
      const { disc: handed } = await client.call('disc.handover', {
        discId: disc.id,
        toWhom: values.toWhom.trim(),
        location: location === '' ? null : location,
        reason: values.reason.trim(),
      });
      form.resetFields();
      onHanded(handed);
    });

  return (
    <Modal
      open={disc !== null}
      title={
        <span>
          {t('discs.handover.title', { volumeId: disc?.volumeId ?? '' })}{' '}
          <RuleTag rule="D-CUSTODIAN" />
        </span>
      }
      okText={t('discs.handover.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'handover-submit' } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary">{t('discs.handover.intro')}</Typography.Paragraph>
      <Form<HandoverFields>
        form={form}
        layout="vertical"
        initialValues={{ toWhom: '', location: '', reason: '' }}
        onFinish={(values) => void submit(values)}
        data-testid="handover-form"
      >
        <Form.Item
          name="toWhom"
          label={t('discs.handover.toWhom')}
          rules={[
            { required: true, whitespace: true, message: t('discs.handover.toWhomRequired') },
          ]}
        >
          <Input maxLength={200} data-testid="handover-to" />
        </Form.Item>
        <Form.Item name="location" label={t('discs.handover.location')}>
          <Input maxLength={200} data-testid="handover-location" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('discs.handover.reason')}
          rules={[
            { required: true, whitespace: true, message: t('discs.handover.reasonRequired') },
          ]}
        >
          <Input.TextArea maxLength={500} rows={2} data-testid="handover-reason" />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
