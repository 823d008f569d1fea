import type { ReactNode } from 'react';
import { theme } from 'antd';
import { LanguageSwitch } from './LanguageSwitch';

/** The page behind setup, login and lock: one centered column, the language switch in a corner. */
export function CenteredPage({ children, footer }: { children: ReactNode; footer?: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        background: token.colorBgLayout,
        position: 'relative',
        padding: 24,
        boxSizing: 'border-box',
      }}
    >
      <div style={{ position: 'absolute', top: 12, right: 16 }}>
        <LanguageSwitch />
      </div>
      {children}
      {footer !== undefined && (
        <div style={{ marginTop: 16, color: token.colorTextTertiary, fontSize: 12 }}>{footer}</div>
      )}
    </div>
  );
}
