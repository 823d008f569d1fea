import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useTranslation } from 'react-i18next';
import type { StationClient } from '../api/client';
import { App } from './App';

/** Ant Design follows the UI language; a dense, sober admin theme for a shared workstation. */
export function Root({ client }: { client: StationClient }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      componentSize="middle"
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: '#1f5fa8',
          borderRadius: 4,
          fontSize: 14,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
        },
      }}
    >
      <AntApp>
        <App client={client} />
      </AntApp>
    </ConfigProvider>
  );
}
