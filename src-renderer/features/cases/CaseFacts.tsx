import { Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Case } from '../../../src-main/contract';
import { formatLocalTime } from '../../i18n/format';
import { RuleTag } from '../../shared/RuleTag';

const day = (iso: string | null) => (iso === null ? '—' : formatLocalTime(iso).slice(0, 16));

/**
 * A case's facts and deadlines: opened, handling officer, created, the approval an emergency
 * opening needs (D-LATE-START), closed, and archive-by (D-ARCHIVE).
 */
export function CaseFacts({ value: c }: { value: Case }) {
  const { t } = useTranslation();
  return (
    <Descriptions
      size="small"
      column={3}
      bordered
      data-testid="case-facts"
      items={[
        { key: 'opened', label: t('cases.fields.openedAt'), children: day(c.openedAt) },
        {
          key: 'officer',
          label: t('cases.fields.handlingOfficer'),
          children: c.handlingOfficer ?? '—',
        },
        {
          key: 'created',
          label: t('cases.fields.createdBy'),
          children: `${c.createdBy} · ${day(c.createdAt)}`,
        },
        {
          key: 'approval',
          label: (
            <span>
              {t('cases.fields.approvalDueBy')} <RuleTag rule="D-LATE-START" />
            </span>
          ),
          children: !c.emergency ? (
            <Typography.Text type="secondary">{t('cases.notEmergency')}</Typography.Text>
          ) : c.approvedAt !== null ? (
            t('cases.approvedAt', { at: day(c.approvedAt) })
          ) : (
            <Typography.Text type={c.lateApproval ? 'danger' : undefined}>
              {day(c.approvalDueBy)}
              {c.lateApproval && ` · ${t('cases.flags.lateApproval')}`}
            </Typography.Text>
          ),
        },
        { key: 'closed', label: t('cases.fields.closedAt'), children: day(c.closedAt) },
        {
          key: 'archiveBy',
          label: (
            <span>
              {t('cases.fields.archiveBy')} <RuleTag rule="D-ARCHIVE" />
            </span>
          ),
          children:
            c.archivedAt !== null ? (
              t('cases.archivedAt', { at: day(c.archivedAt) })
            ) : c.archiveBy === null ? (
              <Typography.Text type="secondary">{t('cases.archiveByOnClose')}</Typography.Text>
            ) : (
              <Typography.Text type={c.pastArchiveBy ? 'danger' : undefined}>
                {day(c.archiveBy).slice(0, 10)}
                {c.pastArchiveBy && ` · ${t('cases.flags.pastArchiveBy')}`}
              </Typography.Text>
            ),
        },
      ]}
    />
  );
}
