import { useCallback } from 'react';
import { AutoComplete, Button, Space, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { DiscError } from './DiscError';
import { isDriveText } from './discFormat';

/**
 * Where a disc is burned or read: one of the optical drives the station finds, or typed — a
 * device (`/dev/sr0`) or `stdio:` and an image file's path, which stands in for a drive.
 */
export function DriveInput({
  value,
  onChange,
  disabled,
  testId,
}: {
  value: string;
  onChange: (drive: string) => void;
  disabled?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const load = useCallback(
    (signal: AbortSignal) => client.call('disc.drives', {}, { signal }),
    [client],
  );
  const { data, loading, error, reload } = useStationData(load);
  const drives = data?.drives ?? [];
  const wrong = value.trim() !== '' && !isDriveText(value);

  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
      <Space.Compact style={{ width: '100%', maxWidth: 640 }}>
        <AutoComplete
          value={value}
          onChange={(text: string) => onChange(text)}
          disabled={disabled}
          status={wrong ? 'error' : undefined}
          placeholder={t('discs.drive.placeholder')}
          options={drives.map((drive) => ({
            value: drive.address,
            label: (
              <span>
                {drive.address}{' '}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {`${drive.vendor} ${drive.model}`.trim()}
                </Typography.Text>
              </span>
            ),
          }))}
          style={{ flex: 1 }}
          data-testid={testId}
        />
        <Tooltip title={t('discs.drive.reload')}>
          <Button
            icon={<ReloadOutlined />}
            loading={loading}
            onClick={() => void reload()}
            aria-label={t('discs.drive.reload')}
          />
        </Tooltip>
      </Space.Compact>
      {wrong && <Typography.Text type="danger">{t('discs.drive.invalid')}</Typography.Text>}
      {data !== null && drives.length === 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('discs.drive.noneFound')}
        </Typography.Text>
      )}
      {error !== null && <DiscError error={error} type="warning" />}
    </Space>
  );
}
