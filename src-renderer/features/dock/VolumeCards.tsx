import { Button, Card, Tag, Typography, theme } from 'antd';
import {
  EyeInvisibleOutlined,
  IdcardOutlined,
  LockOutlined,
  QuestionCircleFilled,
  SafetyOutlined,
  StopOutlined,
  WarningFilled,
} from '@ant-design/icons';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DockedVolume, Lookalike, ProfileSummary } from '../../../src-main/contract';
import { hex4 } from '../../shared/format';
import { LookalikeFacts } from '../../shared/recorders/LookalikeFacts';
import { profileName } from '../../shared/recorders/profiles';
import { RuleTag } from '../../shared/RuleTag';

/** How a volume names itself: its label, else its USB product, else where it is mounted. */
export function volumeName(volume: DockedVolume): string {
  return volume.label ?? volume.usb?.product ?? volume.mountpoint;
}

/** A bay's card: its icon, title and rule on top, what it says below. */
function BayCard({
  data,
  border,
  icon,
  title,
  rule,
  children,
}: {
  /** The card's data-* attributes (its test id, mount point, docking id). */
  data: Record<`data-${string}`, string | number | undefined>;
  border: CSSProperties;
  icon: ReactNode;
  title: string;
  rule: string;
  children: ReactNode;
}) {
  return (
    <Card
      size="small"
      {...data}
      style={border}
      title={
        <span style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          {icon}
          <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>
            {title}
          </Typography.Text>
          <RuleTag rule={rule} />
        </span>
      }
      styles={{ body: { display: 'flex', flexDirection: 'column', gap: 8, padding: 12 } }}
    >
      {children}
    </Card>
  );
}

/**
 * The recorder a bay says it holds, a label and a value a line: its serial, its model under
 * `modelLabel`, then what `children` add.
 */
function RecorderFacts({
  volume,
  profiles,
  modelLabel,
  children,
}: {
  volume: DockedVolume;
  profiles: readonly ProfileSummary[];
  modelLabel: string;
  children?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div
      style={{
        display: 'grid',
        gridTemplateColumns: 'auto 1fr',
        columnGap: 10,
        rowGap: 2,
        fontSize: 12,
      }}
    >
      {volume.serial !== null && (
        <>
          <Typography.Text type="secondary">{t('dock.serial')}</Typography.Text>
          <Typography.Text code>{volume.serial}</Typography.Text>
        </>
      )}
      {volume.profileId !== null && (
        <>
          <Typography.Text type="secondary">{modelLabel}</Typography.Text>
          <span>{profileName(profiles, volume.profileId, i18n.language)}</span>
        </>
      )}
      {children}
    </div>
  );
}

/**
 * A volume that looks like a recorder but is not registered: it is not read (D-NO-LEAK) until a
 * custodian registers it (D-CUSTODIAN); custodians get the button that does that, pre-filled.
 */
