import { Alert, Card, Descriptions, List, Space, Tag, Typography } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ROLE_PERMISSIONS, type User } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { formatLocalTime } from '../../i18n/format';
import { ArchiveSpaceCard } from './ArchiveSpaceCard';
import { IntegrityAlarm, IntegrityCard } from './IntegrityCard';
import { LongTermDiscsCard } from './LongTermDiscsCard';
import { useIntegrityStatus } from './useIntegrityStatus';

/** What this role may do here, in words: the grants that are more than "logged in". */
const SHOWN_PERMISSIONS = [
  'recorders.read',
  'recorders.manage',
  'clips.read',
  'users.read',
  'users.manage',
  'audit.read',
  'audit.verify',
  'integrity.read',
  'integrity.run',
  'forward.read',
  'forward.manage',
  'disc.read',
  'disc.manage',
] as const;

/** The honest start page: who is logged in, what the station is, what this account may do. */
export function HomeScreen({
  user,
  idleTimeoutSeconds,
}: {
  user: User;
  idleTimeoutSeconds: number;
}) {
  const { t } = useTranslation();
  const { info } = useStation();
  const granted = SHOWN_PERMISSIONS.filter((p) => ROLE_PERMISSIONS[user.role].includes(p));
  // D-NO-TAMPER: custodians and supervisors see the archive's last integrity sweep here.
  const seesIntegrity = ROLE_PERMISSIONS[user.role].includes('integrity.read');
  const integrity = useIntegrityStatus(seesIntegrity);
  // D-LONGTERM: the same people see what long-term footage still waits for a disc.
  const seesDiscs = ROLE_PERMISSIONS[user.role].includes('disc.read');

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="home-screen">
      {seesIntegrity && <IntegrityAlarm sweep={integrity.data?.last ?? null} />}
      <Card size="small">
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="welcome">
          {t('home.welcome', { name: user.name })}
        </Typography.Title>
        <Descriptions
          size="small"
          column={2}
          bordered
          items={[
            { key: 'name', label: t('fields.name'), children: user.name },
            { key: 'badge', label: t('fields.badge'), children: user.badge },
            {
              key: 'role',
              label: t('fields.role'),
              children: <Tag color="blue">{t(`roles.${user.role}`)}</Tag>,
            },
            {
              key: 'created',
              label: t('fields.createdAt'),
              children: formatLocalTime(user.createdAt),
            },
            {
              key: 'version',
              label: t('home.stationVersion'),
              children: (
                <span data-testid="station-version">{`${info.product} ${info.version}`}</span>
              ),
            },
            {
              key: 'idle',
              label: t('home.idleLock'),
              children: t('home.idleLockValue', { seconds: idleTimeoutSeconds }),
            },
          ]}
        />
      </Card>
      {seesIntegrity && (
        <IntegrityCard
          status={integrity.data}
          error={integrity.error}
          mayRun={ROLE_PERMISSIONS[user.role].includes('integrity.run')}
          onChanged={(status) => integrity.setData(status)}
        />
      )}
      {/* The archive disk's room: the same people who read its integrity (D-NO-TAMPER). */}
      {seesIntegrity && <ArchiveSpaceCard />}
      {seesDiscs && <LongTermDiscsCard />}
      <Card size="small" title={t('home.permissionsTitle')}>
        {granted.length === 0 ? (
          <Typography.Text type="secondary">{t('home.noExtraPermissions')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={granted}
            renderItem={(permission) => (
              <List.Item>
                <Space>
                  <CheckCircleOutlined style={{ color: '#389e0d' }} />
                  {t(`permissions.${permission}`)}
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Alert type="info" showIcon title={t('home.scopeTitle')} description={t('home.scope')} />
    </Space>
  );
}
