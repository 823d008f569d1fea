import { useEffect, useState } from 'react';
import { App, Alert, Button, Card, Empty, Space } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { roleHasPermission, type ForwardTarget, type User } from '../../../src-main/contract';
import { failureText } from '../../i18n/format';
import { AddTargetModal } from './AddTargetModal';
import { ChangeKeysModal } from './ChangeKeysModal';
import { TargetCard } from './TargetCard';
import { TargetSettingsModal } from './TargetSettingsModal';
import { useForwarding } from './useForwarding';

/** How often "waiting for more than a day" is looked at again while the screen is open. */
const CLOCK_MS = 60_000;

/**
 * Forwarding to the unit's central storage (D-24H: within the day footage is in the unit's
 * dedicated storage; D-NO-TAMPER: a copy counts once it is proven there). Custodians add, test
 * and manage targets and retry failures (`forward.manage`); supervisors read it all
 * (`forward.read`, D-SUPERVISION).
 */
export function ForwardingScreen({ currentUser }: { currentUser: User }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mayManage = roleHasPermission(currentUser.role, 'forward.manage');
  const { data, loading, error, reload } = useForwarding();
  const [adding, setAdding] = useState(false);
  const [keysOf, setKeysOf] = useState<ForwardTarget | null>(null);
  const [settingsOf, setSettingsOf] = useState<ForwardTarget | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_MS);
    return () => clearInterval(timer);
  }, []);

  const targets = data?.targets ?? [];
  const loadError = failureText(t, error);

  return (
    <Space
      orientation="vertical"
      size={16}
      style={{ width: '100%' }}
      data-testid="forwarding-screen"
    >
      <Card
        size="small"
        title={t('forwarding.title')}
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading}>
              {t('common.refresh')}
            </Button>
            {mayManage && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setAdding(true)}
                data-testid="add-target"
              >
                {t('forwarding.add.button')}
              </Button>
            )}
          </Space>
        }
      >
        <Alert
          type="info"
          showIcon
          title={mayManage ? t('forwarding.intro') : t('forwarding.readOnly')}
          data-testid="forwarding-intro"
        />
        {loadError !== null && (
          <Alert type="error" showIcon title={loadError} style={{ marginTop: 12 }} />
        )}
        {data !== null && targets.length === 0 && (
          <Empty
            style={{ marginTop: 16 }}
            description={mayManage ? t('forwarding.emptyManage') : t('forwarding.empty')}
          />
        )}
      </Card>
      {targets.map((target) => (
        <TargetCard
          key={target.id}
          target={target}
          queue={data?.queues.get(target.name)}
          now={now}
          mayManage={mayManage}
          onChanged={() => void reload()}
          onChangeKeys={setKeysOf}
          onChangeSettings={setSettingsOf}
        />
      ))}
      <AddTargetModal
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={(target) => {
          setAdding(false);
          void message.success(t('forwarding.add.addedMsg', { name: target.name }));
          void reload();
        }}
      />
      <ChangeKeysModal
        target={keysOf}
        onClose={() => setKeysOf(null)}
        onChanged={(target) => {
          setKeysOf(null);
          void message.success(t('forwarding.keys.changedMsg', { name: target.name }));
          void reload();
        }}
      />
      <TargetSettingsModal
        target={settingsOf}
        onClose={() => setSettingsOf(null)}
        onChanged={(target) => {
          setSettingsOf(null);
          void message.success(t('forwarding.settings.savedMsg', { name: target.name }));
          void reload();
        }}
      />
    </Space>
  );
}
