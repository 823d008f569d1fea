import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ForwardTarget } from '../../../src-main/contract';
import { errorText } from '../../i18n/format';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';

interface KeysForm {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * New keys for an S3 target, as a pair. The old ones are never shown (they are write-only); the
 * fields start empty every time and are forgotten when the dialog closes.
 */
export function ChangeKeysModal({
  target,
  onClose,
  onChanged,
}: {
  target: ForwardTarget | null;
  onClose: () => void;
  onChanged: (target: ForwardTarget) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { form, busy, error, close, run } = useModalForm<KeysForm>(onClose, (cause) =>
    errorText(t, cause),
  );
  const required = [
    { required: true, whitespace: true, message: t('forwarding.add.keysRequired') },
  ];

  const submit = (values: KeysForm) =>
    run(async () => {
      const { target: changed } = await client.call('forward.targets.change', {
        name: target!.name,
        accessKeyId: values.accessKeyId,
        secretAccessKey: values.secretAccessKey,
      });
      form.resetFields();
      onChanged(changed);
    });

  return (
    <Modal
      open={target !== null}
      title={t('forwarding.keys.title', { name: target?.name ?? '' })}
      okText={t('forwarding.keys.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={520}
      okButtonProps={{ 'data-testid': 'change-keys-submit' } as Record<string, string>}
    >
      <Alert
        type="info"
        showIcon
        title={t('forwarding.keys.explain')}
        style={{ margin: '12px 0' }}
      />
      <Form<KeysForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => void submit(values)}
        autoComplete="off"
      >
        <Form.Item name="accessKeyId" label={t('forwarding.fields.accessKeyId')} rules={required}>
          <Input.Password autoComplete="new-password" data-testid="change-keys-access-key" />
        </Form.Item>
        <Form.Item
          name="secretAccessKey"
          label={t('forwarding.fields.secretAccessKey')}
          rules={required}
        >
          <Input.Password autoComplete="new-password" data-testid="change-keys-secret-key" />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
