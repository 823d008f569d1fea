import { useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../src-main/contract';
import { StationError } from '../../api/errors';
import { AuthCard } from '../../shared/AuthCard';
import { CenteredPage } from '../../shared/CenteredPage';
import { useStation } from '../../shared/StationContext';
import { badgeRules, confirmRules, nameRules, newPasswordRules } from '../../shared/validation';
import { errorText } from '../../i18n/format';

interface SetupForm {
  badge: string;
  name: string;
  password: string;
  confirm: string;
}

/** First run: the station has no accounts yet; whoever installs it creates the first admin. */
export function SetupScreen({
  onDone,
  onAlreadyDone,
}: {
  onDone: (session: SessionInfo) => void;
  onAlreadyDone: () => void;
}) {
  const { t } = useTranslation();
  const { client, info } = useStation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (values: SetupForm) => {
    setBusy(true);
    setError(null);
    try {
      const session = await client.call('setup.createAdmin', {
        badge: values.badge.trim(),
        name: values.name.trim(),
        password: values.password,
      });
      onDone(session);
    } catch (cause) {
      if (cause instanceof StationError && cause.code === 'SETUP_DONE') {
        onAlreadyDone();
        return;
      }
      setError(errorText(t, cause));
      setBusy(false);
    }
  };

  return (
    <CenteredPage footer={t('app.footer', { version: info.version })}>
      <AuthCard title={t('setup.title')} testId="setup-screen" width={440}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
          {t('setup.intro')}
        </Typography.Paragraph>
        <Form<SetupForm>
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => void submit(values)}
          disabled={busy}
        >
          <Form.Item name="badge" label={t('fields.badge')} rules={badgeRules(t)}>
            <Input autoFocus autoComplete="username" data-testid="setup-badge" />
          </Form.Item>
          <Form.Item name="name" label={t('fields.name')} rules={nameRules(t)}>
            <Input autoComplete="name" data-testid="setup-name" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('fields.password')}
            rules={newPasswordRules(t)}
            extra={t('validation.passwordHint')}
          >
            <Input.Password autoComplete="new-password" data-testid="setup-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('fields.confirmPassword')}
            dependencies={['password']}
            rules={confirmRules(t, 'password')}
          >
            <Input.Password autoComplete="new-password" data-testid="setup-confirm" />
          </Form.Item>
          {error !== null && (
            <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />
          )}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="setup-submit">
            {t('setup.submit')}
          </Button>
        </Form>
      </AuthCard>
    </CenteredPage>
  );
}
