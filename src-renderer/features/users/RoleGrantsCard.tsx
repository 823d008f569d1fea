import { useState } from 'react';
import { App as AntApp, Alert, Button, Card, Popconfirm, Space, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { roleHasPermission, type RoleGrant, type User } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { errorText, formatLocalTime } from '../../i18n/format';

const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

/**
 * The custodian and supervisor roles an admin asked for, waiting for a custodian (separation of
 * duties, D-CUSTODIAN). Custodians confirm or reject them, except their own; everyone who may
 * see them sees that they wait.
 */
export function RoleGrantsCard({
  grants,
  currentUser,
  onDecided,
}: {
  grants: RoleGrant[];
  currentUser: User;
  onDecided: () => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<number | null>(null);
  const canDecide = roleHasPermission(currentUser.role, 'grants.decide');

  const decide = async (grant: RoleGrant, confirm: boolean) => {
    setBusy(grant.id);
    const role = t(`roles.${grant.role}`);
    try {
      await client.call(confirm ? 'users.grants.confirm' : 'users.grants.reject', {
        id: grant.id,
      });
      void message.success(
        t(confirm ? 'users.grants.confirmedMsg' : 'users.grants.rejectedMsg', {
          name: grant.name,
          role,
        }),
      );
    } catch (cause) {
      void message.error(errorText(t, cause));
    } finally {
      setBusy(null);
      onDecided();
    }
  };

  if (grants.length === 0) return null;

  const columns: TableColumnsType<RoleGrant> = [
    {
      title: t('users.grants.account'),
      key: 'account',
      render: (_: unknown, grant: RoleGrant) =>
        t('users.grants.who', { name: grant.name, badge: grant.badge }),
    },
    {
      title: t('fields.role'),
      dataIndex: 'role',
      width: 150,
      render: (role: RoleGrant['role']) => <Tag color="gold">{t(`roles.${role}`)}</Tag>,
    },
    {
      title: t('users.grants.from'),
      dataIndex: 'previousRole',
      width: 150,
      render: (previous: RoleGrant['previousRole']) =>
        previous === null ? (
          <Tag>{t('users.grants.newAccount')}</Tag>
        ) : (
          <Tag>{t(`roles.${previous}`)}</Tag>
        ),
    },
    { title: t('users.grants.requestedBy'), dataIndex: 'requestedBy', width: 120 },
    {
      title: t('users.grants.requestedAt'),
      dataIndex: 'requestedAt',
      width: 170,
      render: (at: string) => formatLocalTime(at),
    },
  ];
  if (canDecide) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      render: (_: unknown, grant: RoleGrant) => {
        // The station refuses it too; the screen does not offer it.
        const own =
          same(grant.requestedBy, currentUser.badge) || same(grant.badge, currentUser.badge);
        const values = { name: grant.name, badge: grant.badge, role: t(`roles.${grant.role}`) };
        return (
          <Tooltip title={own ? t('users.grants.notYours') : undefined}>
            <Space size={0} data-testid={`grant-actions-${grant.badge}`}>
              <Popconfirm
                title={t('users.grants.confirmPrompt', values)}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                onConfirm={() => decide(grant, true)}
                disabled={own}
              >
                <Button size="small" type="link" disabled={own} loading={busy === grant.id}>
                  {t('users.grants.confirm')}
                </Button>
              </Popconfirm>
              <Popconfirm
                title={t('users.grants.rejectPrompt', values)}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => decide(grant, false)}
                disabled={own}
              >
                <Button size="small" type="link" danger disabled={own}>
                  {t('users.grants.reject')}
                </Button>
              </Popconfirm>
            </Space>
          </Tooltip>
        );
      },
    });
  }

  return (
    <Card
      size="small"
      type="inner"
      title={t('users.grants.title', { count: grants.length })}
      style={{ marginBottom: 12 }}
      data-testid="role-grants"
    >
      <Alert
        type="info"
        showIcon
        title={canDecide ? t('users.grants.intro') : t('users.grants.waiting')}
        style={{ marginBottom: 12 }}
      />
      <Table<RoleGrant>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={grants}
        pagination={false}
      />
    </Card>
  );
}
