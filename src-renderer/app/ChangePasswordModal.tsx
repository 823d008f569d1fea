import { App as AntApp, Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { StationError } from '../api/errors';
import { errorText } from '../i18n/format';
import { useModalForm } from '../shared/useModalForm';
import { useStation } from '../shared/StationContext';
import { confirmRules, newPasswordRules, passwordRules } from '../shared/validation';

interface ChangePasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** `auth.changePassword`: the user proves the current password and sets a new one. */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const { form, busy, error, close, run } = useModalForm<ChangePasswordForm>(onClose, (cause) =>
    cause instanceof StationError && cause.code === 'INVALID_CREDENTIALS'
      ? t('password.currentWrong')
      : errorText(t, cause),
  );

  const submit = (values: ChangePasswordForm) =>
    run(async () => {
      await client.call('auth.changePassword', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      void message.success(t('password.changed'));
      close();
    });

  return (
    <Modal
      open={open}
      title={t('password.title')}
      okText={t('password.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'change-password-submit' } as Record<string, string>}
    >
      <Form<ChangePasswordForm>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        requiredMark={false}
        data-testid="change-password-form"
      >
        <Form.Item name="currentPassword" label={t('password.current')} rules={passwordRules(t)}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item name="newPassword" label={t('password.new')} rules={newPasswordRules(t)}>
          <Input.Password autoComplete="new-password" />
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
