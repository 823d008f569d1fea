import { useCallback, useEffect, useState } from 'react';
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  isGrantedRole,
  roleHasPermission,
  type RoleGrant,
  type User,
} from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { errorText, failureText, formatLocalTime } from '../../i18n/format';
import { pinClearedText } from '../../shared/loginError';
import { AddUserModal } from './AddUserModal';
import { CardModal } from './CardModal';
import { ResetPasswordModal } from './ResetPasswordModal';
import { RoleGrantsCard } from './RoleGrantsCard';
import { RoleModal } from './RoleModal';

function isLocked(user: User, now: number): boolean {
  return user.lockedUntil !== null && Date.parse(user.lockedUntil) > now;
}

/**
 * Accounts at this station (`users.read`); changing them needs `users.manage` (admins). The
 * custodian and supervisor roles an admin asks for wait above the list until a custodian
 * confirms them (`grants.read`, `grants.decide`; D-CUSTODIAN).
 */
export function UsersScreen({ currentUser }: { currentUser: User }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const canManage = roleHasPermission(currentUser.role, 'users.manage');
  const canSeeGrants = roleHasPermission(currentUser.role, 'grants.read');
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [carding, setCarding] = useState<User | null>(null);
  const [changingRole, setChangingRole] = useState<User | null>(null);
  const [busyBadge, setBusyBadge] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const load = useCallback(
    async (signal: AbortSignal) => {
      const [list, waiting] = await Promise.all([
        client.call('users.list', {}),
        canSeeGrants ? client.call('users.grants.list', {}) : { grants: [] as RoleGrant[] },
      ]);
      // "Locked until" is read against the time the list arrived.
      if (!signal.aborted) setNow(Date.now());
      return { users: list.users, grants: waiting.grants };
    },
    [client, canSeeGrants],
  );
  const { data, loading, error, reload } = useStationData(load);
  const users = data?.users ?? [];
  const grants = data?.grants ?? [];
  /** Roles asked for existing accounts, by badge: shown beside the role they hold now. */
  const asked = new Map(
    grants.filter((g) => g.previousRole !== null).map((g) => [g.badge.toUpperCase(), g]),
  );
  const loadError = failureText(t, error);

  useEffect(() => client.on('users.changed', () => void reload()), [client, reload]);

  // Lockouts end by themselves: re-evaluate "locked until" once a minute.
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);

  const setEnabled = async (user: User, enable: boolean) => {
    setBusyBadge(user.badge);
    try {
      await client.call(enable ? 'users.enable' : 'users.disable', { badge: user.badge });
      void message.success(
        t(enable ? 'users.enabledMsg' : 'users.disabledMsg', { name: user.name }),
      );
      await reload();
    } catch (cause) {
      void message.error(errorText(t, cause));
    } finally {
      setBusyBadge(null);
    }
  };

  const columns: TableColumnsType<User> = [
    {
      title: t('fields.badge'),
      dataIndex: 'badge',
      width: 120,
      render: (badge: string) => <Typography.Text code>{badge}</Typography.Text>,
    },
    { title: t('fields.name'), dataIndex: 'name', width: 120, ellipsis: true },
    {
      title: t('fields.role'),
      dataIndex: 'role',
      width: 190,
      render: (role: User['role'], user: User) => {
        const waiting = asked.get(user.badge.toUpperCase());
        return (
          <Space size={4} wrap>
            <Tag>{t(`roles.${role}`)}</Tag>
            {waiting !== undefined && (
              <Tooltip title={t('users.grants.waiting')}>
                <Tag color="gold">
                  {t('users.pendingRole', { role: t(`roles.${waiting.role}`) })}
                </Tag>
              </Tooltip>
            )}
          </Space>
        );
      },
    },
    {
      title: t('fields.status'),
      key: 'status',
      width: 130,
      render: (_: unknown, user: User) => {
        if (user.disabled) return <Tag color="default">{t('users.status.disabled')}</Tag>;
        if (isLocked(user, now))
          return (
            <Tag color="orange">
              {t('users.status.lockedUntil', { until: formatLocalTime(user.lockedUntil) })}
            </Tag>
          );
        return <Tag color="green">{t('users.status.active')}</Tag>;
      },
    },
    {
      title: t('users.dockId.title'),
      key: 'dockId',
      width: 130,
      render: (_: unknown, user: User) =>
        !user.pinSet && user.cardMasked === null && user.pinCleared === null ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Space size={4}>
            {user.pinSet && <Tag>{t('users.dockId.pin')}</Tag>}
            {!user.pinSet && user.pinCleared !== null && (
              <Tooltip title={pinClearedText(t, user.pinCleared)}>
                <Tag color="default">{t('users.dockId.pinCleared')}</Tag>
              </Tooltip>
            )}
            {user.cardMasked !== null && (
              <Tooltip title={user.cardMasked}>
                <Tag>{t('users.dockId.card')}</Tag>
              </Tooltip>
            )}
          </Space>
        ),
    },
    {
      title: t('fields.createdAt'),
      dataIndex: 'createdAt',
      width: 150,
      render: (at: string) => formatLocalTime(at),
    },
  ];

  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, user: User) => {
        const self = user.badge === currentUser.badge;
        // One request at a time: a custodian decides the waiting one first.
        const waiting = asked.has(user.badge.toUpperCase());
        const toggle = user.disabled ? (
          <Popconfirm
            title={t('users.enableConfirm', { name: user.name })}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => setEnabled(user, true)}
          >
            <Button size="small" type="link" loading={busyBadge === user.badge}>
              {t('users.enable')}
            </Button>
          </Popconfirm>
        ) : (
          <Popconfirm
            title={t('users.disableConfirm', { name: user.name })}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => setEnabled(user, false)}
            disabled={self}
          >
            <Tooltip title={self ? t('users.cannotDisableSelf') : undefined}>
              <Button
                size="small"
                type="link"
                danger
                disabled={self}
                loading={busyBadge === user.badge}
              >
                {t('users.disable')}
              </Button>
            </Tooltip>
          </Popconfirm>
        );
        // D-CUSTODIAN: an admin who set their password could act as them.
        const seesFootage = isGrantedRole(user.role);
        return (
          <Space size={0} data-testid={`user-actions-${user.badge}`}>
            {toggle}
            <Tooltip
              title={
                seesFootage
                  ? t('users.resetNotForFootageRoles')
                  : waiting
                    ? t('users.grants.waiting')
                    : undefined
              }
            >
              <Button
                size="small"
                type="link"
                disabled={seesFootage || waiting}
                onClick={() => setResetting(user)}
              >
                {t('users.resetPassword')}
              </Button>
            </Tooltip>
            <Tooltip
              title={
                self
                  ? t('users.cannotChangeOwnRole')
                  : waiting
                    ? t('users.grants.waiting')
                    : undefined
              }
            >
              <Button
                size="small"
                type="link"
                disabled={self || waiting}
                onClick={() => setChangingRole(user)}
                data-testid={`user-role-${user.badge}`}
              >
                {t('users.role.action')}
              </Button>
            </Tooltip>
            <Button
              size="small"
              type="link"
              onClick={() => setCarding(user)}
              data-testid={`user-card-${user.badge}`}
            >
              {t('users.card.action')}
            </Button>
          </Space>
        );
      },
    });
  }

  return (
    <Card
      size="small"
      data-testid="users-screen"
      title={t('users.title', { count: users.length })}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading}>
            {t('common.refresh')}
          </Button>
          {canManage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setAdding(true)}
              data-testid="add-user"
            >
              {t('users.add')}
            </Button>
          )}
        </Space>
      }
    >
      {!canManage && (
        <Alert type="info" showIcon title={t('users.readOnly')} style={{ marginBottom: 12 }} />
      )}
      {loadError !== null && (
        <Alert type="error" showIcon title={loadError} style={{ marginBottom: 12 }} />
      )}
      <RoleGrantsCard grants={grants} currentUser={currentUser} onDecided={() => void reload()} />
      <Table<User>
        size="small"
        rowKey="badge"
        columns={columns}
        dataSource={users}
        loading={loading && users.length === 0}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
        data-testid="users-table"
      />
      <AddUserModal
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={({ user, grant }) => {
          setAdding(false);
          if (user === null && grant !== null) {
            void message.info(
              t('users.addRequestedMsg', {
                name: grant.name,
                badge: grant.badge,
                role: t(`roles.${grant.role}`),
              }),
            );
          } else if (user !== null) {
            const first = grant?.status === 'bootstrap';
            void message.success(
              t(first ? 'users.addFirstCustodianMsg' : 'users.addedMsg', {
                name: user.name,
                badge: user.badge,
              }),
            );
          }
          void reload();
        }}
      />
      <ResetPasswordModal
        user={resetting}
        onClose={() => setResetting(null)}
        onReset={(user) => {
          setResetting(null);
          void message.success(t('users.resetMsg', { name: user.name }));
          void reload();
        }}
      />
      <RoleModal
        user={changingRole}
        onClose={() => {
          setChangingRole(null);
          void reload();
        }}
      />
      <CardModal
        user={carding}
        onClose={() => {
          setCarding(null);
          void reload();
        }}
      />
    </Card>
  );
}
