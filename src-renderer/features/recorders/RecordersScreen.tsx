import { useCallback, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { type Recorder, roleHasPermission, type User } from '../../../src-main/contract';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { failureText, formatLocalTime } from '../../i18n/format';
import { profileName, useProfiles } from '../../shared/recorders/profiles';
import {
  RegisterRecorderModal,
  type RegisterPrefill,
} from '../../shared/recorders/RegisterRecorderModal';
import { HeldLookalikes } from './HeldLookalikes';

/**
 * The recorders registered at this station (`recorders.read`); registering one needs
 * `recorders.manage` (custodians, D-CUSTODIAN). Unregistered recorders are never read (D-NO-LEAK).
 */
export function RecordersScreen({ currentUser }: { currentUser: User }) {
  const { t, i18n } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const canManage = roleHasPermission(currentUser.role, 'recorders.manage');
  const profiles = useProfiles();
  const [registering, setRegistering] = useState<RegisterPrefill | null>(null);

  const load = useCallback(
    async () => (await client.call('recorders.list', {})).recorders,
    [client],
  );
  const { data, loading, error, reload } = useStationData(load);
  const recorders: Recorder[] = data ?? [];
  const loadError = failureText(t, error);

  const columns: TableColumnsType<Recorder> = [
    {
      title: t('recorders.columns.serial'),
      dataIndex: 'serial',
      width: 170,
      render: (serial: string) => <Typography.Text code>{serial}</Typography.Text>,
    },
    {
      title: t('recorders.columns.model'),
      dataIndex: 'profileId',
      ellipsis: true,
      render: (id: string) => <span title={id}>{profileName(profiles, id, i18n.language)}</span>,
    },
    {
      title: t('recorders.columns.officer'),
      key: 'officer',
      width: 200,
      render: (_: unknown, recorder: Recorder) =>
        recorder.officerBadge === null ? (
          <Typography.Text type="secondary">{t('recorders.noOfficer')}</Typography.Text>
        ) : (
          <Space size={6}>
            {recorder.officerName ?? ''}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {recorder.officerBadge}
            </Typography.Text>
          </Space>
        ),
    },
    {
      title: t('recorders.columns.registeredBy'),
      dataIndex: 'registeredBy',
      width: 120,
      ellipsis: true,
    },
    {
      title: t('recorders.columns.registeredAt'),
      dataIndex: 'registeredAt',
      width: 170,
      render: (at: string) => formatLocalTime(at),
    },
    {
      // D-WHO-RECORDS: the device its registration is bound to, from its first docking.
      title: t('recorders.columns.bound'),
      dataIndex: 'boundAt',
      width: 190,
      render: (at: string | null) =>
        at === null ? (
          <Typography.Text type="secondary">{t('recorders.bound.pending')}</Typography.Text>
        ) : (
          t('recorders.bound.at', { at: formatLocalTime(at) })
        ),
    },
    {
      title: t('recorders.columns.status'),
      key: 'status',
      width: 190,
      render: (_: unknown, recorder: Recorder) =>
        recorder.retiredAt === null ? (
          <Tag color="green">{t('recorders.status.active')}</Tag>
        ) : (
          <Tag>
            {t('recorders.status.retired', {
              at: formatLocalTime(recorder.retiredAt).slice(0, 10),
            })}
          </Tag>
        ),
    },
  ];

  return (
    <Card
      size="small"
      data-testid="recorders-screen"
      title={t('recorders.title', { count: recorders.length })}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading}>
            {t('common.refresh')}
          </Button>
          {canManage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setRegistering({})}
              data-testid="register-recorder"
            >
              {t('recorders.register')}
            </Button>
          )}
        </Space>
      }
    >
      <Alert
        type="info"
        showIcon
        title={canManage ? t('recorders.intro') : t('recorders.readOnly')}
        style={{ marginBottom: 12 }}
      />
      {loadError !== null && (
        <Alert type="error" showIcon title={loadError} style={{ marginBottom: 12 }} />
      )}
      <HeldLookalikes canDecide={canManage} onDecided={() => void reload()} />
      <Table<Recorder>
        size="small"
        rowKey="serial"
        columns={columns}
        dataSource={recorders}
        loading={loading && recorders.length === 0}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: t('recorders.empty') }}
        data-testid="recorders-table"
      />
      <RegisterRecorderModal
        open={registering !== null}
        prefill={registering}
        profiles={profiles}
        currentUser={currentUser}
        onClose={() => setRegistering(null)}
        onRegistered={(recorder) => {
          setRegistering(null);
          void message.success(t('recorders.registeredMsg', { serial: recorder.serial }));
          void reload();
        }}
      />
    </Card>
  );
}
