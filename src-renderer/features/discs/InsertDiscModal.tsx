import { Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { copyText } from './discFormat';
import type { Burner } from './useBurner';

/**
 * Before each disc burned to a real drive: the custodian puts in a blank disc and says so. The
 * volume id is what the disc will be known by (and what its label will carry).
 */
export function InsertDiscModal({ asking }: { asking: Burner['asking'] }) {
  const { t } = useTranslation();
  const job = asking?.job;
  return (
    <Modal
      open={asking !== null}
      title={t('discs.insert.title')}
      okText={t('discs.insert.ok')}
      cancelText={t('discs.insert.cancel')}
      onOk={() => asking?.answer(true)}
      onCancel={() => asking?.answer(false)}
      maskClosable={false}
      okButtonProps={{ 'data-testid': 'insert-disc-ok' } as Record<string, string>}
    >
      {job !== undefined && (
        <Space orientation="vertical" size={8} data-testid="insert-disc">
          <span>{t('discs.insert.body', { drive: asking?.drive ?? '' })}</span>
          <Typography.Text strong>
            {t('discs.burn.which', {
              tag: job.setTag,
              n: job.n,
              of: job.of,
              copy: copyText(t, job.copy),
              volumeId: job.volumeId,
            })}
          </Typography.Text>
          <Typography.Text type="secondary">{t('discs.insert.hint')}</Typography.Text>
        </Space>
      )}
    </Modal>
  );
}
