import { useCallback, useMemo, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Empty, Spin, Table, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, TagsOutlined, UsbOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  type DockedVolume,
  type Docking,
  type Lookalike,
  roleHasPermission,
  type User,
} from '../../../src-main/contract';
import { StationError } from '../../api/errors';
import { navigate } from '../../shared/routes';
import { useStation } from '../../shared/StationContext';
import { errorText, formatLocalTime } from '../../i18n/format';
import { profileName, useProfiles } from '../../shared/recorders/profiles';
import {
  RegisterRecorderModal,
  type RegisterPrefill,
} from '../../shared/recorders/RegisterRecorderModal';
import { ClipList } from './ClipList';
import { ConfirmOfficerModal, type ConfirmTarget } from './ConfirmOfficerModal';
import { DockingCard, mayReattribute } from './DockingCard';
import { ReattributeDockingModal } from './ReattributeDockingModal';
import { OfficerText } from './OfficerText';
import { PhaseTag } from './PhaseBanner';
import { FinishDockingModal } from './FinishDockingModal';
import { dockCards, defaultSelection, displayState } from './dockState';
import { SeverityIcon } from '../../shared/clips/FindingsList';
import { worstSeverity } from '../../shared/clips/findings';
import { useThumbnailCache } from '../../shared/clips/thumbnailCache';
import { useDockSnapshot } from './useDockSnapshot';
import { useStationData } from '../../shared/useStationData';
import {
  BusyBayCard,
  HeldCard,
  IgnoredVolumes,
  UnclaimedBayCard,
  UnregisteredCard,
} from './VolumeCards';
import {
  LookalikeDecisionModal,
  type LookalikeDecision,
} from '../../shared/recorders/LookalikeDecisionModal';

const CARD_GRID = {
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fit, minmax(360px, 1fr))',
  gap: 12,
  alignItems: 'start',
} as const;

/** Nothing docked: what to do. */
function DockEmpty() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Card size="small" data-testid="dock-empty">
      <Empty
        image={<UsbOutlined style={{ fontSize: 56, color: token.colorTextQuaternary }} />}
        styles={{ image: { height: 64 } }}
        description={
          <div>
            <Typography.Title level={4} style={{ margin: '4px 0' }}>
              {t('dock.empty.title')}
            </Typography.Title>
            <Typography.Paragraph
              type="secondary"
              style={{ maxWidth: 640, margin: '0 auto', whiteSpace: 'pre-line' }}
            >
              {t('dock.empty.steps')}
            </Typography.Paragraph>
          </div>
        }
      />
    </Card>
  );
}

/** Dockings whose recorder has been pulled out since this screen opened, newest first. */
function EarlierDockings({
  dockings,
  modelOf,
  selectedId,
  onSelect,
}: {
  dockings: Docking[];
  modelOf: (profileId: string) => string;
  selectedId: number | null;
  onSelect: (id: number) => void;
}) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Docking> = [
    {
      title: t('dock.earlier.started'),
      dataIndex: 'startedAt',
      width: 160,
      render: (at: string) => formatLocalTime(at),
    },
    {
      title: t('dock.earlier.recorder'),
      key: 'recorder',
      ellipsis: true,
      render: (_: unknown, d: Docking) => (
        <span>
          <Typography.Text code>{d.recorderSerial}</Typography.Text> {modelOf(d.profileId)}
        </span>
      ),
    },
    {
      title: t('dock.officer'),
      key: 'officer',
      width: 200,
      ellipsis: true,
      render: (_: unknown, d: Docking) => <OfficerText docking={d} />,
    },
    {
      title: t('dock.stats.clips'),
      key: 'clips',
      width: 90,
      render: (_: unknown, d: Docking) => `${d.clipsDone} / ${d.clipsPlanned}`,
    },
    {
      title: t('dock.earlier.findings'),
      key: 'findings',
      width: 90,
      render: (_: unknown, d: Docking) => {
        const worst = worstSeverity(d.findings);
        return worst === null ? (
          '—'
        ) : (
          <span>
            <SeverityIcon severity={worst} /> {d.findings.length}
          </span>
        );
      },
    },
    {
      title: t('dock.earlier.phase'),
      key: 'phase',
      width: 100,
      render: (_: unknown, d: Docking) => <PhaseTag phase={d.phase} />,
    },
  ];
  return (
    <Card size="small" title={t('dock.earlier.title')} styles={{ body: { padding: 0 } }}>
      <Table<Docking>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={dockings}
        pagination={{ pageSize: 5, hideOnSinglePage: true, size: 'small' }}
        data-testid="earlier-dockings"
        onRow={(d) => ({
          onClick: () => onSelect(d.id),
          style: { cursor: 'pointer' },
        })}
        rowClassName={(d) => (d.id === selectedId ? 'ant-table-row-selected' : '')}
      />
    </Card>
  );
}

