// Manager area: invoices by day, day summary, Z report, shifts, exports, CRM deals, sync, settings.
import { useState } from 'react';
import { useApp } from '../stores/app';
import { PinGate } from './PinGate';
import { Invoices } from './manager/Invoices';
import { DaySummary } from './manager/DaySummary';
import { ZReport } from './manager/ZReport';
import { Exports } from './manager/Exports';
import { Sync } from './manager/Sync';
import { Settings } from './manager/Settings';
import { RegisterLink } from './manager/RegisterLink';
import { Products } from './manager/Products';
import { TillSettings } from './manager/TillSettings';
import { Deals } from './manager/Deals';
import { Shifts } from './manager/Shifts';

const TABS = [
  { key: 'invoices', label: 'Invoices', view: Invoices },
  { key: 'summary', label: 'Day summary', view: DaySummary },
  { key: 'z', label: 'Z report', view: ZReport },
  { key: 'shifts', label: 'Shifts', view: Shifts },
  { key: 'exports', label: 'Exports', view: Exports },
  { key: 'deals', label: 'Deals', view: Deals },
  { key: 'sync', label: 'Sync', view: Sync },
  { key: 'settings', label: 'Settings', view: Settings },
  { key: 'register', label: 'Register link', view: RegisterLink },
  { key: 'products', label: 'Products', view: Products },
  { key: 'till', label: 'Till', view: TillSettings },
] as const;

export function Manager() {
  const { state, lock } = useApp();
  const [tab, setTab] = useState<(typeof TABS)[number]['key']>('invoices');
  if (!state?.managerUnlocked) return <PinGate />;
  const View = TABS.find((t) => t.key === tab)!.view;
  return (
    <div className="manager">
      <nav aria-label="Manager sections">
        {TABS.map((t) => (
          <button type="button" key={t.key} aria-current={tab === t.key ? 'page' : undefined} onClick={() => setTab(t.key)}>
            {t.label}
          </button>
        ))}
        <button type="button" className="danger" style={{ marginTop: 16 }} onClick={() => void lock()}>
          Lock
        </button>
      </nav>
      <div className="body">
        <View />
      </div>
    </div>
  );
}