export function UnregisteredCard({
  volume,
  profiles,
  canRegister,
  onRegister,
}: {
  volume: DockedVolume;
  profiles: readonly ProfileSummary[];
  canRegister: boolean;
  onRegister: () => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const usb = volume.usb;
  return (
    <BayCard
      data={{ 'data-testid': 'unregistered-card', 'data-mountpoint': volume.mountpoint }}
      border={{ borderColor: token.colorWarningBorder, borderStyle: 'dashed' }}
      icon={<QuestionCircleFilled style={{ color: token.colorWarning }} />}
      title={t('dock.unregistered.title')}
      rule="D-NO-LEAK"
    >
      <Typography.Text style={{ fontSize: 13 }}>{t('dock.unregistered.body')}</Typography.Text>
      <RecorderFacts
        volume={volume}
        profiles={profiles}
        modelLabel={t('dock.unregistered.likelyModel')}
      >
        <Typography.Text type="secondary">{t('dock.volume.name')}</Typography.Text>
        <span style={{ wordBreak: 'break-all' }}>
          {volumeName(volume)}{' '}
          <Typography.Text type="secondary">({volume.mountpoint})</Typography.Text>
        </span>
        {usb !== null && (
          <>
            <Typography.Text type="secondary">{t('dock.volume.usb')}</Typography.Text>
            <span style={{ wordBreak: 'break-all' }}>
              {[usb.manufacturer, usb.product].filter(Boolean).join(' ')}{' '}
              <Typography.Text type="secondary" style={{ fontFamily: 'monospace' }}>
                {hex4(usb.vendorId)}:{hex4(usb.productId)}
                {usb.serial !== null && ` · ${usb.serial}`}
              </Typography.Text>
            </span>
          </>
        )}
      </RecorderFacts>
      {canRegister ? (
        <Button
          type="primary"
          icon={<SafetyOutlined />}
          onClick={onRegister}
          data-testid="register-from-dock"
        >
          {t('dock.unregistered.register')}
        </Button>
      ) : (
        <Tag color="warning" style={{ alignSelf: 'flex-start', whiteSpace: 'normal' }}>
          {t('dock.unregistered.askCustodian')}
        </Tag>
      )}
    </BayCard>
  );
}

/**
 * A volume that carries a registered recorder's serial but not its device's facts: held, nothing
 * on it read (D-WHO-RECORDS). Custodians see what differs (`lookalike`: the whole look-alike from
 * their list, with the facts the recorder is bound to) and confirm or refuse it; refused, it stays
 * shown as refused until it is pulled out. Supervisors read it; to anyone else the station names
 * nothing of it (D-NO-LEAK), and the card says only that it is held.
 */
export function HeldCard({
  volume,
  lookalike,
  canDecide,
  onConfirm,
  onRefuse,
}: {
  volume: DockedVolume;
  lookalike: Lookalike | null;
  canDecide: boolean;
  onConfirm: () => void;
  onRefuse: () => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const refused = volume.state === 'refused';
  // What the station withheld from this viewer: whose it claims to be, who refused it, why.
  const named = volume.serial !== null;
  const decided = refused && lookalike !== null && lookalike.decidedBy !== null;
  return (
    <BayCard
      data={{
        'data-testid': refused ? 'refused-card' : 'held-card',
        'data-mountpoint': volume.mountpoint,
      }}
      border={{ borderColor: refused ? token.colorBorder : token.colorErrorBorder }}
      icon={
        refused ? (
          <StopOutlined style={{ color: token.colorTextTertiary }} />
        ) : (
          <WarningFilled style={{ color: token.colorError }} />
        )
      }
      title={t(refused ? 'dock.refused.title' : 'dock.held.title')}
      rule="D-WHO-RECORDS"
    >
      <Typography.Text style={{ fontSize: 13 }}>
        {refused
          ? decided
            ? t('dock.refused.body', {
                by: lookalike.decidedBy ?? '',
                reason: lookalike.reason ?? '',
              })
            : t('dock.refused.bodyWithheld')
          : named
            ? t('dock.held.body', { serial: volume.serial ?? '' })
            : t('dock.held.bodyWithheld')}
      </Typography.Text>
      {named && (
        <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
          {t('dock.volume.name')}: {volumeName(volume)} ({volume.mountpoint})
        </Typography.Text>
      )}
      {lookalike !== null && canDecide && <LookalikeFacts lookalike={lookalike} />}
      {!refused &&
        (canDecide ? (
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
            <Button type="primary" onClick={onConfirm} data-testid="held-confirm">
              {t('recorders.lookalikes.confirm')}
            </Button>
            <Button danger onClick={onRefuse} data-testid="held-refuse">
              {t('recorders.lookalikes.refuse')}
            </Button>
          </div>
        ) : (
          <Tag color="error" style={{ alignSelf: 'flex-start', whiteSpace: 'normal' }}>
            {t('dock.held.askCustodian')}
          </Tag>
        ))}
    </BayCard>
  );
}

/**
 * A bay in use by another officer's recorder. The station says neither whose nor which, nor
 * which docking (D-NO-LEAK): only that officer, custodians and supervisors see it. A recorder
 * issued to another officer is theirs to confirm; if this officer recorded on it, a custodian
 * re-attributes it (D-WHO-RECORDS).
 */
export function BusyBayCard() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <BayCard
      data={{ 'data-testid': 'busy-bay-card' }}
      border={{ borderStyle: 'dashed' }}
      icon={<LockOutlined style={{ color: token.colorTextTertiary }} />}
      title={t('dock.busy.title')}
      rule="D-NO-LEAK"
    >
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {t('dock.busy.body')}
      </Typography.Text>
    </BayCard>
  );
}

/**
 * A pool recorder (issued to nobody) whose docking no officer has confirmed yet: nobody's, so the
 * officer at the dock who recorded on it confirms it as theirs, while it is docked
 * (D-WHO-RECORDS). The station shows its serial and model, nothing of its footage.
 */
export function UnclaimedBayCard({
  volume,
  profiles,
  onConfirmOfficer,
}: {
  volume: DockedVolume;
  profiles: readonly ProfileSummary[];
  onConfirmOfficer?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <BayCard
      data={{
        'data-testid': 'unclaimed-bay-card',
        'data-docking-id': volume.dockingId ?? undefined,
      }}
      border={{ borderStyle: 'dashed', borderColor: token.colorPrimaryBorder }}
      icon={<IdcardOutlined style={{ color: token.colorPrimary }} />}
      title={t('dock.unclaimed.title')}
      rule="D-WHO-RECORDS"
    >
      <Typography.Text style={{ fontSize: 13 }}>{t('dock.unclaimed.body')}</Typography.Text>
      <RecorderFacts volume={volume} profiles={profiles} modelLabel={t('dock.unclaimed.model')} />
      {onConfirmOfficer !== undefined && (
        <Button
          type="primary"
          icon={<IdcardOutlined />}
          onClick={onConfirmOfficer}
          style={{ alignSelf: 'flex-start' }}
          data-testid="unclaimed-bay-confirm"
        >
          {t('dock.unclaimed.mine')}
        </Button>
      )}
    </BayCard>
  );
}

/** Volumes that are not recorders: one quiet line each; they are never read. */
export function IgnoredVolumes({ volumes }: { volumes: DockedVolume[] }) {
  const { t } = useTranslation();
  if (volumes.length === 0) return null;
  return (
    <div data-testid="ignored-volumes" style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
      {volumes.map((volume) => (
        <Typography.Text
          key={`${volume.device}:${volume.mountpoint}`}
          type="secondary"
          style={{ fontSize: 12 }}
        >
          <EyeInvisibleOutlined />{' '}
          {t('dock.ignored', { name: volumeName(volume), mountpoint: volume.mountpoint })}
        </Typography.Text>
      ))}
    </div>
  );
}
