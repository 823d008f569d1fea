import { useState } from 'react';
import { Alert, Button, Form, Input, Tag, Typography } from 'antd';
import { LockOutlined, SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../src-main/contract';
import { AuthCard } from '../../shared/AuthCard';
import { CenteredPage } from '../../shared/CenteredPage';
import { useStation } from '../../shared/StationContext';
import type { KnownUser } from '../../shared/storedUser';
import { passwordRules } from '../../shared/validation';
import { loginErrorText } from '../../shared/loginError';

/** Why the workstation is locked: left idle, locked by hand, session expired, page reloaded. */
export type LockReason = 'idle' | 'manual' | 'expired' | 'reload';

interface UnlockForm {
  password: string;
}

/**
 * The shared workstation, locked: nothing of the shell is rendered behind this screen.
 * Unlocking is a fresh `auth.login` for the same badge; "switch user" goes back to login
 * without calling anything under the old session.
 */
export function LockScreen({
  user,
  reason,
  onUnlocked,
  onSwitchUser,
}: {
  user: KnownUser;
  reason: LockReason;
  onUnlocked: (session: SessionInfo) => void;
  onSwitchUser: () => void;
}) {
  const { t } = useTranslation();
  const { client, info } = useStation();
  const [form] = Form.useForm<UnlockForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (values: UnlockForm) => {
    setBusy(true);
    setError(null);
    try {
      const session = await client.call('auth.login', {
        badge: user.badge,
        password: values.password,
      });
      onUnlocked(session);
    } catch (cause) {
      setError(loginErrorText(t, cause));
      form.setFieldValue('password', '');
      setBusy(false);
    }
  };

  return (
    <CenteredPage footer={t('app.footer', { version: info.version })}>
      <AuthCard
        title={t('lock.title')}
        testId="lock-screen"
        subtitle={
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t(`lock.reason.${reason}`)}
          </Typography.Text>
        }
      >
        <div style={{ textAlign: 'center', marginBottom: 16 }} data-testid="locked-user">
          <Typography.Text strong style={{ fontSize: 16 }}>
            {user.name}
          </Typography.Text>{' '}
          <Typography.Text type="secondary">{user.badge}</Typography.Text>{' '}
          <Tag color="blue">{t(`roles.${user.role}`)}</Tag>
        </div>
        <Form<UnlockForm>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => void submit(values)}
          disabled={busy}
        >
          {/* Names the account for password managers and screen readers; not editable. */}
          <input
            type="text"
            name="username"
            autoComplete="username"
            value={user.badge}
            readOnly
            hidden
          />
          <Form.Item name="password" label={t('lock.password')} rules={passwordRules(t)}>
            <Input.Password
              prefix={<LockOutlined />}
              autoFocus
              autoComplete="current-password"
              data-testid="unlock-password"
            />
          </Form.Item>
          {error !== null && (
            <Alert
              type="error"
              showIcon
              title={error}
              style={{ marginBottom: 16 }}
              data-testid="unlock-error"
            />
          )}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="unlock-submit">
            {t('lock.unlock')}
          </Button>
        </Form>
        <Button
          type="link"
          block
          icon={<SwapOutlined />}
          style={{ marginTop: 8 }}
          onClick={onSwitchUser}
          data-testid="switch-user"
        >
          {t('lock.switchUser')}
        </Button>
      </AuthCard>
    </CenteredPage>
  );
}
