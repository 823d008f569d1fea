import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../src-main/contract';
import { useModalForm } from '../../shared/useModalForm';
import { useStation } from '../../shared/StationContext';
import { confirmRules, newPasswordRules } from '../../shared/validation';
import { errorText } from '../../i18n/format';

interface ResetForm {
  newPassword: string;
  confirm: string;
}

/** An admin sets a new password for someone who forgot theirs (`users.resetPassword`). */
export function ResetPasswordModal({
  user,
  onClose,
  onReset,
}: {
  user: User | null;
  onClose: () => void;
  onReset: (user: User) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { form, busy, error, close, run } = useModalForm<ResetForm>(onClose, (cause) =>
    errorText(t, cause),
  );

  const submit = (values: ResetForm) =>
    run(async () => {
      if (user === null) return;
      const result = await client.call('users.resetPassword', {
        badge: user.badge,
        newPassword: values.newPassword,
      });
      form.resetFields();
      onReset(result.user);
    });

  return (
    <Modal
      open={user !== null}
      title={t('users.resetTitle')}
      okText={t('users.resetSubmit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={440}
    >
      {user !== null && (
        <Typography.Paragraph>
          {t('users.resetFor', { name: user.name, badge: user.badge })}
        </Typography.Paragraph>
      )}
      <Form<ResetForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => void submit(values)}
        data-testid="reset-password-form"
      >
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          rules={newPasswordRules(t)}
          extra={t('validation.passwordHint')}
        >
          <Input.Password autoFocus autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={confirmRules(t, 'newPassword')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
