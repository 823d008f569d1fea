import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DISC_PASSES, type DiscPassName } from '../../../src-main/contract';
import { tookText } from './discFormat';

/** Problems listed under a pass before the rest are counted (a bad disc can have thousands). */
const PROBLEMS_LISTED = 10;

interface PassResult {
  pass: DiscPassName;
  ok: boolean;
  detail: string;
  problems: string[];
  ms?: number;
}

/**
 * The four verification passes of a disc (D-NO-TAMPER), each PASS or FAIL with the station's
 * account of what it read and what it found wrong: (1) every block, (2) the MD5 tags, (3) every
 * file against the catalogue's SHA-256/SM3, (4) the signatures.
 */
export function PassResults({ passes }: { passes: readonly PassResult[] }) {
  const { t } = useTranslation();
  const ordered = [...passes].sort(
    (a, b) => DISC_PASSES.indexOf(a.pass) - DISC_PASSES.indexOf(b.pass),
  );
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }} data-testid="disc-passes">
      {ordered.map((pass) => {
        const more = pass.problems.length - PROBLEMS_LISTED;
        return (
          <div
            key={pass.pass}
            data-testid={`disc-pass-${pass.pass}`}
            data-ok={pass.ok ? 'yes' : 'no'}
            style={{ display: 'grid', gridTemplateColumns: '72px minmax(0, 1fr)', gap: 8 }}
          >
            <div>
              <Tag color={pass.ok ? 'success' : 'error'} style={{ marginInlineEnd: 0 }}>
                {pass.ok ? t('discs.pass.ok') : t('discs.pass.failed')}
              </Tag>
            </div>
            <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
              <Typography.Text strong>
                {t('discs.pass.numbered', {
                  number: DISC_PASSES.indexOf(pass.pass) + 1,
                  name: t(`discs.phases.${pass.pass}`),
                })}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {pass.detail}
                {pass.ms !== undefined &&
                  ` · ${t('discs.pass.took', { span: tookText(t, pass.ms) })}`}
              </Typography.Text>
              {pass.problems.length > 0 && (
                <ul style={{ margin: 0, paddingInlineStart: 18, fontSize: 12 }}>
                  {pass.problems.slice(0, PROBLEMS_LISTED).map((problem, index) => (
                    <li key={index} style={{ wordBreak: 'break-all' }}>
                      {problem}
                    </li>
                  ))}
                  {more > 0 && <li>{t('discs.pass.moreProblems', { count: more })}</li>}
                </ul>
              )}
            </Space>
          </div>
        );
      })}
    </div>
  );
}
