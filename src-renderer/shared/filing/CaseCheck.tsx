import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { Button, Space, Typography } from 'antd';
import { CheckOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Case } from '../../../src-main/contract';
import { StationError } from '../../api/errors';
import { useStation } from '../StationContext';
import { KindTag } from './FilingTags';

/** What the case-number field knows about the number typed. */
export type CaseCheck =
  | { state: 'idle' }
  | { state: 'checking'; number: string }
  | { state: 'found'; number: string; found: Case }
  | { state: 'missing'; number: string };

/**
 * Looks the typed case number up (after a pause) so the form can say whose case it is, or offer
 * to open it; cases the form already knows answer at once. An empty number checks nothing.
 */
export function useCaseCheck(
  known: ReadonlyMap<string, Case>,
  typedNumber: string,
): [CaseCheck, Dispatch<SetStateAction<CaseCheck>>] {
  const { client } = useStation();
  const [check, setCheck] = useState<CaseCheck>({ state: 'idle' });
  const lookupSeq = useRef(0);
  useEffect(() => {
    const seq = ++lookupSeq.current;
    if (typedNumber === '') {
      const timer = window.setTimeout(() => setCheck({ state: 'idle' }), 0);
      return () => window.clearTimeout(timer);
    }
    const hit = known.get(typedNumber);
    if (hit !== undefined) {
      const timer = window.setTimeout(
        () => setCheck({ state: 'found', number: typedNumber, found: hit }),
        0,
      );
      return () => window.clearTimeout(timer);
    }
    const timer = window.setTimeout(() => {
      setCheck({ state: 'checking', number: typedNumber });
      client.call('cases.get', { number: typedNumber }).then(
        ({ case: found }) => {
          if (seq === lookupSeq.current) setCheck({ state: 'found', number: typedNumber, found });
        },
        (cause: unknown) => {
          if (seq !== lookupSeq.current) return;
          setCheck(
            cause instanceof StationError && cause.code === 'NOT_FOUND'
              ? { state: 'missing', number: typedNumber }
              : { state: 'idle' },
          );
        },
      );
    }, 400);
    return () => window.clearTimeout(timer);
  }, [client, known, typedNumber]);

  return [check, setCheck];
}

/** Under the case number: whose case it is, that it is unknown (and how to open it), or a wait. */
export function CaseHint({
  check,
  canCreate,
  onCreate,
}: {
  check: CaseCheck;
  canCreate: boolean;
  onCreate: () => void;
}) {
  const { t } = useTranslation();
  if (check.state === 'found') {
    return (
      <Space size={6} data-testid="case-found">
        <CheckOutlined style={{ color: '#389e0d' }} />
        <span>{check.found.title}</span>
        <KindTag kind={check.found.kind} />
        {check.found.status !== 'open' && (
          <Typography.Text type="warning">
            {t(`cases.status.${check.found.status}`)}
          </Typography.Text>
        )}
      </Space>
    );
  }
  if (check.state === 'missing') {
    return (
      <Space size={6} wrap data-testid="case-missing">
        <Typography.Text type="warning">
          {t('label.form.caseUnknown', { number: check.number })}
        </Typography.Text>
        {canCreate && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={onCreate}
            data-testid="open-new-case"
          >
            {t('label.form.openCase')}
          </Button>
        )}
      </Space>
    );
  }
  if (check.state === 'checking') {
    return <Typography.Text type="secondary">{t('label.form.checking')}</Typography.Text>;
  }
  return null;
}
