import { useRef, useState } from 'react';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DiscRecord } from '../../../src-main/contract';
import { RuleTag } from '../../shared/RuleTag';
import { useStation } from '../../shared/StationContext';
import { DiscError } from './DiscError';
import { DriveInput } from './DriveInput';
import { PassResults } from './PassResults';
import { PhaseSteps } from './PhaseSteps';
import { CHECK_PHASES, copyText, isDriveText } from './discFormat';
import { DISC_WORK_TIMEOUT_MS, type DiscPasses } from './useBurner';
import type { SeenProgress } from './useDiscProgress';

interface Checked {
  disc: DiscRecord;
  passes: DiscPasses;
}

/**
 * A disc re-checked in a drive (D-LONGTERM: discs age; D-NO-TAMPER): the station knows the disc
 * by the manifest on it, reads it the four ways again and records the result. Opened from one
 * disc, it says so when the disc in the drive turns out to be another.
 */
export function RecheckModal({
  open,
  expected,
  progress,
  onClose,
  onChecked,
}: {
  open: boolean;
  expected: DiscRecord | null;
  progress: SeenProgress | null;
  onClose: () => void;
  onChecked: () => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const [drive, setDrive] = useState('');
  const [since, setSince] = useState<number | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [error, setError] = useState<unknown>(null);
  const stopper = useRef<AbortController | null>(null);
  const running = since !== null;
  const shown =
    running &&
    progress !== null &&
    progress.at >= since &&
    (CHECK_PHASES as readonly string[]).includes(progress.phase)
      ? progress
      : null;

  const run = async () => {
    const controller = new AbortController();
    stopper.current = controller;
    setChecked(null);
    setError(null);
    setSince(Date.now());
    try {
      setChecked(
        await client.call(
          'disc.verify',
          { drive: drive.trim() },
          { signal: controller.signal, timeoutMs: DISC_WORK_TIMEOUT_MS },
        ),
      );
      onChecked();
    } catch (cause) {
      setError(cause);
    } finally {
      stopper.current = null;
      setSince(null);
    }
  };

  const close = () => {
    setChecked(null);
    setError(null);
    onClose();
  };

  const ok = checked !== null && checked.passes.every((pass) => pass.ok);

  return (
    <Modal
      open={open}
      width={760}
      closable={!running}
      maskClosable={false}
      destroyOnHidden
      title={
        <Space>
          {expected === null
            ? t('discs.recheck.title')
            : t('discs.recheck.titleOf', { volumeId: expected.volumeId })}
          <RuleTag rule="D-LONGTERM" />
        </Space>
      }
      onCancel={close}
      footer={
        running ? (
          <Button danger onClick={() => stopper.current?.abort()} data-testid="recheck-stop">
            {t('discs.recheck.stop')}
          </Button>
        ) : (
          <Space>
            <Button onClick={close}>{t('common.close')}</Button>
            <Button
              type="primary"
              disabled={!isDriveText(drive)}
              onClick={() => void run()}
              data-testid="recheck-run"
            >
              {t('discs.recheck.run')}
            </Button>
          </Space>
        )
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="recheck">
        <Typography.Text type="secondary">{t('discs.recheck.intro')}</Typography.Text>
        <DriveInput value={drive} onChange={setDrive} disabled={running} testId="recheck-drive" />
        {running && <PhaseSteps phases={CHECK_PHASES} progress={shown} />}
        {error !== null && <DiscError error={error} />}
        {checked !== null && (
          <>
            {expected !== null && checked.disc.id !== expected.id && (
              <Alert
                type="warning"
                showIcon
                title={t('discs.recheck.otherDisc', {
                  volumeId: checked.disc.volumeId,
                  expected: expected.volumeId,
                })}
              />
            )}
            <Alert
              type={ok ? 'success' : 'error'}
              showIcon
              data-testid="recheck-result"
              data-ok={ok ? 'yes' : 'no'}
              title={t('discs.burn.which', {
                tag: checked.disc.setTag,
                n: checked.disc.n,
                of: checked.disc.of,
                copy: copyText(t, checked.disc.copy),
                volumeId: checked.disc.volumeId,
              })}
              description={ok ? t('discs.recheck.passed') : t('discs.recheck.failed')}
            />
            <PassResults passes={checked.passes} />
          </>
        )}
      </Space>
    </Modal>
  );
}
