import { Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Docking } from '../../../src-main/contract';

/** Who the docking is attributed to: the officer, and how they were identified. */
export function OfficerText({ docking }: { docking: Docking }) {
  const { t } = useTranslation();
  if (docking.officerBadge === null) {
    return <Typography.Text type="warning">{t('dock.officerUnknown')}</Typography.Text>;
  }
  return (
    <span>
      {docking.officerName ?? ''}{' '}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {docking.officerBadge}
        {docking.identifiedBy !== null && ` · ${t(`dock.identifiedBy.${docking.identifiedBy}`)}`}
      </Typography.Text>
    </span>
  );
}

/** A modal's one line on whom it is about: `label`, then the officer's name and badge. */
export function OfficerLine({
  label,
  name,
  badge,
  testId,
}: {
  label: string;
  name: string;
  badge: string;
  testId?: string;
}) {
  return (
    <Descriptions
      size="small"
      column={1}
      style={{ marginBottom: 12 }}
      items={[
        {
          key: 'officer',
          label,
          children: (
            <span data-testid={testId}>
              {name} <Typography.Text type="secondary">{badge}</Typography.Text>
            </span>
          ),
        },
      ]}
    />
  );
}
