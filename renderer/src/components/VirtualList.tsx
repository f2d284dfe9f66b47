// A fixed-row-height virtualised list: only the rows in view (plus a margin) are in the DOM, so
// a day of 10,000+ invoices scrolls as fast as a day of ten.
import { useEffect, useRef, useState, type ReactNode } from 'react';

interface Props<T> {
  count: number;
  rowHeight: number;
  row: (item: T | undefined, index: number) => ReactNode;
  items: (T | undefined)[];
  onRange?: (from: number, to: number) => void;
  label: string;
  overscan?: number;
  selected?: number;
  onActivate?: (index: number) => void;
  /** Shorter, to leave room for a detail panel below. */
  compact?: boolean;
}

export function VirtualList<T>({ count, rowHeight, row, items, onRange, label, overscan = 10, selected, onActivate, compact }: Props<T>) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(460);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const from = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const to = Math.min(count - 1, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  useEffect(() => {
    if (count > 0) onRange?.(from, to);
  }, [from, to, count, onRange]);

  const visible: ReactNode[] = [];
  for (let i = from; i <= to; i++) {
    visible.push(
      <div
        key={i}
        className="vrow"
        role="listitem"
        tabIndex={0}
        aria-selected={selected === i}
        data-testid="day-row"
        style={{ top: i * rowHeight, height: rowHeight }}
        onClick={() => onActivate?.(i)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onActivate?.(i);
        }}
      >
        {row(items[i], i)}
      </div>,
    );
  }
  return (
    <div
      ref={box}
      className={compact ? 'vlist compact' : 'vlist'}
      role="list"
      aria-label={label}
      aria-rowcount={count}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div style={{ height: count * rowHeight, position: 'relative' }}>{visible}</div>
    </div>
  );
}
