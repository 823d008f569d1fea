import { useMemo, useState } from 'react';
import {
  Alert,
  AutoComplete,
  Button,
  Checkbox,
  Form,
  Input,
  Typography,
  type FormInstance,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Case, LabelTarget, OptionalLabelField, User } from '../../../src-main/contract';
import { StationError } from '../../api/errors';
import { useStation } from '../StationContext';
import { errorText } from '../../i18n/format';
import { RuleTag } from '../RuleTag';
import { CaseHint, useCaseCheck } from './CaseCheck';
import { LabelRecordFields } from './LabelRecordFields';
import { formToPatch, type LabelFormField, type LabelFormValues } from './labelPatch';
import { NewCaseModal } from './NewCaseModal';
import type { FilingPolicy } from './useFilingPolicy';

const FORM_FIELDS: LabelFormField[] = [
  'noCase',
  'caseNumber',
  'matter',
  'kind',
  'stage',
  'place',
  'parties',
  'officersPresent',
  'confidentiality',
  'notes',
  'longTermReason',
  'longTermText',
];

export interface LabelApplied {
  updated: number;
  labelled: number;
  caseNumber: string | null;
}

/**
 * The label form (D-LABEL, D-CONTENT, D-CONFIDENTIAL, D-LONGTERM), applied in bulk to a target
 * (`clips.label`): the case (recent cases offered, a new one opened from here) or daily
 * enforcement and its matter, then what the record shows. Required fields of the unit are marked.
 */
