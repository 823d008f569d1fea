import type { ReactNode } from 'react';
import { Card, Typography, theme } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** The card of the setup, login and lock screens: product name, screen title, form. */
export function AuthCard({
  title,
  subtitle,
  children,
  testId,
  width = 400,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
  testId: string;
  width?: number;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Card style={{ width, maxWidth: '100%' }} data-testid={testId}>
      <div style={{ textAlign: 'center', marginBottom: 20 }}>
        <SafetyCertificateOutlined style={{ fontSize: 32, color: token.colorPrimary }} />
        <Typography.Title level={4} style={{ margin: '8px 0 0' }}>
          {t('app.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{title}</Typography.Text>
        {subtitle !== undefined && <div style={{ marginTop: 8 }}>{subtitle}</div>}
      </div>
      {children}
    </Card>
  );
}
