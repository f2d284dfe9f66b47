// The on-screen number pad for touch screens (cashier sign-in, the sale's amounts, the manager's
// approval PIN). Its keys never take the focus (tabIndex -1, no focus on press), so typing goes on
// into the field that had it, and the keyboard stays the first way in.
export type PadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '.' | '%' | 'C' | '⌫';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
const LABELS: Partial<Record<PadKey, string>> = { C: 'Clear the field', '⌫': 'Delete last digit', '.': 'Decimal point', '%': 'Percent' };

/** What a key does to a field's text (C clears, ⌫ deletes one character, else appends). */
export function applyPadKey(text: string, key: PadKey, max = 20): string {
  if (key === 'C') return '';
  if (key === '⌫') return text.slice(0, -1);
  return (text + key).slice(0, max);
}

export function NumberPad({
  onKey,
  extra = [],
  label = 'Number pad',
}: {
  onKey: (key: PadKey) => void;
  /** Keys after 1–9 / C 0 ⌫: '.' for amounts, '%' for discounts. */
  extra?: readonly PadKey[];
  label?: string;
}) {
  const key = (k: PadKey, text: string = k) => (
    <button
      key={k}
      type="button"
      tabIndex={-1}
      aria-label={LABELS[k]}
      // Keep the focus (and the caret) in the field being typed into.
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onKey(k)}
    >
      {text}
    </button>
  );
  return (
    <div className="numpad" role="group" aria-label={label}>
      {DIGITS.map((d) => key(d))}
      {key('C')}
      {key('0')}
      {key('⌫')}
      {extra.map((k) => key(k))}
    </div>
  );
}
