import { Typography } from 'antd';
import type { FiledClip } from '../../../src-main/contract';
import { formatLocalTime } from '../../i18n/format';
import { UNKNOWN } from '../format';

/** Start and end of a recording on one line; the end without its date when it is the same day. */
export function RecordedSpan({ clip }: { clip: FiledClip }) {
  if (clip.recordedStart === null)
    return <Typography.Text type="secondary">{UNKNOWN}</Typography.Text>;
  const start = formatLocalTime(clip.recordedStart);
  const end = formatLocalTime(clip.recordedEnd);
  const endShown = end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end;
  return (
    <span style={{ fontVariantNumeric: 'tabular-nums', fontSize: 12, whiteSpace: 'nowrap' }}>
      {start}
      {end !== '' && (
        <>
          <span style={{ margin: '0 4px' }}>→</span>
          {endShown}
        </>
      )}
    </span>
  );
}
