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
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const usb = volume.usb;
  return (
    <Card
      size="small"
      data-testid="unregistered-card"
      data-mountpoint={volume.mountpoint}
      style={{ borderColor: token.colorWarningBorder, borderStyle: 'dashed' }}
      title={
        <span style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          <QuestionCircleFilled style={{ color: token.colorWarning }} />
          <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>
            {t('dock.unregistered.title')}
          </Typography.Text>
          <RuleTag rule="D-NO-LEAK" />
        </span>
      }
      styles={{ body: { display: 'flex', flexDirection: 'column', gap: 8, padding: 12 } }}
    >
      <Typography.Text style={{ fontSize: 13 }}>{t('dock.unregistered.body')}</Typography.Text>
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
            <Typography.Text type="secondary">{t('dock.unregistered.likelyModel')}</Typography.Text>
            <span>{profileName(profiles, volume.profileId, i18n.language)}</span>
          </>
        )}
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
      </div>
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
    </Card>
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
    <Card
      size="small"
      data-testid={refused ? 'refused-card' : 'held-card'}
      data-mountpoint={volume.mountpoint}
      style={{ borderColor: refused ? token.colorBorder : token.colorErrorBorder }}
      title={
        <span style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          {refused ? (
            <StopOutlined style={{ color: token.colorTextTertiary }} />
          ) : (
            <WarningFilled style={{ color: token.colorError }} />
          )}
          <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>
            {t(refused ? 'dock.refused.title' : 'dock.held.title')}
          </Typography.Text>
          <RuleTag rule="D-WHO-RECORDS" />
        </span>
      }
      styles={{ body: { display: 'flex', flexDirection: 'column', gap: 8, padding: 12 } }}
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
    </Card>
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
    <Card
      size="small"
      data-testid="busy-bay-card"
      style={{ borderStyle: 'dashed' }}
      title={
        <span style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          <LockOutlined style={{ color: token.colorTextTertiary }} />
          <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>
            {t('dock.busy.title')}
          </Typography.Text>
          <RuleTag rule="D-NO-LEAK" />
        </span>
      }
      styles={{ body: { padding: 12 } }}
    >
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {t('dock.busy.body')}
      </Typography.Text>
    </Card>
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
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Card
      size="small"
      data-testid="unclaimed-bay-card"
      data-docking-id={volume.dockingId ?? undefined}
      style={{ borderStyle: 'dashed', borderColor: token.colorPrimaryBorder }}
      title={
        <span style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          <IdcardOutlined style={{ color: token.colorPrimary }} />
          <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>
            {t('dock.unclaimed.title')}
          </Typography.Text>
          <RuleTag rule="D-WHO-RECORDS" />
        </span>
      }
      styles={{ body: { display: 'flex', flexDirection: 'column', gap: 8, padding: 12 } }}
    >
      <Typography.Text style={{ fontSize: 13 }}>{t('dock.unclaimed.body')}</Typography.Text>
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
            <Typography.Text type="secondary">{t('dock.unclaimed.model')}</Typography.Text>
            <span>{profileName(profiles, volume.profileId, i18n.language)}</span>
          </>
        )}
      </div>
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
    </Card>
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
