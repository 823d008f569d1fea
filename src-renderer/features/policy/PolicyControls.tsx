import { useState, type ReactNode } from 'react';
import { InputNumber, Space, Typography } from 'antd';
import { RuleTag } from '../../shared/RuleTag';

/** One setting: what it is, why it matters, and its control. */
export function Setting({
  title,
  hint,
  rule,
  children,
  testId,
}: {
  title: string;
  hint: string;
  rule?: string;
  children: ReactNode;
  testId: string;
}) {
  return (
    <div
      data-testid={testId}
      style={{
        display: 'grid',
        gridTemplateColumns: 'minmax(0, 1fr) auto',
        gap: 16,
        alignItems: 'center',
        padding: '10px 0',
      }}
    >
      <div style={{ minWidth: 0 }}>
        <Space size={6}>
          <Typography.Text strong>{title}</Typography.Text>
          {rule !== undefined && <RuleTag rule={rule} />}
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 13 }}>
          {hint}
        </Typography.Paragraph>
      </div>
      <div>{children}</div>
    </div>
  );
}

export type NumberKey =
  | 'archiveDays'
  | 'lateApprovalHours'
  | 'retentionDailyYears'
  | 'retentionCaseFileYears'
  | 'discCheckYears';

/** A number saved when the field is left or Enter is pressed (not at every keystroke). */
export function NumberField({
  value,
  min,
  max,
  unit,
  disabled,
  onSave,
  testId,
}: {
  value: number;
  min: number;
  max: number;
  unit: string;
  disabled: boolean;
  onSave: (value: number) => void;
  testId: string;
}) {
  const [draft, setDraft] = useState<number | null>(value);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setDraft(value);
  }
  const commit = () => {
    if (draft !== null && draft !== value && draft >= min && draft <= max) onSave(draft);
    else setDraft(value);
  };
  return (
    <InputNumber
      min={min}
      max={max}
      precision={0}
      value={draft}
      disabled={disabled}
      onChange={(next) => setDraft(typeof next === 'number' ? next : null)}
      onBlur={commit}
      onPressEnter={commit}
      addonAfter={unit}
      data-testid={testId}
      style={{ width: 150 }}
    />
  );
}
