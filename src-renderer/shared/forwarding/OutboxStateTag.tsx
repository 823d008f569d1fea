import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OutboxState } from '../../../src-main/contract';

const COLORS: Record<OutboxState, string> = {
  queued: 'default',
  uploading: 'processing',
  uploaded: 'blue',
  verified: 'success',
  failed: 'error',
};

/** Where a clip stands on its way to a central-storage target (D-24H, D-NO-TAMPER). */
export function OutboxStateTag({ state }: { state: OutboxState }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[state]} data-state={state}>
      {t(`forwarding.states.${state}`)}
    </Tag>
  );
}
