import { useState } from 'react';
import { App as AntApp, Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../src-main/contract';
import { AuthCard } from '../../shared/AuthCard';
import { CenteredPage } from '../../shared/CenteredPage';
import { useStation } from '../../shared/StationContext';
import { passwordRules } from '../../shared/validation';
import { loginErrorText, pinClearedText } from '../../shared/loginError';

/** What the login screen says first: the user logged out, or their account was disabled. */
export type LoginNotice = 'loggedOut' | 'disabled' | null;

interface LoginForm {
  badge: string;
  password: string;
}

export function LoginScreen({
  onLoggedIn,
  notice,
}: {
  onLoggedIn: (session: SessionInfo) => void;
  notice: LoginNotice;
}) {
  const { t } = useTranslation();
  const { client, info, connection } = useStation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<LoginForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (values: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      const session = await client.call('auth.login', {
        badge: values.badge.trim(),
        password: values.password,
      });
      // The station cleared their dock PIN (six digits now, or an admin's reset): say so once.
      const cleared = session.user.pinCleared;
      if (cleared !== null) void message.warning(pinClearedText(t, cleared), 8);
      onLoggedIn(session);
    } catch (cause) {
      setError(loginErrorText(t, cause));
      form.setFieldValue('password', '');
      setBusy(false);
    }
  };

  return (
    <CenteredPage footer={t('app.footer', { version: info.version })}>
      <AuthCard title={t('login.title')} testId="login-screen">
        {notice === 'disabled' && error === null && (
          <Alert
            type="warning"
            showIcon
            title={t('login.errors.disabled')}
            style={{ marginBottom: 16 }}
            data-testid="disabled-notice"
          />
        )}
        {notice === 'loggedOut' && error === null && (
          <Alert
            type="success"
            showIcon
            title={t('login.loggedOut')}
            style={{ marginBottom: 16 }}
            data-testid="logged-out-notice"
          />
        )}
        {connection !== 'open' && (
          <Alert
            type="warning"
            showIcon
            title={t('app.reconnecting')}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<LoginForm>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => void submit(values)}
          disabled={busy}
        >
          <Form.Item
            name="badge"
            label={t('fields.badge')}
            rules={[{ required: true, whitespace: true, message: t('validation.badgeRequired') }]}
          >
            <Input
              prefix={<UserOutlined />}
              autoFocus
              autoComplete="username"
              data-testid="login-badge"
            />
          </Form.Item>
          <Form.Item name="password" label={t('fields.password')} rules={passwordRules(t)}>
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          {error !== null && (
            <Alert
              type="error"
              showIcon
              title={error}
              style={{ marginBottom: 16 }}
              data-testid="login-error"
            />
          )}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </AuthCard>
    </CenteredPage>
  );
}
