import { Tag } from 'antd';

/** The rule something serves (a finding, a deadline, a setting), as a small tag: `D-24H`. */
export function RuleTag({ rule }: { rule: string | null }) {
  if (rule === null) return null;
  return (
    <Tag
      bordered={false}
      style={{ fontSize: 11, lineHeight: '16px', paddingInline: 4, marginInlineEnd: 0 }}
    >
      {rule}
    </Tag>
  );
}
