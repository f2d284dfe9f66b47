// A barcode scanner in keyboard-wedge mode, in any focused field: the burst of digits it typed
// into that field is taken back out, and the code goes to `onScan` (timing: shared/catalogue/wedge.ts).
import { useEffect, useRef } from 'react';
import { WedgeDetector } from '../../../shared/catalogue/wedge';

function restore(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true })); // React's onChange follows the native value
}

export function useWedge(onScan: (code: string) => void, enabled = true): void {
  const cb = useRef(onScan);
  cb.current = onScan;
  useEffect(() => {
    if (!enabled) return;
    const detector = new WedgeDetector({ minLength: 6, maxGapMs: 50 });
    let field: { el: HTMLInputElement | HTMLTextAreaElement; value: string } | null = null;
    const onKey = (e: KeyboardEvent) => {
      const ev = detector.key(e.key, e.timeStamp);
      if (ev.kind === 'start') {
        const el = document.activeElement;
        field = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? { el, value: el.value } : null;
      } else if (ev.kind === 'scan') {
        e.preventDefault();
        e.stopPropagation();
        if (field && field.el.isConnected) restore(field.el, field.value);
        field = null;
        cb.current(ev.code);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled]);
}