/**
 * The officers' main screen: a card per docked recorder with its progress, findings and the
 * "safe to undock" verdict; look-alikes waiting for registration; and the selected docking's clips.
 */
export function DockScreen({ currentUser }: { currentUser: User }) {
  const { t, i18n } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const { snapshot, loading, error, reload } = useDockSnapshot();
  const profiles = useProfiles();
  const canRegister = roleHasPermission(currentUser.role, 'recorders.manage');
  const canReadClips = roleHasPermission(currentUser.role, 'clips.read');
  const [chosen, setChosen] = useState<number | null>(null);
  const [registering, setRegistering] = useState<RegisterPrefill | null>(null);
  const [confirming, setConfirming] = useState<ConfirmTarget | null>(null);
  const [reattributing, setReattributing] = useState<Docking | null>(null);
  // D-WHO-RECORDS: officers confirm their own dockings; custodians correct a wrong one.
  const canConfirm = currentUser.role === 'officer';
  const canReattribute = currentUser.role === 'custodian';
  const canLabel = roleHasPermission(currentUser.role, 'clips.label');
  const [finishing, setFinishing] = useState<number | null>(null);
  const [deferring, setDeferring] = useState<{ id: number; unlabelled: number | null } | null>(
    null,
  );
  const [finished, setFinished] = useState<ReadonlySet<number>>(() => new Set());
  // Thumbnails are footage: kept in this screen's memory only, released when the screen goes.
  const cache = useThumbnailCache();

  const [decidingLookalike, setDecidingLookalike] = useState<LookalikeDecision | null>(null);
  const { docked, unregistered, held, unclaimed, busy, ignored, earlier } = useMemo(
    () => dockCards(snapshot),
    [snapshot],
  );
  // D-NO-LEAK: the dock's volumes never carry the facts a recorder is bound to; the custodian who
  // decides a held volume reads them from the look-alikes list, asked again as held volumes come.
  const heldIds = held
    .map((volume) => volume.lookalike?.id)
    .filter((id): id is number => id !== undefined)
    .join(',');
  const loadLookalikes = useCallback(
    (signal: AbortSignal) => client.call('recorders.lookalikes', {}, { signal }),
    [client],
  );
  const { data: lookalikeList } = useStationData(
    canRegister && heldIds !== '' ? loadLookalikes : null,
    { reloadKey: heldIds },
  );
  const lookalikeOf = (volume: DockedVolume): Lookalike | null => {
    const shown = volume.lookalike;
    if (shown === null) return null;
    return lookalikeList?.lookalikes.find((one) => one.id === shown.id) ?? shown;
  };
  const selectedId =
    chosen !== null && snapshot.dockings.has(chosen) ? chosen : defaultSelection(snapshot);
  const selected = selectedId === null ? null : (snapshot.dockings.get(selectedId) ?? null);
  const modelOf = (profileId: string) => profileName(profiles, profileId, i18n.language);

  const register = (volume: DockedVolume) =>
    setRegistering({
      serial: volume.serial,
      profileId: volume.profileId,
      mountpoint: volume.serial === null ? volume.mountpoint : null,
    });

  if (loading && snapshot.volumes.length === 0 && snapshot.dockings.size === 0) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }} data-testid="dock-loading">
        <Spin />
      </div>
    );
  }

  const nothingDocked =
    docked.length === 0 &&
    unregistered.length === 0 &&
    held.length === 0 &&
    unclaimed.length === 0 &&
    busy.length === 0;

  const markFinished = (id: number) => setFinished((done) => new Set([...done, id]));

  /** "Done": the station refuses while clips are unlabelled; then label now or say why not. */
  const finish = async (docking: Docking) => {
    setFinishing(docking.id);
    try {
      await client.call('dock.finish', { dockingId: docking.id });
      markFinished(docking.id);
      void message.success(t('dock.finish.done'));
    } catch (cause) {
      const count = cause instanceof StationError ? cause.details?.['unlabelled'] : undefined;
      if (cause instanceof StationError && cause.code === 'CONFLICT' && typeof count === 'number') {
        setDeferring({ id: docking.id, unlabelled: count });
      } else {
        void message.error(errorText(t, cause));
      }
    } finally {
      setFinishing(null);
    }
  };

  const officerActions = (docking: Docking | null) => {
    if (!canLabel || docking === null || displayState(docking) !== 'safe') return undefined;
    return (
      <>
        <Button
          type="primary"
          icon={<TagsOutlined />}
          onClick={() => navigate('label')}
          data-testid={`label-my-clips-${docking.id}`}
        >
          {t('dock.finish.labelMine')}
        </Button>
        <Button
          icon={<CheckOutlined />}
          loading={finishing === docking.id}
          disabled={finished.has(docking.id)}
          onClick={() => void finish(docking)}
          data-testid={`finish-docking-${docking.id}`}
        >
          {finished.has(docking.id) ? t('dock.finish.finished') : t('dock.finish.button')}
        </Button>
      </>
    );
  };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }} data-testid="dock-screen">
      {error !== null && (
        <Alert
          type="error"
          showIcon
          title={errorText(t, error)}
          action={
            <Button size="small" onClick={() => void reload()}>
              {t('common.retry')}
            </Button>
          }
        />
      )}
      {nothingDocked ? (
        <DockEmpty />
      ) : (
        <div style={CARD_GRID}>
          {docked.map((card) => (
            <DockingCard
              key={card.key}
              docking={card.docking}
              volume={card.volume}
              profiles={profiles}
              selected={card.docking !== null && card.docking.id === selectedId}
              onSelect={
                card.docking === null
                  ? undefined
                  : () => setChosen(card.docking === null ? null : card.docking.id)
              }
              onConfirmOfficer={canConfirm ? () => setConfirming(card.docking) : undefined}
              onReattribute={canReattribute ? () => setReattributing(card.docking) : undefined}
              actions={officerActions(card.docking)}
            />
          ))}
          {unregistered.map((volume) => (
            <UnregisteredCard
              key={`${volume.device}:${volume.mountpoint}`}
              volume={volume}
              profiles={profiles}
              canRegister={canRegister}
              onRegister={() => register(volume)}
            />
          ))}
          {held.map((volume) => {
            const lookalike = lookalikeOf(volume);
            return (
              <HeldCard
                key={`held:${volume.device}:${volume.mountpoint}`}
                volume={volume}
                lookalike={lookalike}
                canDecide={canRegister}
                onConfirm={() =>
                  lookalike !== null && setDecidingLookalike({ lookalike, decision: 'confirm' })
                }
                onRefuse={() =>
                  lookalike !== null && setDecidingLookalike({ lookalike, decision: 'refuse' })
                }
              />
            );
          })}
          {unclaimed.map((volume) => (
            <UnclaimedBayCard
              key={`unclaimed:${volume.device}:${volume.dockingId ?? ''}`}
              volume={volume}
              profiles={profiles}
              onConfirmOfficer={
                canConfirm && volume.dockingId !== null
                  ? () =>
                      setConfirming({
                        id: volume.dockingId!,
                        officerBadge: null,
                        officerName: null,
                      })
                  : undefined
              }
            />
          ))}
          {busy.map((volume, index) => (
            <BusyBayCard key={`busy:${volume.device}:${index}`} />
          ))}
        </div>
      )}
      <IgnoredVolumes volumes={ignored} />
      {earlier.length > 0 && (
        <EarlierDockings
          dockings={earlier}
          modelOf={modelOf}
          selectedId={selectedId}
          onSelect={setChosen}
        />
      )}
      {canReadClips && selected !== null && (
        <ClipList
          key={selected.id}
          docking={selected}
          cache={cache}
          extra={
            docked.some((card) => card.docking?.id === selected.id) ? undefined : (
              <>
                {officerActions(selected)}
                {canReattribute && mayReattribute(selected) && (
                  <Button
                    icon={<UserSwitchOutlined />}
                    onClick={() => setReattributing(selected)}
                    data-testid={`reattribute-${selected.id}`}
                  >
                    {t('dock.reattribute.button')}
                  </Button>
                )}
              </>
            )
          }
          title={t('dock.clips.title', {
            model: modelOf(selected.profileId),
            serial: selected.recorderSerial,
          })}
        />
      )}
      <ConfirmOfficerModal
        docking={confirming}
        currentUser={currentUser}
        onClose={() => setConfirming(null)}
      />
      <ReattributeDockingModal docking={reattributing} onClose={() => setReattributing(null)} />
      <LookalikeDecisionModal
        decision={decidingLookalike}
        onClose={() => setDecidingLookalike(null)}
      />
      <FinishDockingModal
        dockingId={deferring?.id ?? null}
        unlabelled={deferring?.unlabelled ?? null}
        onClose={() => setDeferring(null)}
        onLabelNow={() => {
          setDeferring(null);
          navigate('label');
        }}
        onDeferred={() => {
          if (deferring !== null) markFinished(deferring.id);
          setDeferring(null);
          void message.success(t('dock.finish.deferred'));
        }}
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
    </div>
  );
}
