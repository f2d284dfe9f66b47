// The layout check the till tests share (issue 14): measured in the page, inside `.till`, no
// element sticks out of its parent sideways, no entry control collapsed, touch-sized buttons, no
// two entry controls overlap, no sideways page scroll.
import type { Page } from 'playwright-core';

/** Layout problems inside the till, measured in the page. */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`;
    const visible = (el: Element) => {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;
    };
    const out: string[] = [];
    const root = document.querySelector('.till')!;
    for (const el of Array.from(root.querySelectorAll('*'))) {
      if (!visible(el) || el instanceof SVGElement) continue;
      const r = el.getBoundingClientRect();
      const pr = el.parentElement!.getBoundingClientRect();
      if (r.left < pr.left - 1 || r.right > pr.right + 1)
        out.push(
          `${name(el)} [${Math.round(r.left)}–${Math.round(r.right)}] overflows ${name(el.parentElement!)} [${Math.round(pr.left)}–${Math.round(pr.right)}]`,
        );
      if (el.matches('.entry input:not([type=checkbox]), .entry select') && r.width < 48)
        out.push(`${name(el)} collapsed to ${Math.round(r.width)} px`);
      if (el.matches('.entry button:not(.link), .quick-keys button') && r.height < 40)
        out.push(`${name(el)} is ${Math.round(r.height)} px tall (touch: 40+)`);
    }
    const controls = Array.from(root.querySelectorAll('.entry input, .entry select, .entry button')).filter(visible);
    for (let i = 0; i < controls.length; i++)
      for (let j = i + 1; j < controls.length; j++) {
        const a = controls[i]!.getBoundingClientRect();
        const b = controls[j]!.getBoundingClientRect();
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
          out.push(`${name(controls[i]!)} overlaps ${name(controls[j]!)}`);
      }
    if (document.documentElement.scrollWidth > window.innerWidth + 1)
      out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px)`);
    return out;
  });
}
