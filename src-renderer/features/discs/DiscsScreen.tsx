import { useEffect, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Empty, Space } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { roleHasPermission, type DiscRecord, type User } from '../../../src-main/contract';
import { failureText } from '../../i18n/format';
import { BurnCard } from './BurnCard';
import { DiscDrawer } from './DiscDrawer';
import { DiscRegister, type RegisterFilter } from './DiscRegister';
import { DiscSummary } from './DiscSummary';
import { HandoverModal } from './HandoverModal';
import { InsertDiscModal } from './InsertDiscModal';
import { PlanCard } from './PlanCard';
import { RecheckModal } from './RecheckModal';
import { SetCard } from './SetCard';
import { isDriveText, type BurnJob } from './discFormat';
import { useBurner } from './useBurner';
import { useDiscProgress } from './useDiscProgress';
import { useDiscList, useDiscSets } from './useDiscs';

/** How often "due for a re-check" is looked at again while the screen is open. */
const CLOCK_MS = 60_000;

/**
 * Long-term discs (D-LONGTERM: footage of disputed, obstructed and emergency enforcement is kept
 * on disc; D-NO-TAMPER: each disc is proven four ways when burned and on its schedule after).
 * Custodians plan sets, burn them, re-check and hand over discs (`disc.manage`); supervisors read
 * what is pending, the sets and the register (`disc.read`, D-SUPERVISION).
 */
export function DiscsScreen({
  currentUser,
  caseNumber,
}: {
  currentUser: User;
  /** A case to plan a set for, from the address (`#/discs/<case number>`). */
  caseNumber: string | null;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const mayManage = roleHasPermission(currentUser.role, 'disc.manage');
  const [filter, setFilter] = useState<RegisterFilter>('all');
  const list = useDiscList(filter === 'due');
  const sets = useDiscSets();
  const progress = useDiscProgress();
  const [drive, setDrive] = useState('');
  const [openDisc, setOpenDisc] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const [handingOver, setHandingOver] = useState<DiscRecord | null>(null);
  const [recheck, setRecheck] = useState<{ expected: DiscRecord | null } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_MS);
    return () => clearInterval(timer);
  }, []);

  const { reload: reloadList } = list;
  const { reload: reloadSets } = sets;
  const changed = async () => {
    setVersion((v) => v + 1);
    await Promise.all([reloadList(), reloadSets()]);
  };
  const burner = useBurner(changed);
  const burnable = isDriveText(drive) && burner.running === null && burner.asking === null;
  const startBurn = (jobs: BurnJob[]) => void burner.burn(jobs, drive);

  const loadError = failureText(t, list.error ?? sets.error);
  const allSets = sets.data?.sets ?? [];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="discs-screen">
      <Card
        size="small"
        title={t('discs.title')}
        extra={
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void changed()}
            loading={list.loading || sets.loading}
            data-testid="discs-refresh"
          >
            {t('common.refresh')}
          </Button>
        }
      >
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Alert
            type="info"
            showIcon
            title={mayManage ? t('discs.intro') : t('discs.readOnly')}
            data-testid="discs-intro"
          />
          {loadError !== null && <Alert type="error" showIcon title={loadError} />}
          {list.data !== null && <DiscSummary list={list.data} />}
        </Space>
      </Card>
      {mayManage && (
        <PlanCard
          key={caseNumber ?? ''}
          caseNumber={caseNumber}
          onPlanned={() => void reloadSets()}
        />
      )}
      {mayManage && (
        <BurnCard drive={drive} onDrive={setDrive} burner={burner} progress={progress} />
      )}
      <Card size="small" title={t('discs.sets.title')} data-testid="disc-sets">
        {sets.data !== null && allSets.length === 0 ? (
          <Empty description={mayManage ? t('discs.sets.emptyManage') : t('discs.sets.empty')} />
        ) : (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            {allSets.map((set) => (
              <SetCard
                key={set.id}
                set={set}
                mayBurn={mayManage}
                burnable={burnable}
                running={burner.running?.job ?? null}
                onBurn={startBurn}
              />
            ))}
          </Space>
        )}
      </Card>
      <DiscRegister
        discs={list.data?.discs ?? []}
        loading={list.loading}
        filter={filter}
        now={now}
        mayManage={mayManage}
        onFilter={setFilter}
        onOpen={(disc) => setOpenDisc(disc.id)}
        onRecheck={() => setRecheck({ expected: null })}
      />
      <DiscDrawer
        discId={openDisc}
        version={version}
        mayManage={mayManage}
        onClose={() => setOpenDisc(null)}
        onHandover={setHandingOver}
        onRecheck={(disc) => setRecheck({ expected: disc })}
      />
      <InsertDiscModal asking={burner.asking} />
      <HandoverModal
        disc={handingOver}
        onClose={() => setHandingOver(null)}
        onHanded={(disc) => {
          setHandingOver(null);
          void message.success(t('discs.handover.doneMsg', { volumeId: disc.volumeId }));
          void changed();
        }}
      />
      <RecheckModal
        open={recheck !== null}
        expected={recheck?.expected ?? null}
        progress={progress}
        onClose={() => setRecheck(null)}
        onChecked={() => void changed()}
      />
    </Space>
  );
}
