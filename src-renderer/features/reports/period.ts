/** A report period as the station takes it: two local dates, YYYY-MM-DD, both included. */
export interface ReportPeriod {
  from: string;
  to: string;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function localDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The default period: the whole of last month (supervisors check month by month). */
export function lastMonth(now: Date = new Date()): ReportPeriod {
  const first = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  const last = new Date(now.getFullYear(), now.getMonth(), 0);
  return { from: localDate(first), to: localDate(last) };
}

/** This month so far (today included). */
export function thisMonth(now: Date = new Date()): ReportPeriod {
  return { from: localDate(new Date(now.getFullYear(), now.getMonth(), 1)), to: localDate(now) };
}
