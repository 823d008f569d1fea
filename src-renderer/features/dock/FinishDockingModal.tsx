import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';
import { errorText } from '../../i18n/format';

interface DeferForm {
  reason: string;
}

/**
 * The station refused "done" because clips of the officer's are still unlabelled: label them
 * now, or say why they are labelled later (the deferral is counted in the reports).
 */
export function FinishDockingModal({
  dockingId,
  unlabelled,
  onClose,
  onLabelNow,
  onDeferred,
}: {
  dockingId: number | null;
  unlabelled: number | null;
  onClose: () => void;
  onLabelNow: () => void;
  onDeferred: () => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { form, busy, error, close, run } = useModalForm<DeferForm>(onClose, (cause) =>
    errorText(t, cause),
  );

  const submit = (values: DeferForm) =>
    run(async () => {
      if (dockingId === null) return;
      await client.call('dock.finish', { dockingId, deferReason: values.reason.trim() });
      form.resetFields();
      onDeferred();
    });

  return (
    <Modal
      open={dockingId !== null}
      title={t('dock.finish.deferTitle')}
      onCancel={close}
      destroyOnHidden
      footer={[
        <Button
          key="label"
          type="primary"
          onClick={() => {
            form.resetFields();
            onLabelNow();
          }}
          data-testid="finish-label-now"
        >
          {t('dock.finish.labelNow')}
        </Button>,
        <Button
          key="defer"
          loading={busy}
          onClick={() => form.submit()}
          data-testid="finish-defer-submit"
        >
          {t('dock.finish.deferSubmit')}
        </Button>,
      ]}
    >
      <Typography.Paragraph>
        {unlabelled === null
          ? t('dock.finish.refused')
          : t('dock.finish.refusedCount', { count: unlabelled })}
      </Typography.Paragraph>
      <Form<DeferForm>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        data-testid="finish-defer-form"
      >
        <Form.Item
          name="reason"
          label={t('dock.finish.reason')}
          rules={[
            { required: true, whitespace: true, message: t('dock.finish.reasonRequired') },
            { min: 2, message: t('dock.finish.reasonRequired') },
          ]}
          extra={t('dock.finish.reasonHint')}
        >
          <Input.TextArea
            autoFocus
            autoSize={{ minRows: 2, maxRows: 4 }}
            maxLength={500}
            data-testid="finish-defer-reason"
          />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
