// "Day closed — new sales go to Z n+1": after the manager closes today, the cashier sees that the
// sales still being rung up belong to the next period (main/features/reports/z-service.ts).
import { useEffect, useState } from 'react';
import { invoke } from '../api/client';
import type { Response } from '../../../shared/ipc/contract';
import { useTill } from '../stores/till';

export function PeriodBanner() {
  const [period, setPeriod] = useState<Response<'till.period'> | null>(null);
  const count = useTill((s) => s.invoices.length);
  useEffect(() => {
    let live = true;
    invoke('till.period', {}).then(
      (p) => live && setPeriod(p),
      () => undefined, // the banner is advisory: the till works without it
    );
    return () => {
      live = false;
    };
  }, [count]);
  if (!period?.closed_today) return null;
  return (
    <p className="notice period" role="status" data-testid="period-banner">
      Day closed (Z {period.last_z}) — new sales go to Z {period.next_z}
    </p>
  );
}
