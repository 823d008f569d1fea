import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  AutoComplete,
  Button,
  Checkbox,
  Col,
  Form,
  Input,
  Row,
  Select,
  Space,
  Typography,
  type FormInstance,
} from 'antd';
import { CheckOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  CONFIDENTIALITY,
  ENFORCEMENT_KINDS,
  LONG_TERM_REASONS,
  STAGES,
  type Case,
  type LabelTarget,
  type OptionalLabelField,
} from '../../../src-main/contract/filing';
import type { User } from '../../../src-main/contract/types';
import { StationError } from '../../api/errors';
import { useStation } from '../StationContext';
import { errorText } from '../../i18n/format';
import { RuleTag } from '../RuleTag';
import { KindTag } from './FilingTags';
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

/** What the case-number field knows about the number typed. */
type CaseCheck =
  | { state: 'idle' }
  | { state: 'checking'; number: string }
  | { state: 'found'; number: string; found: Case }
  | { state: 'missing'; number: string };

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
  const [check, setCheck] = useState<CaseCheck>({ state: 'idle' });
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

  // Look the typed number up (after a pause) so the form can say whose case it is, or offer to
  // open it.
  const lookupSeq = useRef(0);
  useEffect(() => {
    const seq = ++lookupSeq.current;
    if (noCase || typedNumber === '') {
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
  }, [client, known, noCase, typedNumber]);

  const required = (field: OptionalLabelField) => requiredFields.includes(field);
  const requiredRule = (field: OptionalLabelField) =>
    enforceRequired && required(field)
      ? [
          {
            required: true,
            message: t('label.form.fieldRequired', { field: t(`filing.fields.${field}`) }),
          },
        ]
      : [];

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

  const caseHint = (() => {
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
              onClick={() => setCreating(true)}
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
  })();

  const kindOptions = ENFORCEMENT_KINDS.map((kind) => ({
    value: kind,
    label: t(`filing.kinds.${kind}`),
  }));
  const stageOptions = STAGES.map((stage) => ({
    value: stage,
    label: t(`filing.stages.${stage}`),
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
                {caseHint}
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
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="kind"
              label={t('filing.fields.kind')}
              required={required('kind')}
              rules={requiredRule('kind')}
            >
              <Select
                allowClear
                options={kindOptions}
                placeholder={t('label.form.choose')}
                data-testid="label-kind"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="stage"
              label={t('filing.fields.stage')}
              required={required('stage')}
              rules={requiredRule('stage')}
            >
              <Select
                allowClear
                options={stageOptions}
                placeholder={t('label.form.choose')}
                data-testid="label-stage"
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="place"
              label={t('filing.fields.place')}
              required={required('place')}
              rules={requiredRule('place')}
            >
              <Input autoComplete="off" maxLength={200} data-testid="label-place" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="confidentiality"
              label={
                <span>
                  {t('filing.fields.confidentiality')} <RuleTag rule="D-CONFIDENTIAL" />
                </span>
              }
            >
              <Select
                options={CONFIDENTIALITY.map((level) => ({
                  value: level,
                  label: t(`filing.confidentiality.${level}`),
                }))}
                data-testid="label-confidentiality"
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="parties"
              label={t('filing.fields.parties')}
              required={required('parties')}
              rules={requiredRule('parties')}
            >
              <Select
                mode="tags"
                open={false}
                suffixIcon={null}
                tokenSeparators={[',', '，', '、', ';', '；']}
                placeholder={t('label.form.partiesPlaceholder')}
                data-testid="label-parties"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="officersPresent"
              label={t('filing.fields.officersPresent')}
              required={required('officersPresent')}
              rules={[
                ...requiredRule('officersPresent'),
                {
                  validator: (_rule: unknown, value: string[] | undefined) =>
                    (value ?? []).every((badge) => /^[A-Za-z0-9-]{2,32}$/.test(badge.trim()))
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('validation.badgeFormat'))),
                },
              ]}
            >
              <Select
                mode="tags"
                open={false}
                suffixIcon={null}
                tokenSeparators={[',', '，', '、', ' ', ';', '；']}
                placeholder={t('label.form.officersPlaceholder')}
                data-testid="label-officers"
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="longTermReason"
              label={
                <span>
                  {t('filing.fields.longTerm')} <RuleTag rule="D-LONGTERM" />
                </span>
              }
            >
              <Select
                allowClear
                placeholder={t('label.form.longTermNone')}
                options={LONG_TERM_REASONS.map((reason) => ({
                  value: reason,
                  label: t(`filing.longTerm.${reason}`),
                }))}
                data-testid="label-long-term"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="notes"
              label={t('filing.fields.notes')}
              required={required('notes')}
              rules={requiredRule('notes')}
            >
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item noStyle shouldUpdate={(a, b) => a.longTermReason !== b.longTermReason}>
          {({ getFieldValue }) =>
            getFieldValue('longTermReason') ? (
              <Form.Item name="longTermText" label={t('label.form.longTermText')}>
                <Input autoComplete="off" maxLength={500} />
              </Form.Item>
            ) : null
          }
        </Form.Item>
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