export function LabelForm({
  form,
  target,
  targetCount,
  initial,
  recentCases,
  requiredFields,
  enforceRequired,
  policy,
  currentUser,
  onApplied,
  onCaseCreated,
}: {
  form: FormInstance<LabelFormValues>;
  target: LabelTarget | null;
  targetCount: number;
  initial: LabelFormValues;
  recentCases: readonly Case[];
  requiredFields: readonly OptionalLabelField[];
  enforceRequired: boolean;
  policy: FilingPolicy | null;
  currentUser: User;
  onApplied: (applied: LabelApplied) => void;
  onCaseCreated?: (created: Case) => void;
}) {
  const { t } = useTranslation();
  const { client } = useStation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [extraCases, setExtraCases] = useState<Case[]>([]);
  const noCase = Form.useWatch('noCase', form) ?? initial.noCase;
  const typedNumber = (Form.useWatch('caseNumber', form) ?? initial.caseNumber).trim();
  const kindNow = Form.useWatch('kind', form) ?? null;
  const canCreate = currentUser.role !== 'supervisor';

  const known = useMemo(() => {
    const all = new Map<string, Case>();
    for (const c of [...extraCases, ...recentCases]) if (!all.has(c.number)) all.set(c.number, c);
    return all;
  }, [extraCases, recentCases]);
  const [check, setCheck] = useCaseCheck(known, noCase ? '' : typedNumber);

  const apply = async (values: LabelFormValues) => {
    if (target === null || targetCount === 0) {
      setError(t('label.form.nothingSelected'));
      return;
    }
    const touched = new Set(FORM_FIELDS.filter((field) => form.isFieldTouched(field)));
    const patch = formToPatch(values, touched);
    setBusy(true);
    setError(null);
    try {
      const result = await client.call('clips.label', { target, set: patch });
      onApplied({
        updated: result.updated,
        labelled: result.labelled,
        caseNumber: patch.caseNumber ?? null,
      });
    } catch (cause) {
      if (
        cause instanceof StationError &&
        cause.code === 'NOT_FOUND' &&
        cause.details?.['field'] === 'caseNumber' &&
        !values.noCase
      ) {
        setCheck({ state: 'missing', number: values.caseNumber.trim() });
        setError(t('label.form.caseNotFound', { number: values.caseNumber.trim() }));
      } else {
        setError(errorText(t, cause));
      }
    } finally {
      setBusy(false);
    }
  };

  const caseOptions = [...known.values()].map((c) => ({
    value: c.number,
    label: (
      <span data-testid={`recent-case-${c.number}`}>
        <Typography.Text strong>{c.number}</Typography.Text>{' '}
        <Typography.Text type="secondary">{c.title}</Typography.Text>
      </span>
    ),
  }));

  return (
    <>
      <Form<LabelFormValues>
        form={form}
        layout="vertical"
        size="middle"
        initialValues={initial}
        onFinish={(values) => void apply(values)}
        data-testid="label-form"
        className="label-form"
        requiredMark
        style={{ display: 'flex', flexDirection: 'column' }}
      >
        <Form.Item name="noCase" valuePropName="checked" style={{ marginBottom: 8 }}>
          <Checkbox data-testid="label-no-case">{t('label.form.noCase')}</Checkbox>
        </Form.Item>
        {noCase ? (
          <Form.Item
            name="matter"
            label={t('filing.fields.matter')}
            required
            rules={[{ required: true, whitespace: true, message: t('label.form.matterRequired') }]}
            extra={t('label.form.matterHint')}
          >
            <Input autoComplete="off" maxLength={500} data-testid="label-matter" />
          </Form.Item>
        ) : (
          <Form.Item
            label={
              <span>
                {t('filing.fields.case')} <RuleTag rule="D-LABEL" />
              </span>
            }
            required
            extra={
              <div style={{ display: 'flex', flexDirection: 'column', gap: 2, marginTop: 2 }}>
                {policy !== null && (
                  <span data-testid="case-format-example">
                    {t('filing.caseFormatExample', { example: policy.caseNumberFormat.example })}
                  </span>
                )}
                <CaseHint check={check} canCreate={canCreate} onCreate={() => setCreating(true)} />
              </div>
            }
          >
            <div style={{ display: 'flex', gap: 8 }}>
              <Form.Item
                name="caseNumber"
                noStyle
                rules={[
                  { required: true, whitespace: true, message: t('label.form.caseRequired') },
                ]}
              >
                <AutoComplete
                  options={caseOptions}
                  style={{ flex: 1 }}
                  filterOption={(input, option) =>
                    String(option?.value ?? '')
                      .toLowerCase()
                      .includes(input.trim().toLowerCase())
                  }
                  onSelect={(value: string) => {
                    const chosen = known.get(value);
                    if (chosen !== undefined && form.getFieldValue('kind') == null) {
                      form.setFieldValue('kind', chosen.kind);
                    }
                  }}
                >
                  <Input
                    autoComplete="off"
                    placeholder={
                      policy?.caseNumberFormat.example ?? t('label.form.casePlaceholder')
                    }
                    data-testid="label-case"
                  />
                </AutoComplete>
              </Form.Item>
              {canCreate && (
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => setCreating(true)}
                  title={t('label.form.openCase')}
                  data-testid="label-new-case"
                >
                  {t('label.form.newCase')}
                </Button>
              )}
            </div>
          </Form.Item>
        )}
        <LabelRecordFields requiredFields={requiredFields} enforceRequired={enforceRequired} />
        {error !== null && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 12 }}
            data-testid="label-error"
          />
        )}
        <Button
          type="primary"
          htmlType="submit"
          size="large"
          block
          loading={busy}
          disabled={targetCount === 0}
          data-testid="label-apply"
        >
          {targetCount === 0
            ? t('label.form.selectFirst')
            : t('label.form.apply', { count: targetCount })}
        </Button>
        <Typography.Text type="secondary" style={{ fontSize: 12, marginTop: 6 }}>
          {t('label.form.enterHint')}
        </Typography.Text>
      </Form>
      <NewCaseModal
        open={creating}
        prefill={{ number: typedNumber, kind: kindNow }}
        currentUser={currentUser}
        policy={policy}
        onClose={() => setCreating(false)}
        onCreated={(created) => {
          setCreating(false);
          setExtraCases((list) => [created, ...list]);
          form.setFieldsValue({ noCase: false, caseNumber: created.number });
          if (form.getFieldValue('kind') == null) form.setFieldValue('kind', created.kind);
          setError(null);
          onCaseCreated?.(created);
        }}
      />
    </>
  );
}
