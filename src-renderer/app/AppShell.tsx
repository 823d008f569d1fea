import { useCallback, useEffect, useState, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Dropdown,
  Layout,
  Menu,
  Space,
  Tag,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import type { MenuProps } from 'antd';
import {
  AuditOutlined,
  BarChartOutlined,
  CameraOutlined,
  CloudUploadOutlined,
  ControlOutlined,
  DownOutlined,
  FolderOpenOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  LockOutlined,
  LogoutOutlined,
  SafetyCertificateOutlined,
  SaveOutlined,
  TagsOutlined,
  TeamOutlined,
  UsbOutlined,
  UserOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User } from '../../src-main/contract';
import { AuditScreen } from '../features/audit/AuditScreen';
import { CasesScreen } from '../features/cases/CasesScreen';
import { ClipsScreen } from '../features/clips/ClipsScreen';
import { LabelScreen } from '../features/label/LabelScreen';
import { ReportsScreen } from '../features/reports/ReportsScreen';
import { DiscsScreen } from '../features/discs/DiscsScreen';
import { DockScreen } from '../features/dock/DockScreen';
import { ForwardingScreen } from '../features/forwarding/ForwardingScreen';
import { HomeScreen } from '../features/home/HomeScreen';
import { PolicyScreen } from '../features/policy/PolicyScreen';
import { RecordersScreen } from '../features/recorders/RecordersScreen';
import { UsersScreen } from '../features/users/UsersScreen';
import { ChangePasswordModal } from './ChangePasswordModal';
import { SetPinModal } from './SetPinModal';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import {
  hashFor,
  locationFromHash,
  screensFor,
  type Location,
  type Screen,
} from '../shared/routes';
import { useStation } from '../shared/StationContext';
import { useIdleLock } from './useIdleLock';

export interface ActiveSession {
  user: User;
  idleTimeoutSeconds: number;
}

const SCREEN_ICONS: Record<Screen, ReactNode> = {
  dock: <UsbOutlined />,
  label: <TagsOutlined />,
  home: <HomeOutlined />,
  clips: <VideoCameraOutlined />,
  cases: <FolderOpenOutlined />,
  reports: <BarChartOutlined />,
  forwarding: <CloudUploadOutlined />,
  discs: <SaveOutlined />,
  recorders: <CameraOutlined />,
  policy: <ControlOutlined />,
  users: <TeamOutlined />,
  audit: <AuditOutlined />,
};

export function AppShell({
  session,
  onLock,
  onIdle,
  onLogout,
}: {
  session: ActiveSession;
  onLock: () => void;
  onIdle: () => void;
  onLogout: () => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { client, info, connection, reconnects } = useStation();
  const { user, idleTimeoutSeconds } = session;
  const [place, setPlace] = useState<Location>(() =>
    locationFromHash(window.location.hash, user.role),
  );
  const { screen, param } = place;
  const [changingPassword, setChangingPassword] = useState(false);
  const [settingPin, setSettingPin] = useState(false);

  useEffect(() => {
    const follow = () => setPlace(locationFromHash(window.location.hash, user.role));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [user.role]);

  const go = (next: Screen) => {
    window.location.hash = hashFor(next);
    setPlace({ screen: next, param: null });
  };

  // The station ends a session after the same quiet period, counting only calls: while the
  // user works without calling anything, tell it the session is in use.
  const keepAlive = useCallback(() => {
    if (Date.now() - client.lastSessionCallAt > (idleTimeoutSeconds * 1000) / 2) {
      client.call('auth.whoami', {}).catch(() => undefined);
    }
  }, [client, idleTimeoutSeconds]);
  useIdleLock({ timeoutSeconds: idleTimeoutSeconds, onIdle, onActivity: keepAlive });

  // After a reconnect, a call under the session re-binds the connection to it (events).
  useEffect(() => {
    if (reconnects > 0) client.call('auth.whoami', {}).catch(() => undefined);
  }, [client, reconnects]);

  const menuItems: MenuProps['items'] = screensFor(user.role).map((name) => ({
    key: name,
    icon: SCREEN_ICONS[name],
    label: <span data-testid={`nav-${name}`}>{t(`nav.${name}`)}</span>,
  }));

  const accountItems: MenuProps['items'] = [
    {
      key: 'password',
      icon: <KeyOutlined />,
      label: <span data-testid="change-password">{t('header.changePassword')}</span>,
    },
    {
      key: 'pin',
      icon: <IdcardOutlined />,
      label: <span data-testid="set-pin">{t('header.setPin')}</span>,
    },
    { type: 'divider' },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: <span data-testid="logout">{t('header.logout')}</span>,
    },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }} data-testid="app-shell">
      <Layout.Sider width={200} theme="dark">
        <div
          style={{
            height: 56,
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            padding: '0 18px',
            color: '#fff',
            fontWeight: 600,
            fontSize: 15,
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
        >
          <SafetyCertificateOutlined style={{ fontSize: 18 }} />
          <span>{t('app.shortTitle')}</span>
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[screen]}
          items={menuItems}
          onClick={({ key }) => go(key as Screen)}
          data-testid="side-nav"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            height: 56,
            lineHeight: '56px',
            padding: '0 16px',
            display: 'flex',
            alignItems: 'center',
            gap: 12,
          }}
        >
          <Typography.Text strong style={{ fontSize: 15, whiteSpace: 'nowrap' }}>
            {t(`nav.${screen}`)}
          </Typography.Text>
          <div style={{ flex: 1 }} />
          <Space size={12} align="center">
            <LanguageSwitch />
            <Tooltip title={t('header.lockHint', { seconds: idleTimeoutSeconds })}>
              <Button icon={<LockOutlined />} onClick={onLock} data-testid="lock-now">
                {t('header.lock')}
              </Button>
            </Tooltip>
            <Dropdown
              trigger={['click']}
              menu={{
                items: accountItems,
                onClick: ({ key }) => {
                  if (key === 'password') setChangingPassword(true);
                  if (key === 'pin') setSettingPin(true);
                  if (key === 'logout') onLogout();
                },
              }}
            >
              <Button data-testid="account-menu" style={{ maxWidth: 360 }}>
                <UserOutlined />
                <span data-testid="current-user" style={{ whiteSpace: 'nowrap' }}>
                  {user.name}
                </span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {user.badge}
                </Typography.Text>
                <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                  {t(`roles.${user.role}`)}
                </Tag>
                <DownOutlined style={{ fontSize: 10 }} />
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        {connection !== 'open' && (
          <Alert
            type="warning"
            banner
            title={t('app.reconnecting')}
            data-testid="connection-lost"
          />
        )}
        <Layout.Content style={{ padding: 16, overflow: 'auto' }}>
          {screen === 'dock' && <DockScreen currentUser={user} />}
          {screen === 'label' && <LabelScreen currentUser={user} />}
          {screen === 'clips' && <ClipsScreen currentUser={user} />}
          {screen === 'cases' && <CasesScreen currentUser={user} caseNumber={param} />}
          {screen === 'reports' && <ReportsScreen currentUser={user} />}
          {screen === 'forwarding' && <ForwardingScreen currentUser={user} />}
          {screen === 'discs' && <DiscsScreen currentUser={user} caseNumber={param} />}
          {screen === 'home' && <HomeScreen user={user} idleTimeoutSeconds={idleTimeoutSeconds} />}
          {screen === 'recorders' && <RecordersScreen currentUser={user} />}
          {screen === 'policy' && <PolicyScreen currentUser={user} />}
          {screen === 'users' && <UsersScreen currentUser={user} />}
          {screen === 'audit' && <AuditScreen currentUser={user} />}
        </Layout.Content>
        <Layout.Footer
          style={{ padding: '6px 16px', fontSize: 12, color: token.colorTextTertiary }}
        >
          {t('app.footer', { version: info.version })}
        </Layout.Footer>
      </Layout>
      <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
      <SetPinModal open={settingPin} onClose={() => setSettingPin(false)} />
    </Layout>
  );
}
