import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Case } from '../../../src-main/contract';

/** A case's status as a coloured tag: open, closed, archived. */
export function CaseStatusTag({ status }: { status: Case['status'] }) {
  const { t } = useTranslation();
  const color = status === 'open' ? 'processing' : status === 'closed' ? 'warning' : 'default';
  return (
    <Tag color={color} style={{ marginInlineEnd: 0 }} data-status={status}>
      {t(`cases.status.${status}`)}
    </Tag>
  );
}

/** The deadlines a case has missed (D-LATE-START, D-ARCHIVE), and whether it is an emergency. */
export function CaseFlags({ value }: { value: Case }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {value.emergency && <Tag color="orange">{t('cases.flags.emergency')}</Tag>}
      {value.lateApproval && <Tag color="error">{t('cases.flags.lateApproval')}</Tag>}
      {value.pastArchiveBy && <Tag color="error">{t('cases.flags.pastArchiveBy')}</Tag>}
    </Space>
  );
}
