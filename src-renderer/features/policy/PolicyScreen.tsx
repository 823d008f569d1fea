import { useCallback, useState } from 'react';
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  Input,
  InputNumber,
  Select,
  Space,
  Spin,
  Switch,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  OPTIONAL_LABEL_FIELDS,
  type PolicyChange,
  roleHasPermission,
  type UnitPolicyView,
  type User,
} from '../../../src-main/contract';
import { StationError } from '../../api/errors';
import { useStation } from '../../shared/StationContext';
import { useStationData } from '../../shared/useStationData';
import { errorText, failureText } from '../../i18n/format';
import { hex4, parseHex4 } from '../../shared/format';
import { NumberField, Setting, type NumberKey } from './PolicyControls';

/**
 * The unit's docking policy (D-CUSTODIAN): custodians change it, supervisors and admins read it.
 * Every change is one station call, audited there; the recorder password is never shown back.
 */
export function PolicyScreen({ currentUser }: { currentUser: User }) {
  const { t } = useTranslation();
  const { client } = useStation();
  const { message } = AntApp.useApp();
  const canManage = roleHasPermission(currentUser.role, 'policy.manage');
  const [busy, setBusy] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [reader, setReader] = useState({ vendorId: '', productId: '' });
  const [caseFormat, setCaseFormat] = useState({ pattern: '', example: '' });

  const load = useCallback(
    async (signal: AbortSignal): Promise<UnitPolicyView> => {
      const { policy } = await client.call('policy.get', {});
      // What is typed into the drafts starts again from each load; a change keeps it.
      if (!signal.aborted) {
        setCaseFormat(policy.caseNumberFormat);
        setReader(
          policy.cardReader === null
            ? { vendorId: '', productId: '' }
            : {
                vendorId: hex4(policy.cardReader.vendorId),
                productId: hex4(policy.cardReader.productId),
              },
        );
      }
      return policy;
    },
    [client],
  );
  const { data: policy, error: failure, setData: setPolicy } = useStationData(load);
  const error = failureText(t, failure);

  const change = async (next: PolicyChange) => {
    setBusy(next.key);
    try {
      const result = await client.call('policy.set', next);
      setPolicy(result.policy);
      void message.success(t('policy.saved'));
    } catch (cause) {
      void message.error(refusalText(cause));
    } finally {
      setBusy(null);
    }
  };

  /** A refused change, in words; a pattern that backtracks is named where it does. */
  const refusalText = (cause: unknown): string => {
    const fragment = cause instanceof StationError ? cause.details?.['fragment'] : undefined;
    if (cause instanceof StationError && cause.details?.['problem'] === 'pattern-backtracks') {
      return t('policy.caseFormat.backtracks', { fragment: String(fragment) });
    }
    return errorText(t, cause);
  };

  /** A setting's name for a stored value the station set aside. */
  const settingTitle = (key: string): string =>
    key === 'caseNumberFormat' ? t('policy.caseFormat.title') : key;

  if (policy === null) {
    return error === null ? (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    ) : (
      <Alert type="error" showIcon title={error} />
    );
  }

  const readerIds = {
    vendorId: parseHex4(reader.vendorId),
    productId: parseHex4(reader.productId),
  };
  const sm3 = policy.hashes[1] === 'sm3';

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }} data-testid="policy-screen">
      {!canManage && <Alert type="info" showIcon title={t('policy.readOnly')} />}
      {(policy.refused ?? []).map(({ key, problem }) => (
        <Alert
          key={key}
          type="warning"
          showIcon
          title={t('policy.refusedStored', { setting: settingTitle(key), problem })}
          data-testid="policy-refused"
        />
      ))}
      <Card size="small" title={t('policy.sections.ingest')}>
        <Setting
          title={t('policy.clear.title')}
          hint={t('policy.clear.hint')}
          rule="D-NO-TAMPER"
          testId="policy-clear"
        >
          <Switch
            checked={policy.clearAfterIngest}
            disabled={!canManage}
            loading={busy === 'clearAfterIngest'}
            onChange={(value) => void change({ key: 'clearAfterIngest', value })}
            data-testid="policy-clear-switch"
          />
        </Setting>
        <Setting title={t('policy.sm3.title')} hint={t('policy.sm3.hint')} testId="policy-sm3">
          <Switch
            checked={sm3}
            disabled={!canManage}
            loading={busy === 'hashes'}
            onChange={(value) =>
              void change({ key: 'hashes', value: value ? ['sha256', 'sm3'] : ['sha256'] })
            }
          />
        </Setting>
        <Setting
          title={t('policy.concurrency.title')}
          hint={t('policy.concurrency.hint')}
          testId="policy-concurrency"
        >
          <InputNumber
            min={1}
            max={16}
            value={policy.copyConcurrencyPerDisk}
            disabled={!canManage || busy === 'copyConcurrencyPerDisk'}
            onChange={(value) => {
              if (typeof value === 'number') void change({ key: 'copyConcurrencyPerDisk', value });
            }}
          />
        </Setting>
      </Card>
      <Card size="small" title={t('policy.sections.continuity')}>
        <Setting
          title={t('policy.gap.title')}
          hint={t('policy.gap.hint')}
          rule="D-CONTINUOUS"
          testId="policy-gap"
        >
          <InputNumber
            min={1}
            max={86_400}
            value={policy.continuityGapSeconds}
            addonAfter={t('policy.seconds')}
            disabled={!canManage || busy === 'continuityGapSeconds'}
            onChange={(value) => {
              if (typeof value === 'number') void change({ key: 'continuityGapSeconds', value });
            }}
          />
        </Setting>
        <Setting
          title={t('policy.overlap.title')}
          hint={t('policy.overlap.hint')}
          rule="D-CONTINUOUS"
          testId="policy-overlap"
        >
          <InputNumber
            min={0}
            max={3_600}
            value={policy.continuityOverlapSeconds}
            addonAfter={t('policy.seconds')}
            disabled={!canManage || busy === 'continuityOverlapSeconds'}
            onChange={(value) => {
              if (typeof value === 'number') {
                void change({ key: 'continuityOverlapSeconds', value });
              }
            }}
          />
        </Setting>
      </Card>
      <Card size="small" title={t('policy.sections.devices')}>
        <Setting title={t('policy.amba.title')} hint={t('policy.amba.hint')} testId="policy-amba">
          <Space>
            <Tag color={policy.ambaPasswordSet ? 'green' : 'default'}>
              {t(policy.ambaPasswordSet ? 'policy.amba.set' : 'policy.amba.unset')}
            </Tag>
            {canManage && (
              <>
                <Input.Password
                  value={password}
                  onChange={(event) => setPassword(event.target.value)}
                  placeholder={t('policy.amba.placeholder')}
                  autoComplete="off"
                  style={{ width: 180 }}
                />
                <Button
                  disabled={password === ''}
                  loading={busy === 'ambaPassword'}
                  onClick={() => {
                    void change({ key: 'ambaPassword', value: password }).then(() =>
                      setPassword(''),
                    );
                  }}
                >
                  {t('common.save')}
                </Button>
                {policy.ambaPasswordSet && (
                  <Button danger onClick={() => void change({ key: 'ambaPassword', value: null })}>
                    {t('policy.amba.clear')}
                  </Button>
                )}
              </>
            )}
          </Space>
        </Setting>
        <Setting
          title={t('policy.reader.title')}
          hint={t('policy.reader.hint')}
          testId="policy-reader"
        >
          <Space>
            <Input
              value={reader.vendorId}
              onChange={(event) => setReader({ ...reader, vendorId: event.target.value })}
              placeholder="VID"
              disabled={!canManage}
              style={{ width: 80, fontFamily: 'monospace' }}
            />
            <Input
              value={reader.productId}
              onChange={(event) => setReader({ ...reader, productId: event.target.value })}
              placeholder="PID"
              disabled={!canManage}
              style={{ width: 80, fontFamily: 'monospace' }}
            />
            {canManage && (
              <>
                <Button
                  disabled={readerIds.vendorId === null || readerIds.productId === null}
                  loading={busy === 'cardReader'}
                  onClick={() => {
                    if (readerIds.vendorId === null || readerIds.productId === null) return;
                    void change({
                      key: 'cardReader',
                      value: { vendorId: readerIds.vendorId, productId: readerIds.productId },
                    });
                  }}
                >
                  {t('common.save')}
                </Button>
                {policy.cardReader !== null && (
                  <Button onClick={() => void change({ key: 'cardReader', value: null })}>
                    {t('policy.reader.none')}
                  </Button>
                )}
              </>
            )}
          </Space>
        </Setting>
      </Card>
      <Card size="small" title={t('policy.sections.filing')} data-testid="policy-filing">
        <Setting
          title={t('policy.required.title')}
          hint={t('policy.required.hint')}
          rule="D-CONTENT"
          testId="policy-required"
        >
          <Select
            mode="multiple"
            value={policy.labelRequiredFields}
            disabled={!canManage}
            loading={busy === 'labelRequiredFields'}
            placeholder={t('policy.required.none')}
            style={{ width: 340 }}
            options={OPTIONAL_LABEL_FIELDS.map((field) => ({
              value: field,
              label: t(`filing.fields.${field}`),
            }))}
            onChange={(value) => void change({ key: 'labelRequiredFields', value })}
            data-testid="policy-required-select"
          />
        </Setting>
        <Setting
          title={t('policy.caseFormat.title')}
          hint={t('policy.caseFormat.hint')}
          rule="D-LABEL"
          testId="policy-case-format"
        >
          <Space>
            <Input
              value={caseFormat.pattern}
              onChange={(event) => setCaseFormat({ ...caseFormat, pattern: event.target.value })}
              placeholder={t('policy.caseFormat.pattern')}
              disabled={!canManage}
              style={{ width: 220, fontFamily: 'monospace' }}
            />
            <Input
              value={caseFormat.example}
              onChange={(event) => setCaseFormat({ ...caseFormat, example: event.target.value })}
              placeholder={t('policy.caseFormat.example')}
              disabled={!canManage}
              style={{ width: 180 }}
            />
            {canManage && (
              <Button
                disabled={caseFormat.pattern.trim() === '' || caseFormat.example.trim() === ''}
                loading={busy === 'caseNumberFormat'}
                onClick={() =>
                  void change({
                    key: 'caseNumberFormat',
                    value: { pattern: caseFormat.pattern, example: caseFormat.example.trim() },
                  })
                }
              >
                {t('common.save')}
              </Button>
            )}
          </Space>
        </Setting>
        {(
          [
            ['archiveDays', 'D-ARCHIVE', 1, 366, 'policy.days'],
            ['lateApprovalHours', 'D-LATE-START', 1, 168, 'policy.hours'],
            ['retentionDailyYears', 'D-RETAIN', 1, 100, 'policy.years'],
            ['retentionCaseFileYears', 'D-RETAIN', 1, 100, 'policy.years'],
            ['discCheckYears', 'D-LONGTERM', 1, 20, 'policy.years'],
          ] as const
        ).map(([key, rule, min, max, unit]) => (
          <Setting
            key={key}
            title={t(`policy.${key}.title`)}
            hint={t(`policy.${key}.hint`)}
            rule={rule}
            testId={`policy-${key}`}
          >
            <NumberField
              value={policy[key as NumberKey]}
              min={min}
              max={max}
              unit={t(unit)}
              disabled={!canManage || busy === key}
              onSave={(value) => void change({ key, value })}
              testId={`policy-${key}-input`}
            />
          </Setting>
        ))}
      </Card>
    </div>
  );
}
