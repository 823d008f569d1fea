import { useEffect, useState, type SyntheticEvent } from 'react';
import { Alert, Modal, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeliveryAddress, FiledClip } from '../../../src-main/contract';
import { useStation } from '../StationContext';
import { failureText, formatLocalTime } from '../../i18n/format';
import { baseName } from '../format';
import { claimViewing, endViewing, ViewingRefused } from './viewing';

/** No "save as", no dragging the footage out: it is played here and nowhere else (D-NO-LEAK). */
const keepInPlace = (event: SyntheticEvent) => event.preventDefault();

/**
 * Plays one clip through the station (`clips.play`: an address on the station that serves this
 * one viewing to this page, so the footage never leaves it, D-NO-LEAK; the station audits each
 * playback). The page claims the viewing before the player gets the address and ends it when
 * the player closes. The player offers no download, picture-in-picture or "save as". A clip the
 * caller may not play (D-CONFIDENTIAL: state secrets are for custodians) says why instead.
 */
export function PlayClipModal({ clip, onClose }: { clip: FiledClip | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const [playback, setPlayback] = useState<DeliveryAddress | null>(null);
  // The failure as it came, put in words at render: a language switch must not play it again.
  const [failure, setFailure] = useState<unknown>(null);
  const clipId = clip?.id ?? null;
  const playable = clip?.filing.playable ?? false;

  useEffect(() => {
    if (clipId === null || !playable) return undefined;
    let live = true;
    let claimed: DeliveryAddress | null = null;
    const open = async () => {
      const address = await client.call('clips.play', { id: clipId });
      await claimViewing(address, client.token ?? '');
      claimed = address;
      if (live) setPlayback(address);
      else endViewing(address);
    };
    open().catch((cause: unknown) => {
      if (live) setFailure(cause);
    });
    return () => {
      live = false;
      if (claimed !== null) endViewing(claimed);
      setPlayback(null);
      setFailure(null);
    };
  }, [client, clipId, playable]);

  const error =
    failure instanceof ViewingRefused ? t('filing.play.refused') : failureText(t, failure);
  const level = clip?.filing.label?.confidentiality ?? 'none';
  let body;
  if (clip === null) body = null;
  else if (!playable) {
    body = (
      <Alert
        type="warning"
        showIcon
        data-testid="play-refused"
        title={t(level === 'state' ? 'filing.play.stateSecret' : 'filing.play.notPlayable')}
        description={t('filing.play.why')}
      />
    );
  } else if (error !== null) body = <Alert type="error" showIcon title={error} />;
  else if (playback === null) {
    body = (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    );
  } else if (clip.kind === 'photo' || playback.mime.startsWith('image/')) {
    body = (
      <img
        src={playback.url}
        alt={baseName(clip.originalPath)}
        draggable={false}
        onContextMenu={keepInPlace}
        style={{ maxWidth: '100%', maxHeight: '70vh', display: 'block', margin: '0 auto' }}
      />
    );
  } else if (clip.kind === 'audio' || playback.mime.startsWith('audio/')) {
    body = (
      <audio
        src={playback.url}
        controls
        controlsList="nodownload"
        autoPlay
        onContextMenu={keepInPlace}
        style={{ width: '100%' }}
        data-testid="player"
      />
    );
  } else {
    body = (
      <video
        src={playback.url}
        controls
        controlsList="nodownload"
        disablePictureInPicture
        autoPlay
        onContextMenu={keepInPlace}
        style={{ width: '100%', maxHeight: '70vh', background: '#000', display: 'block' }}
        data-testid="player"
      />
    );
  }

  return (
    <Modal
      open={clip !== null}
      title={
        clip === null ? (
          ''
        ) : (
          <span>
            {baseName(clip.originalPath)}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}>
              {formatLocalTime(clip.recordedStart)}
            </Typography.Text>
          </span>
        )
      }
      footer={null}
      onCancel={onClose}
      destroyOnHidden
      width={840}
      data-testid="play-modal"
    >
      <div data-testid="play-body">{body}</div>
      {clip !== null && playable && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
          {t('filing.play.audited')}
        </Typography.Paragraph>
      )}
    </Modal>
  );
}
