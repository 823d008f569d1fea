import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DiscRecord } from '../../../src-main/contract';
import { COPY_STATE_COLOR, copyState, type CopyState } from './discFormat';

/** A disc copy's latest burn: not burned, burning, verified, failed or interrupted, in colour. */
export function CopyStateTag({ state }: { state: CopyState }) {
  const { t } = useTranslation();
  return (
    <Tag color={COPY_STATE_COLOR[state]} style={{ marginInlineEnd: 0 }} data-state={state}>
      {t(`discs.states.${state}`)}
    </Tag>
  );
}

export function DiscStateTag({ disc }: { disc: DiscRecord | null }) {
  return <CopyStateTag state={copyState(disc)} />;
}
