import { useEffect, useState } from 'react';
import { App as AntApp, Alert, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '../../src-main/contract';
import { StationError } from '../api/errors';
import { errorText } from '../i18n/format';
import { useModalForm } from '../shared/useModalForm';
import { useStation } from '../shared/StationContext';
import { pinClearedText } from '../shared/loginError';
import { confirmRules, passwordRules, pinRules } from '../shared/validation';

interface SetPinForm {
  currentPassword: string;
  pin: string;
  confirm: string;
}

/**
 * `auth.setPin`: one's own six-digit PIN for confirming oneself at the dock, set with one's
 * password. Says why, when the station cleared the PIN they had.
 */
export function SetPinModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const [cleared, setCleared] = useState<User['pinCleared']>(null);

  useEffect(() => {
    if (!open) return;
    let current = true;
    client
      .call('auth.whoami', {})
      .then(({ user }) => current && setCleared(user.pinCleared))
      // Only the reason is missing then; the form works without it.
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [client, open]);
  const { form, busy, error, close, run } = useModalForm<SetPinForm>(onClose, (cause) =>
    cause instanceof StationError && cause.code === 'INVALID_CREDENTIALS'
      ? t('password.currentWrong')
      : errorText(t, cause),
  );

  const submit = (values: SetPinForm) =>
    run(async () => {
      await client.call('auth.setPin', {
        currentPassword: values.currentPassword,
        pin: values.pin,
      });
      void message.success(t('pin.saved'));
      close();
    });

  return (
    <Modal
      open={open}
      title={t('pin.title')}
      okText={t('pin.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'set-pin-submit' } as Record<string, string>}
    >
      {cleared !== null && (
        <Alert
          type="warning"
          showIcon
          title={pinClearedText(t, cleared)}
          style={{ marginBottom: 12 }}
          data-testid="pin-cleared"
        />
      )}
      <Typography.Paragraph type="secondary">{t('pin.intro')}</Typography.Paragraph>
      <Form<SetPinForm>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        requiredMark={false}
        data-testid="set-pin-form"
      >
        <Form.Item name="currentPassword" label={t('password.current')} rules={passwordRules(t)}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item name="pin" label={t('pin.new')} rules={pinRules(t)}>
          <Input.Password inputMode="numeric" maxLength={6} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('pin.confirm')}
          dependencies={['pin']}
          rules={confirmRules(t, 'pin')}
        >
          <Input.Password inputMode="numeric" maxLength={6} autoComplete="off" />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
