import { useState } from 'react';
import { Typography, theme } from 'antd';
import {
  CloseCircleFilled,
  DownOutlined,
  ExclamationCircleFilled,
  InfoCircleFilled,
  RightOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Finding } from '../../../src-main/contract';
import { RuleTag } from '../RuleTag';
import { findingHint, findingRule, findingTitle, groupFindings, type Severity } from './findings';

/** Entries listed under an opened group; the rest are counted. */
const SHOWN_PER_GROUP = 30;

export function SeverityIcon({ severity }: { severity: Severity }) {
  const { token } = theme.useToken();
  if (severity === 'error') return <CloseCircleFilled style={{ color: token.colorError }} />;
  if (severity === 'warning')
    return <ExclamationCircleFilled style={{ color: token.colorWarning }} />;
  return <InfoCircleFilled style={{ color: token.colorInfo }} />;
}

/** One finding inside an opened group: where, and the station's own words. */
function FindingLine({ finding }: { finding: Finding }) {
  return (
    <li style={{ wordBreak: 'break-all' }}>
      {finding.path !== null && (
        <Typography.Text code style={{ fontSize: 11 }}>
          {finding.path}
        </Typography.Text>
      )}{' '}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {finding.message}
      </Typography.Text>
    </li>
  );
}

/**
 * A docking's findings, grouped by code with their count, the most severe first; a group opens
 * to say what it means (citing its rule) and to list each occurrence.
 */
export function FindingsList({ findings, testId }: { findings: Finding[]; testId?: string }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const [open, setOpen] = useState<string | null>(null);
  const groups = groupFindings(findings);
  if (groups.length === 0) return null;

  return (
    <div data-testid={testId} style={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      {groups.map((group) => {
        const isOpen = open === group.code;
        const hint = findingHint(t, group.code);
        const first = group.findings[0];
        const hidden = group.findings.length - SHOWN_PER_GROUP;
        return (
          <div key={group.code} data-finding={group.code} data-severity={group.severity}>
            <button
              type="button"
              onClick={(event) => {
                event.stopPropagation();
                setOpen(isOpen ? null : group.code);
              }}
              aria-expanded={isOpen}
              style={{
                all: 'unset',
                cursor: 'pointer',
                display: 'flex',
                alignItems: 'center',
                gap: 6,
                width: '100%',
                fontSize: 13,
                lineHeight: '22px',
              }}
            >
              <SeverityIcon severity={group.severity} />
              <span
                style={{
                  flex: 1,
                  minWidth: 0,
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                  whiteSpace: 'nowrap',
                }}
              >
                {first === undefined ? group.code : findingTitle(t, first)}
                {group.findings.length > 1 && (
                  <Typography.Text type="secondary" style={{ marginInlineStart: 4 }}>
                    ×{group.findings.length}
                  </Typography.Text>
                )}
              </span>
              <RuleTag rule={findingRule(group.code)} />
              {isOpen ? (
                <DownOutlined style={{ fontSize: 10, color: token.colorTextTertiary }} />
              ) : (
                <RightOutlined style={{ fontSize: 10, color: token.colorTextTertiary }} />
              )}
            </button>
            {isOpen && (
              <div
                style={{
                  margin: '2px 0 6px 20px',
                  padding: '4px 8px',
                  background: token.colorFillQuaternary,
                  borderRadius: token.borderRadiusSM,
                  fontSize: 12,
                }}
              >
                {hint !== null && (
                  <Typography.Paragraph style={{ fontSize: 12, margin: '0 0 4px' }}>
                    {hint}
                  </Typography.Paragraph>
                )}
                <ul style={{ margin: 0, paddingInlineStart: 16, maxHeight: 160, overflow: 'auto' }}>
                  {group.findings.slice(0, SHOWN_PER_GROUP).map((finding, index) => (
                    <FindingLine key={index} finding={finding} />
                  ))}
                </ul>
                {hidden > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('dock.findings.more', { count: hidden })}
                  </Typography.Text>
                )}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
